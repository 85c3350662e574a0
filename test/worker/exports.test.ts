import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../read-csv';
import {
  answer,
  call,
  expectError,
  join,
  keyFor,
  rightResponse,
  state,
  storedQuestion,
  teacher,
  wrongResponse,
} from './helpers';
import type { CreatedSession, Question, SessionReport, TeacherView } from '../../worker/contract';

/** The parts of `GET /api/classes/:id` these tests read. */
type ClassDetail = { roster: { id: string; name: string }[]; sessions: { title: string; createdAt: number }[] };

/** Six questions: a shuffled order of six leaves the session's order with a chance of 1 in 720 per student. */
const ids = ['int-001', 'int-002', 'dir-001', 'dir-002', 'pub-001', 'com-001'];

/** A CSV from the Worker, read from its bytes (`Response.text()` would drop the BOM). */
async function sheet(path: string, auth: { cookie?: string; key?: string }) {
  const headers: Record<string, string> = {};
  if (auth.cookie) headers.Cookie = auth.cookie;
  if (auth.key) headers.Authorization = `Bearer ${auth.key}`;
  const res = await exports.default.fetch(`http://quiz.test${path}`, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
  expect(res.headers.get('Content-Disposition')).toMatch(
    /^attachment; filename="pomegranate-[^"]+\.csv"; filename\*=UTF-8''/,
  );
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return readCsv(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes));
}

/** Plays `moves` (true right, false wrong) in the student's own order of questions. */
async function play(session: { id: string; code: string }, nickname: string, moves: boolean[]) {
  const { token } = await join(session.code, nickname);
  for (const right of moves) {
    const q = await keyFor(session.id, (await state(token)).current!.question);
    await answer(token, q.id, right ? rightResponse(q) : wrongResponse(q));
  }
}

/** Links the session's `nickname` to the class roster's `name`. */
async function link(cookie: string, s: CreatedSession, nickname: string, rosterId: string) {
  const view: TeacherView = (await call(`/api/sessions/${s.id}`, { cookie })).json;
  const pid = view.participants.find((p) => p.nickname === nickname)!.id;
  const res = await call(`/api/sessions/${s.id}/participants/${pid}/roster`, {
    method: 'PUT',
    cookie,
    body: { rosterId },
  });
  expect(res.status, res.text).toBe(200);
}

/**
 * A class (roster 王芳, 李雷) and a session of its quiz with questions shuffled per student: Amy
 * (linked to 王芳) answers all six, every other one right; 小明 answers three and stops.
 */
async function shuffledClassSession() {
  const t = await teacher();
  const cls = (await call('/api/classes', { cookie: t.cookie, body: { name: '初二(3)班', roster: ['王芳', '李雷'] } }))
    .json;
  const quiz = (
    await call('/api/quizzes', {
      cookie: t.cookie,
      body: { title: 'Quiz', questionIds: ids, settings: { timeLimitSec: 0, shuffleQuestions: true } },
    })
  ).json;
  const open = (title: string) =>
    call('/api/sessions', {
      cookie: t.cookie,
      body: { title, quizId: quiz.id, classId: cls.id, allowGuests: true },
    }).then((r) => r.json as CreatedSession);
  const s = await open('第一课');
  await play(s, 'Amy', [true, false, true, false, true, false]);
  await play(s, '小明', [true, true, false]);
  const roster = (await call(`/api/classes/${cls.id}`, { cookie: t.cookie })).json as ClassDetail;
  const wangFang = roster.roster.find((r) => r.name === '王芳')!.id;
  await link(t.cookie, s, 'Amy', wangFang);
  return { t, cls, s, open, wangFang };
}

/** The session's answers as D1 holds them (read after an export, which brings D1 up to date). */
async function storedAnswers(sessionId: string) {
  return (
    await env.DB.prepare(
      `SELECT p.nickname, a.question_id AS questionId, a.position, a.correct, a.points, a.answered_at AS answeredAt
       FROM answers a JOIN participants p ON p.id = a.participant_id WHERE a.session_id = ?`,
    )
      .bind(sessionId)
      .all<{
        nickname: string;
        questionId: string;
        position: number;
        correct: number;
        points: number;
        answeredAt: number;
      }>()
  ).results;
}

