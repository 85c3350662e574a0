import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { ClassReport, SessionReport } from '../../worker/contract';
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

/** A class session of the given questions played by students whose answers follow `plan` (true = right, false = wrong, null = skip). */
async function played(questionIds: string[], plan: Record<string, (boolean | null)[]>) {
  const t = await teacher();
  const cls = (await call('/api/classes', { cookie: t.cookie, body: { name: '初二(3)班', roster: ['王芳'] } })).json;
  const quiz = (
    await call('/api/quizzes', {
      cookie: t.cookie,
      body: { title: 'Quiz', questionIds, settings: { timeLimitSec: 0 } },
    })
  ).json;
  const s = (
    await call('/api/sessions', {
      cookie: t.cookie,
      body: { title: '第一课', quizId: quiz.id, classId: cls.id, allowGuests: true },
    })
  ).json;
  for (const [nickname, moves] of Object.entries(plan)) {
    const { token } = await join(s.code, nickname);
    for (const move of moves) {
      const st = await state(token);
      if (!st.current) break;
      const q = await keyFor(s.id, st.current.question);
      await answer(token, q.id, move === null ? null : move ? rightResponse(q) : wrongResponse(q));
    }
  }
  return { t, cls, quiz, s };
}

describe('session report', () => {
  it('shows distribution, per-question results, answer distribution, item analysis and per-student answers', async () => {
    // int-002 is single choice; five students, the stronger ones get more right.
    const ids = ['int-002', 'int-001', 'dir-001'];
    const { t, s } = await played(ids, {
      A: [true, true, true],
      B: [true, true, false],
      C: [false, true, false],
      D: [false, false, false],
      E: [true, false, null],
    });
    const res = await call(`/api/sessions/${s.id}/report`, { cookie: t.cookie });
    expect(res.status, res.text).toBe(200);
    const r: SessionReport = res.json;
    expect(r.session).toMatchObject({ questionCount: 3, participants: 5 });
    // Right answers per student: A 3, B 2, C 1, D 0, E 1 → bins of one question each.
    expect(r.scoreDistribution.map((b) => [b.from, b.count])).toEqual([
      [0, 1],
      [1, 2],
      [2, 1],
      [3, 1],
    ]);
    expect(r.questions.map((q) => [q.answered, q.correct])).toEqual([
      [5, 3],
      [5, 3],
      [5, 1],
    ]);
    expect(r.questions[0]!.stats.facility).toBeCloseTo(60, 5);
    expect(r.questions[2]!.stats.facility).toBeCloseTo(20, 5);
    expect(r.hardest[0]).toBe(2);
    const q0 = await storedQuestion('int-002');
    const dist = r.questions[0]!.distribution!;
    expect(dist.total).toBe(5);
    if (q0.type === 'single') expect(dist.counts[q0.answer]).toBe(3);
    expect(dist.options.filter((o) => o.correct)).toHaveLength(1);
    expect(r.students.map((x) => [x.nickname, x.correct])).toEqual([
      ['A', 3],
      ['B', 2],
      expect.anything(),
      expect.anything(),
      ['D', 0],
    ]);
    expect(r.students[0]!.answers).toHaveLength(3);
  });

  it('marks no option right before a student has answered the question', async () => {
    const { t, s } = await played(['int-002', 'int-003'], { A: [true] });
    const r: SessionReport = (await call(`/api/sessions/${s.id}/report`, { cookie: t.cookie })).json;
    const [answered, unanswered] = r.questions;
    expect(answered!.distribution!.options.filter((o) => o.correct)).toHaveLength(1);
    expect(unanswered!.answered).toBe(0);
    expect(unanswered!.distribution!.options.some((o) => o.correct)).toBe(false);
  });

  it('shows every student answer in words: option texts, ordering numbered, matching as pairs, true/false, numbers and text as given', async () => {
    // One question of each type: single, multi, true/false, numeric, ordering, matching, text.
    const ids = ['cap-001', 'cap-008', 'cap-004', 'cap-011', 'com-016', 'com-008', 'cap-006'];
    const { t, s } = await played(ids, {
      Right: ids.map(() => true),
      Wrong: [false, false, false, false, false, false, null],
    });
    const res = await call(`/api/sessions/${s.id}/report`, { cookie: t.cookie });
    expect(res.status, res.text).toBe(200);
    const r: SessionReport = res.json;
    const idAt = new Map(r.questions.map((q) => [q.position, q.id]));
    const given = (nickname: string) =>
      Object.fromEntries(
        r.students.find((x) => x.nickname === nickname)!.answers.map((a) => [idAt.get(a.position)!, a.responseText]),
      );
    expect(given('Right')).toEqual({
      'cap-001': { zh: '白岩松', en: 'Bai Yansong (白岩松)' },
      'cap-008': {
        zh: '积极践行新时代“枫桥经验”、及时帮助各族群众解决急难愁盼',
        en: "It actively practises the new-era 'Fengqiao Experience', It promptly helps people of all ethnic groups with their most pressing difficulties and concerns",
      },
      'cap-004': { zh: '错', en: 'False' },
      'cap-011': { zh: '3000', en: '3000' },
      'com-016': {
        zh: '1. 挖掘典型 2. 培育典型 3. 推荐典型 4. 表彰典型',
        en: '1. discovering models 2. cultivating models 3. recommending models 4. commending models',
      },
      'com-008': {
        zh: '尼玛 → 守边员、齐晓景 → 乡土人才孵化中心主任、何生海 → 教授',
        en: 'Nima (尼玛) → border patroller, Qi Xiaojing (齐晓景) → director of a local-talent incubation centre, He Shenghai (何生海) → professor',
      },
      'cap-006': { zh: '枫桥', en: '枫桥' },
    });
    const wrong = given('Wrong');
    expect(wrong['cap-004']).toEqual({ zh: '对', en: 'True' });
    expect(wrong['com-016']!.zh).toBe('1. 表彰典型 2. 推荐典型 3. 培育典型 4. 挖掘典型');
    expect(wrong['com-008']!.zh).toBe('尼玛 → 乡土人才孵化中心主任、齐晓景 → 教授、何生海 → 守边员');
    expect(wrong['cap-006']).toBeNull(); // time ran out

    // The CSV's "answer given" is the same text, in the language asked for; a number stays a number.
    const csv = (await call(`/api/sessions/${s.id}/export.csv?lang=zh`, { cookie: t.cookie })).text;
    const rows = csv.trim().split('\r\n');
    const column = rows[0]!.split(',').indexOf('作答');
    const cell = (nickname: string, id: string) =>
      rows.find((row) => row.includes(`,${nickname},`) && row.includes(`,${id},`))!.split(',')[column];
    expect(cell('Right', 'com-016')).toBe('1. 挖掘典型 2. 培育典型 3. 推荐典型 4. 表彰典型');
    expect(cell('Right', 'com-008')).toBe('尼玛 → 守边员、齐晓景 → 乡土人才孵化中心主任、何生海 → 教授');
    expect(cell('Right', 'cap-001')).toBe('白岩松');
    expect(cell('Right', 'cap-004')).toBe('错');
    expect(cell('Right', 'cap-011')).toBe('3000');
    expect(cell('Wrong', 'cap-006')).toBe('');
  });

  it('exports CSV with a BOM, Chinese intact and formulas neutralised', async () => {
    const { t, s } = await played(['int-001'], { '=SUM(A1)': [true], 小明: [false] });
    const res = await call(`/api/sessions/${s.id}/export.csv`, { cookie: t.cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toContain('text/csv');
    expect(res.headers.get('Content-Disposition')).toContain('attachment');
    // Response.text() drops a BOM, so look at the bytes: EF BB BF.
    const raw = await exports.default.fetch(`http://quiz.test/api/sessions/${s.id}/export.csv`, {
      headers: { Cookie: t.cookie },
    });
    expect([...new Uint8Array(await raw.arrayBuffer()).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = res.text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^rank,nickname,roster name,total score/);
    expect(lines).toHaveLength(3);
    expect(res.text).toContain("'=SUM(A1)");
    expect(res.text).toContain('小明');
    expectError(await call(`/api/sessions/${s.id}/export.csv`), 401, 'unauthorized');
    expectError(
      await call(`/api/sessions/${s.id}/export.csv`, { cookie: (await teacher()).cookie }),
      404,
      'session_not_found',
    );
  });
});

describe('class report', () => {
  it('ranks students across sessions, shows trends and the topics most often wrong', async () => {
    const { t, cls, quiz } = await played(['int-001'], { 王芳: [true], Li: [false] });
    const second = (
      await call('/api/sessions', {
        cookie: t.cookie,
        body: { title: '第二课', quizId: quiz.id, classId: cls.id, allowGuests: true },
      })
    ).json;
    for (const [nick, right] of [
      ['王芳', true],
      ['li', true],
    ] as const) {
      const { token } = await join(second.code, nick);
      const q = await keyFor(second.id, (await state(token)).current!.question);
      await answer(token, q.id, right ? rightResponse(q) : wrongResponse(q));
    }
    const res = await call(`/api/classes/${cls.id}/report`, { cookie: t.cookie });
    expect(res.status, res.text).toBe(200);
    const r: ClassReport = res.json;
    expect(r.sessions.map((x) => x.title)).toEqual(['第一课', '第二课']);
    // 王芳, typed as on the roster, is that name in both; "Li" and "li" are one nickname (folded).
    expect(r.students.map((x) => [x.name, x.sessions, x.absentFrom])).toEqual([['王芳', 2, []]]);
    expect(r.nicknames.map((x) => [x.name, x.sessions])).toEqual([['Li', 2]]);
    expect(r.students[0]!.trend.map((x) => x.correct)).toEqual([1, 1]);
    expect(r.nicknames[0]!.trend.map((x) => x.correct)).toEqual([0, 1]);
    expect(r.topics.length).toBeGreaterThan(0);
    expect(r.topics[0]).toMatchObject({ answered: 4, wrong: 1 });
    expectError(
      await call(`/api/classes/${cls.id}/report`, { cookie: (await teacher()).cookie }),
      404,
      'class_not_found',
    );
  });
});

describe('GIFT', () => {
  it('exports a quiz and imports it back as the teacher’s own questions', async () => {
    const t = await teacher();
    const ids = ['int-001', 'dir-001', 'dem-001', 'pub-001', 'com-001'];
    const quiz = (await call('/api/quizzes', { cookie: t.cookie, body: { title: 'GIFT', questionIds: ids } })).json;
    const res = await call(`/api/quizzes/${quiz.id}/export.gift?lang=zh`, { cookie: t.cookie });
    expect(res.status).toBe(200);
    expect(res.text).toContain('::int-001::');
    const imported = await call('/api/questions/import', { cookie: t.cookie, body: { gift: res.text, lang: 'zh' } });
    expect(imported.status, imported.text).toBe(201);
    expect(imported.json.imported).toHaveLength(ids.length);
    const mine = (await call('/api/questions?mine=1&limit=50', { cookie: t.cookie })).json;
    expect(mine.total).toBe(ids.length);
    expectError(
      await call('/api/questions/import', { cookie: t.cookie, body: { gift: '::x:: broken { =a ~b' } }),
      400,
      'invalid_gift',
    );
  });
});