/** Beijing time, written independently of the Worker's Intl: UTC plus eight hours. */
const beijing = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');

describe('answers CSV', () => {
  it('numbers questions by the session’s order, in Chinese, at Beijing time', async () => {
    const { t, s } = await shuffledClassSession();
    const [header, ...rows] = await sheet(`/api/sessions/${s.id}/export.csv?lang=zh&tz=Asia/Shanghai`, t);
    expect(header).toEqual([
      '名次',
      '昵称',
      '花名册姓名',
      '总得分',
      '题号',
      '题目编号',
      '题目',
      '作答',
      '是否正确',
      '得分',
      '用时（秒）',
      '作答时间（Asia/Shanghai）',
    ]);
    const view: TeacherView = (await call(`/api/sessions/${s.id}`, { cookie: t.cookie })).json;
    const place = new Map(view.questions.map((q) => [q.id, q.position]));
    expect(view.questions.map((q) => q.id)).toEqual(ids);
    const stored = await storedAnswers(s.id);
    expect(rows).toHaveLength(stored.length);
    expect(rows.filter((r) => r[1] === 'Amy').every((r) => r[2] === '王芳')).toBe(true);
    const stems = new Map<string, Question>();
    for (const id of ids) stems.set(id, await storedQuestion(id));
    for (const a of stored) {
      const row = rows.find((r) => r[1] === a.nickname && r[5] === a.questionId)!;
      expect(row[4]).toBe(`第 ${place.get(a.questionId)! + 1} 题`);
      expect(row[6]).toBe(stems.get(a.questionId)!.stem.zh);
      expect(row[8]).toBe(a.correct ? '是' : '否');
      expect(Number(row[9])).toBe(a.points);
      expect(row[11]).toBe(beijing(a.answeredAt));
    }
    // The shuffle did change the order: some answer's place in the student's order is not its place in the session.
    expect(stored.some((a) => a.position !== place.get(a.questionId))).toBe(true);
    // Each student's rows follow the session's order.
    const labels = (nickname: string) => rows.filter((r) => r[1] === nickname).map((r) => r[4]);
    expect(labels('Amy')).toEqual(ids.map((_, i) => `第 ${i + 1} 题`));
    const xiaoming = labels('小明');
    expect(xiaoming).toEqual([...xiaoming].sort());
  });

  it('writes English headers and Beijing time by default', async () => {
    const { t, s } = await shuffledClassSession();
    const [header, first] = await sheet(`/api/sessions/${s.id}/export.csv`, t);
    expect(header!.slice(0, 4)).toEqual(['rank', 'nickname', 'roster name', 'total score']);
    expect(header!.at(-1)).toBe('answered at (Asia/Shanghai)');
    expect(first![4]).toBe('Q1');
    const utc = await sheet(`/api/sessions/${s.id}/export.csv?tz=UTC`, t);
    const stored = (await storedAnswers(s.id)).find((a) => a.nickname === first![1] && a.questionId === first![5])!;
    expect(utc[1]![11]).toBe(new Date(stored.answeredAt).toISOString().slice(0, 19).replace('T', ' '));
  });
});

describe('student × question grid', () => {
  it('has a row per student, a column per question in session order, and the leaderboard’s totals', async () => {
    const { t, s } = await shuffledClassSession();
    const [header, ...rows] = await sheet(`/api/sessions/${s.id}/grid.csv`, t);
    const stems = await Promise.all(ids.map(storedQuestion));
    expect(header).toHaveLength(2 + ids.length + 3);
    expect(header!.slice(0, 2)).toEqual(['nickname', 'roster name']);
    stems.forEach((q, i) => expect(header![2 + i]).toMatch(new RegExp(`^Q${i + 1} `)));
    expect(header!.slice(-3)).toEqual(['total points', 'number right', 'number answered']);

    const report: SessionReport = (await call(`/api/sessions/${s.id}/report`, { cookie: t.cookie })).json;
    expect(rows.map((r) => r[0])).toEqual(report.students.map((x) => x.nickname));
    const stored = await storedAnswers(s.id);
    for (const [i, row] of rows.entries()) {
      const student = report.students[i]!;
      expect(row[1]).toBe(student.rosterName ?? '');
      expect(row.slice(-3).map(Number)).toEqual([student.score, student.correct, student.answered]);
      ids.forEach((id, k) => {
        const a = stored.find((x) => x.nickname === student.nickname && x.questionId === id);
        expect(row[2 + k]).toBe(a ? String(a.points) : '');
      });
    }
    expect(
      rows
        .find((r) => r[0] === '小明')!
        .slice(2, 2 + ids.length)
        .filter((cell) => cell === ''),
    ).toHaveLength(3);

    // 1 or 0 instead of points, in Chinese, with the session's key instead of the cookie.
    const [zhHeader, ...right] = await sheet(`/api/sessions/${s.id}/grid.csv?lang=zh&value=correct`, {
      key: s.teacherKey,
    });
    expect(zhHeader!.slice(-3)).toEqual(['总得分', '答对题数', '作答题数']);
    expect(zhHeader![2]).toContain(`第 1 题 ${stems[0]!.stem.zh.slice(0, 10)}`);
    const amy = right.find((r) => r[0] === 'Amy')!;
    expect(amy.slice(2, 2 + ids.length).sort()).toEqual(['0', '0', '0', '1', '1', '1']);
    ids.forEach((id, k) =>
      expect(amy[2 + k]).toBe(String(stored.find((x) => x.nickname === 'Amy' && x.questionId === id)!.correct)),
    );
  });
});

describe('class grid', () => {
  it('has a row per roster name and unlinked nickname, a column per session with the percent right', async () => {
    const { t, cls, open, wangFang } = await shuffledClassSession();
    const second = await open('第二课');
    await play(second, 'Amy', [true, true, true, true, true, false]);
    await play(second, 'Bob', [false]);
    await link(t.cookie, second, 'Amy', wangFang);
    const [header, ...rows] = await sheet(`/api/classes/${cls.id}/grid.csv?lang=zh&tz=Asia/Shanghai`, t);
    const list = (await call(`/api/classes/${cls.id}`, { cookie: t.cookie })).json as ClassDetail;
    const day = (title: string) => beijing(list.sessions.find((x) => x.title === title)!.createdAt).slice(0, 10);
    expect(header).toEqual([
      '花名册姓名',
      '昵称',
      `${day('第一课')} 第一课（正确率 %）`,
      `${day('第二课')} 第二课（正确率 %）`,
    ]);
    // Roster names, then the nicknames no name is linked to, each in Chinese order: pinyin (Li Lei
    // before Wang Fang), Chinese before Latin.
    expect(rows).toEqual([
      ['李雷', '', '', ''],
      ['王芳', 'Amy', '50', '83'],
      ['', '小明', '33', ''],
      ['', 'Bob', '', '0'],
    ]);
  });
});

describe('export access and validation', () => {
  it('refuses an unknown time zone or value, another teacher and nobody', async () => {
    const { t, cls, s } = await shuffledClassSession();
    const other = await teacher();
    for (const path of [`/api/sessions/${s.id}/export.csv`, `/api/sessions/${s.id}/grid.csv`]) {
      expectError(await call(`${path}?tz=Mars/Olympus_Mons`, { cookie: t.cookie }), 400, 'invalid_query');
      expectError(await call(`${path}?lang=fr`, { cookie: t.cookie }), 400, 'invalid_query');
      expectError(await call(path, { cookie: other.cookie }), 404, 'session_not_found');
      expectError(await call(path), 401, 'unauthorized');
    }
    expectError(await call(`/api/sessions/${s.id}/grid.csv?value=both`, { cookie: t.cookie }), 400, 'invalid_query');
    const classGrid = `/api/classes/${cls.id}/grid.csv`;
    expectError(await call(`${classGrid}?tz=Asia/Beijing`, { cookie: t.cookie }), 400, 'invalid_query');
    expectError(await call(classGrid, { cookie: other.cookie }), 404, 'class_not_found');
    expectError(await call(classGrid), 401, 'signed_out');
  });
});
