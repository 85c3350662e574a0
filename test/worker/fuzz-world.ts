/**
 * The fixed world each fuzz file sets up once (teachers, classes, quizzes, questions, sessions,
 * students), the resolution of the {@link Ref}s a fuzz case carries, and the auth arbitraries.
 * Everything goes through the Worker (direct dispatch, see fuzz-kit.ts) except two shortcuts that
 * only write rows the API itself would write: extra sign-in cookies and extra students.
 */
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { rawBank } from '../../db/bank';
import { parseBank } from '../../db/seed-sql';
import { generateDrafts } from '../../worker/generator/generate';
import { randomToken, sha256 } from '../../worker/lib/crypto';
import { newStudentToken } from '../../worker/lib/auth';
import { exportGift } from '../../worker/reports/gift';
import { database } from '../../worker/lib/db';
import { linkTokens } from '../../db/schema';
import { newLinkToken } from '../../worker/sync/link-auth';
import { readHeader, readParticipants } from '../../worker/sync/outbox';
import { receiveHeader } from '../../worker/sync/receive';
import type { SessionHeader, WireParticipant } from '../../worker/sync/wire';
import { ownOpen } from '../responses';
import { dispatch, headerValue, ORIGIN, Ref, type Sent } from './fuzz-kit';
import {
  type CreatedSession,
  type PlayState,
  type Question,
  QUESTION_TYPES,
  type StudentQuestion,
} from '../../worker/contract';

// ---------------------------------------------------------------------------------------------
// Plain API calls for the setup
// ---------------------------------------------------------------------------------------------

interface CallInit {
  method?: string;
  body?: unknown;
  cookie?: string;
  bearer?: string;
  ip?: string;
}

let ipCounter = 0;

/** One API call (direct dispatch); fails loudly on anything but `expect`. */
export async function api(
  path: string,
  init: CallInit = {},
  expect?: number,
): Promise<{ status: number; json: any; headers: Headers }> {
  const headers: Record<string, string> = {
    Origin: ORIGIN,
    'CF-Connecting-IP': init.ip ?? `198.18.${(++ipCounter >> 8) & 255}.${ipCounter & 255}`,
  };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  if (init.cookie) headers.Cookie = init.cookie;
  if (init.bearer) headers.Authorization = `Bearer ${init.bearer}`;
  const req: Sent = {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    path,
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  };
  const res = await dispatch(req);
  const text = await res.text();
  const json = res.headers.get('Content-Type')?.includes('json') ? JSON.parse(text) : text;
  if (expect !== undefined && res.status !== expect)
    throw new Error(`setup: ${req.method} ${path} answered ${res.status}, expected ${expect}: ${text}`);
  return { status: res.status, json, headers: res.headers };
}

// ---------------------------------------------------------------------------------------------
// The world
// ---------------------------------------------------------------------------------------------

export interface TeacherRef {
  id: string;
  email: string;
  cookie: string;
}
export interface SessionRef {
  id: string;
  code: string;
  key: string;
}
export interface StudentRef {
  id: string;
  token: string;
  sessionId: string;
}

export const PASSWORD = 'correct horse battery';

let counter = 0;
/** A number unique within the file. */
export const unique = () => ++counter;

async function register(name: string): Promise<TeacherRef> {
  const email = `fuzz-${name.toLowerCase()}-${randomToken(6).toLowerCase()}@school.example`;
  const res = await api('/api/auth/register', { body: { email, name, password: PASSWORD } }, 201);
  const cookie = /pg_session=[^;]+/.exec(res.headers.get('Set-Cookie') ?? '')![0];
  return { id: res.json.teacher.id, email, cookie };
}

/** A text the generator makes drafts of (figures, dates, quoted names), Chinese and English. */
export const ARTICLE = `# 校运动会

2024年10月15日，我校举行第12届秋季运动会，共有1200名学生参加，比赛项目32个。
“阳光体育”活动已连续开展5年，学生体质达标率达到95%以上。

## 获奖情况

初二(3)班获得团体总分第一名，得分186分；初一(2)班获得“精神文明奖”。

## The garden

In 2021 the school planted 340 trees along the "Green Mile", and 85 students volunteered every week.
The project cost 12,500 yuan and won the "Clean City" award in May 2023.`;

/** Valid bodies of a teacher's own question, one per type (bank questions without id and source). */
function ownQuestionExamples(bank: Question[]): Record<string, unknown>[] {
  return QUESTION_TYPES.flatMap((type) => {
    const q = bank.find((b) => b.type === type);
    if (!q) return [];
    const { id: _id, source: _source, ...rest } = q;
    return [{ ...rest, source: { quote: 'A sentence that proves it.' } }];
  });
}

export class World {
  teacher!: TeacherRef;
  other!: TeacherRef;
  /** The teacher whose password the fuzz may change (and whose account limit it exhausts). */
  pw!: TeacherRef;
  /** The teacher who creates (POST routes), so that `teacher`'s lists stay the same size all along. */
  writer!: TeacherRef;
  cls!: { id: string; rosterIds: string[] };
  otherCls!: { id: string };
  quiz!: { id: string };
  otherQuiz!: { id: string };
  question!: { id: string };
  otherQuestion!: { id: string };
  /** An upload of `teacher`'s, attached to no question. */
  image!: { id: string };
  bankIds!: string[];
  /** Self-paced, owned by `teacher`, in `cls`, with students who answered. */
  self!: SessionRef;
  anon!: SessionRef;
  otherSession!: SessionRef;
  live!: SessionRef;
  closed!: SessionRef;
  /** Self-paced, 40 questions, for the students the play routes use. */
  play!: SessionRef;
  playStudents: StudentRef[] = [];
  finished!: StudentRef;
  /** A student of a closed session, and the question they were served (practice is open to them). */
  practising!: { token: string; question: StudentQuestion };
  /** A self-paced session of one open question, and the one answer given to it (the report's hide). */
  cloud!: SessionRef;
  cloudAnswer!: { questionId: string; participantId: string };
  selfStudents: StudentRef[] = [];
  /** A link token of `teacher`'s (the sync API's bearer), and one that has expired. */
  linkToken!: string;
  staleLinkToken!: string;
  /** What a laptop would send of a closed session of `teacher`'s with one student (ids fresh per case). */
  syncHeader!: SessionHeader;
  syncStudent!: WireParticipant;
  questionExamples!: Record<string, unknown>[];
  /** The settings column of a quiz (JSON), for quizzes written straight to D1. */
  quizSettings!: string;
  giftExample!: string;
  draftExamples!: unknown[];

  static async create(): Promise<World> {
    const w = new World();
    const bank = parseBank(rawBank);
    w.questionExamples = ownQuestionExamples(bank);
    w.giftExample = exportGift(bank.slice(0, 12), { lang: 'both', category: 'Fuzz' });
    w.draftExamples = generateDrafts(ARTICLE).slice(0, 6);
    if (w.draftExamples.length === 0) throw new Error('setup: the generator made no drafts of ARTICLE');
    w.bankIds = bank.slice(0, 60).map((q) => q.id);

    [w.teacher, w.other, w.pw, w.writer] = [
      await register('Teacher'),
      await register('Other'),
      await register('Password'),
      await register('Writer'),
    ];
    const cls = await api(
      '/api/classes',
      {
        cookie: w.teacher.cookie,
        body: { name: 'Fuzz class', roster: ['Amy', 'Ben', '=SUM(A1)', '"Cat, the 2nd"', '王小明'] },
      },
      201,
    );
    const roster = await api(`/api/classes/${cls.json.id}`, { cookie: w.teacher.cookie }, 200);
    w.cls = { id: cls.json.id, rosterIds: roster.json.roster.map((r: { id: string }) => r.id) };
    w.otherCls = (await api('/api/classes', { cookie: w.other.cookie, body: { name: 'Other class' } }, 201)).json;
    w.question = (await api('/api/questions', { cookie: w.teacher.cookie, body: w.questionExamples[0] }, 201)).json;
    w.otherQuestion = (await api('/api/questions', { cookie: w.other.cookie, body: w.questionExamples[1] }, 201)).json;
    // Written straight to D1 and R2: `api` sends JSON, an upload is multipart.
    w.image = { id: randomToken(16) };
    await env.DB.prepare(
      "INSERT INTO images (id, owner_id, content_type, width, height, bytes, widths, created_at) VALUES (?, ?, 'image/png', 8, 8, 4, '[8]', ?)",
    )
      .bind(w.image.id, w.teacher.id, Date.now())
      .run();
    await env.IMAGES.put(`u/${w.teacher.id}/${w.image.id}/8`, Uint8Array.of(1, 2, 3, 4));
    w.quiz = (
      await api(
        '/api/quizzes',
        {
          cookie: w.teacher.cookie,
          body: { title: 'Fuzz quiz', questionIds: [...w.bankIds.slice(0, 4), w.question.id] },
        },
        201,
      )
    ).json;
    w.otherQuiz = (
      await api(
        '/api/quizzes',
        { cookie: w.other.cookie, body: { title: 'Other quiz', questionIds: w.bankIds.slice(0, 2) } },
        201,
      )
    ).json;
    w.quizSettings = (await env.DB.prepare('SELECT settings FROM quizzes WHERE id = ?')
      .bind(w.quiz.id)
      .first<{ settings: string }>())!.settings;

    const open = async (body: Record<string, unknown>, cookie?: string): Promise<SessionRef> => {
      const s = (
        await api(
          '/api/sessions',
          { cookie, body: { title: 'Fuzz session', count: 5, timeLimitSec: 30, ...body } },
          201,
        )
      ).json as CreatedSession;
      return { id: s.id, code: s.code, key: s.teacherKey };
    };
    w.self = await open({ classId: w.cls.id, allowGuests: true, title: 'Fuzz “self” , =1+1' }, w.teacher.cookie);
    w.anon = await open({});
    w.otherSession = await open({}, w.other.cookie);
    w.live = await open({ mode: 'live' }, w.teacher.cookie);
    w.closed = await open({}, w.teacher.cookie);
    await api(`/api/sessions/${w.closed.id}/close`, { method: 'POST', bearer: w.closed.key }, 200);
    w.play = await open({ count: 40, timeLimitSec: 0, maxPlayers: 1000 }, w.teacher.cookie);

    // Students of `self` who answered something (the reports have rows to show).
    for (const nickname of ['Amy', '=HYPERLINK("x")', 'Ben, "B"', '王小明']) {
      const joined = await api(`/api/codes/${w.self.code}/participants`, { body: { nickname } }, 201);
      const state = (await api('/api/play', { bearer: joined.json.token }, 200)).json as PlayState;
      await api('/api/play/answers', {
        bearer: joined.json.token,
        body: {
          questionId: state.current!.question.id,
          response: plausibleResponse(state.current!.question, unique()),
        },
      });
      w.selfStudents.push({ id: '', token: joined.json.token, sessionId: w.self.id });
    }
    // A student who finished (the review is open to them).
    const one = await open({ count: 1 }, w.teacher.cookie);
    const joined = await api(`/api/codes/${one.code}/participants`, { body: { nickname: 'Finisher' } }, 201);
    const state = (await api('/api/play', { bearer: joined.json.token }, 200)).json as PlayState;
    await api(
      '/api/play/answers',
      { bearer: joined.json.token, body: { questionId: state.current!.question.id, response: null } },
      200,
    );
    w.finished = { id: '', token: joined.json.token, sessionId: one.id };
    // A student of a session since closed, with the question they were served: practice is open.
    const past = await open({ count: 1 }, w.teacher.cookie);
    const pastSeat = await api(`/api/codes/${past.code}/participants`, { body: { nickname: 'Practiser' } }, 201);
    const served = (await api('/api/play', { bearer: pastSeat.json.token }, 200)).json as PlayState;
    await api(`/api/sessions/${past.id}/close`, { method: 'POST', bearer: past.key }, 200);
    w.practising = { token: pastSeat.json.token, question: served.current!.question };
    // The cloud side: link tokens of `teacher`'s (rows as the account page writes them), and the
    // closed session as the laptop reads it for a send.
    const fresh = await newLinkToken(w.teacher.id, 'Fuzz laptop');
    const stale = await newLinkToken(w.teacher.id, 'Expired laptop', Date.now() - 400 * 86_400_000);
    await database(env.DB).insert(linkTokens).values([fresh.row, stale.row]);
    [w.linkToken, w.staleLinkToken] = [fresh.token, stale.token];
    const db = database(env.DB);
    const pastRow = (await db.query.sessions.findFirst({ where: (s, { eq }) => eq(s.id, past.id) }))!;
    w.syncHeader = await readHeader(db, { ...pastRow, closedAt: pastRow.closedAt! });
    w.syncStudent = (await readParticipants(db, past.id))[0]!;
    // The laptop side: `teacher` is linked to a cloud that cannot be reached (it fails at once).
    await env.DB.prepare(
      'INSERT INTO cloud_links (user_id, url, token, cloud_account, created_at) VALUES (?, ?, ?, ?, ?)',
    )
      .bind(w.teacher.id, UNREACHABLE_CLOUD, `pgl_${'x'.repeat(43)}`, 'Fuzz · fuzz@cloud.example', Date.now())
      .run();
    for (let i = 0; i < 4; i++) w.playStudents.push(await w.mintStudent(w.play.id));
    // An open answer given in a session of the teacher's (the report's hide takes it out of the cloud).
    const openQuestion = (await api('/api/questions', { cookie: w.teacher.cookie, body: ownOpen }, 201)).json;
    const cloudQuiz = await api(
      '/api/quizzes',
      { cookie: w.teacher.cookie, body: { title: 'Fuzz cloud', questionIds: [openQuestion.id] } },
      201,
    );
    w.cloud = await open({ quizId: cloudQuiz.json.id, timeLimitSec: 0 }, w.teacher.cookie);
    const cloudSeat = await api(`/api/codes/${w.cloud.code}/participants`, { body: { nickname: 'Cloud' } }, 201);
    const asked = (await api('/api/play', { bearer: cloudSeat.json.token }, 200)).json as PlayState;
    await api(
      '/api/play/answers',
      { bearer: cloudSeat.json.token, body: { questionId: asked.current!.question.id, response: { text: '团结' } } },
      200,
    );
    // The seat is in D1 once the session's play room has written it.
    await env.PLAY_ROOM.get(env.PLAY_ROOM.idFromName(w.cloud.id)).reload();
    const seat = await env.DB.prepare('SELECT id FROM participants WHERE session_id = ?')
      .bind(w.cloud.id)
      .first<{ id: string }>();
    w.cloudAnswer = { questionId: openQuestion.id, participantId: seat!.id };
    return w;
  }

  /** A new sign-in of `teacher` (the row `startSession` writes), as a cookie. */
  async mintCookie(teacher: TeacherRef): Promise<string> {
    const token = randomToken(32);
    const now = Date.now();
    await env.DB.prepare('INSERT INTO user_sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .bind(await sha256(token), teacher.id, now, now + 86_400_000)
      .run();
    return `pg_session=${token}`;
  }

  /** A new account with `teacher`'s password (the row registering writes, without hashing again) and its sign-in cookie. */
  async mintAccount(): Promise<TeacherRef> {
    const id = randomToken(12);
    const email = `fuzz-leaving-${unique()}-${randomToken(6).toLowerCase()}@school.example`;
    await env.DB.prepare(
      `INSERT INTO users (id, email, name, password_hash, password_salt, password_iterations, created_at)
       SELECT ?, ?, 'Leaving', password_hash, password_salt, password_iterations, ? FROM users WHERE id = ?`,
    )
      .bind(id, email, Date.now(), this.teacher.id)
      .run();
    const teacher = { id, email, cookie: '' };
    return { ...teacher, cookie: await this.mintCookie(teacher) };
  }

  /** A new student in `sessionId` (the row joining writes). */
  async mintStudent(sessionId: string): Promise<StudentRef> {
    const token = newStudentToken(sessionId);
    const id = randomToken(12);
    const n = unique();
    await env.DB.prepare(
      'INSERT INTO participants (id, session_id, nickname, nickname_key, token_hash, joined_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
      .bind(id, sessionId, `Fuzz ${n}`, `fuzz ${n}`, await sha256(token), Date.now(), Date.now() + 86_400_000)
      .run();
    return { id, token, sessionId };
  }

  /** A new session through the API, owned by `owner` (true: the teacher; false: nobody). */
  async freshSession(owner: TeacherRef | boolean, body: Record<string, unknown> = {}): Promise<SessionRef> {
    const cookie = owner === true ? this.teacher.cookie : owner === false ? undefined : owner.cookie;
    const s = (await api('/api/sessions', { cookie, body: { title: `Fresh ${unique()}`, count: 3, ...body } }, 201))
      .json as CreatedSession;
    return { id: s.id, code: s.code, key: s.teacherKey };
  }

  /**
   * A new self-paced session of three bank questions, written straight to D1 (the rows
   * `POST /api/sessions` writes, without drawing from the whole bank: fuzz cases need thousands).
   */
  async quickSession(owner: TeacherRef | null, classId: string | null = null): Promise<SessionRef> {
    const id = randomToken(12);
    const key = randomToken(32);
    const now = Date.now();
    // A code outside the join alphabet (it has a 0), so it never clashes with a real one.
    const code = `0${randomToken(8)
      .replace(/[^A-Z]/g, '')
      .padEnd(5, 'Q')
      .slice(0, 5)}`;
    const qs = [0, 1, 2].map((i) => this.bankIds[(unique() + i) % this.bankIds.length]!);
    await env.DB.batch([
      env.DB.prepare(
        'INSERT INTO sessions (id, code, title, time_limit_sec, owner_id, class_id, teacher_key_hash, teacher_key_expires_at, created_at, id_salt) VALUES (?, ?, ?, 30, ?, ?, ?, ?, ?, ?)',
      ).bind(
        id,
        code,
        `Quick ${unique()}`,
        owner?.id ?? null,
        classId,
        await sha256(key),
        now + 86_400_000,
        now,
        randomToken(16),
      ),
      ...[...new Set(qs)].map((q, position) =>
        env.DB.prepare('INSERT INTO session_questions (session_id, position, question_id) VALUES (?, ?, ?)').bind(
          id,
          position,
          q,
        ),
      ),
    ]);
    return { id, code, key };
  }
}

// ---------------------------------------------------------------------------------------------
// Resolving references
// ---------------------------------------------------------------------------------------------

/** What a case learned while its references were resolved. */
export interface CaseState {
  /** The case's own number: varies every reference with an `n`. */
  n: number;
  /** The session the path names (its key authorizes). */
  session?: SessionRef;
  /** The student the case plays as, and the question they are on. */
  student?: StudentRef;
  current?: StudentQuestion | null;
  /** Rows the case created for itself, deleted after it (so that lists and reports keep their size). */
  cleanup?: D1PreparedStatement[];
}

/** A cloud address that refuses connections at once (the discard port of this machine). */
export const UNREACHABLE_CLOUD = 'http://127.0.0.1:9';

/** Deletes what a case created for itself (what the request deleted already is simply not found). */
export async function cleanUp(state: CaseState): Promise<void> {
  if (state.cleanup?.length) await env.DB.batch(state.cleanup);
}

/** Deletes row `id` after the case (`sql` takes the id as its one parameter). */
export const later = (state: CaseState, sql: string, id: string) => {
  (state.cleanup ??= []).push(env.DB.prepare(sql).bind(id));
  return id;
};

/** A response shaped right for `q` (type and option ids), right or wrong: it gets graded and recorded. */
export function plausibleResponse(q: StudentQuestion | null | undefined, n: number): unknown {
  if (!q) return { optionId: 'a' };
  const opts = (q.options ?? []).map((o) => o.id);
  const targets = (q.targets ?? []).map((o) => o.id);
  const pick = (k: number) => opts[k % Math.max(1, opts.length)] ?? 'a';
  switch (q.type) {
    case 'single':
      return { optionId: pick(n) };
    case 'multi':
      return { optionIds: opts.filter((_, i) => (n >> i) & 1) };
    case 'truefalse':
      return { value: n % 2 === 0 };
    case 'numeric':
      return { value: [0, -1, 1.5, 1e300, n, -n][n % 6] };
    case 'ordering':
      return { order: opts.map((_, i) => opts[(i + n) % opts.length]) };
    case 'matching':
      return {
        pairs: Object.fromEntries(opts.map((id, i) => [id, targets[(i + n) % Math.max(1, targets.length)] ?? 'x'])),
      };
    case 'text':
    case 'open':
      return { text: ['', ' ', 'x', '中文', '１２３', 'A'.repeat(200), 'A'.repeat(201)][n % 7] };
  }
}

/** Plays as one of the play session's students: serves their question (a finished student is replaced). */
export async function asPlayStudent(w: World, state: CaseState): Promise<void> {
  const i = state.n % w.playStudents.length;
  for (let attempt = 0; attempt < 2; attempt++) {
    const student = w.playStudents[i]!;
    const res = await api('/api/play', { bearer: student.token });
    const current = res.status === 200 ? (res.json as PlayState).current : null;
    if (current) {
      state.student = student;
      state.current = current.question;
      return;
    }
    w.playStudents[i] = await w.mintStudent(w.play.id);
  }
  throw new Error('setup: a fresh student of the play session has no current question');
}

/** The value a reference stands for in this case (creating fresh resources where asked). */
export async function resolveRef(w: World, state: CaseState, r: Ref): Promise<unknown> {
  const n = r.n + state.n;
  const session = (s: SessionRef) => {
    state.session = s;
    return s.id;
  };
  switch (r.name) {
    // Teachers
    case 'cookie':
      return w.teacher.cookie;
    case 'otherCookie':
      return w.other.cookie;
    case 'pwCookie':
      return w.pw.cookie;
    case 'freshCookie':
      return w.mintCookie(w.teacher);
    case 'accountCookie': {
      const account = await w.mintAccount();
      later(state, 'DELETE FROM users WHERE id = ?', account.id);
      return account.cookie;
    }
    case 'writerCookie':
      return w.writer.cookie;
    case 'teacherEmail':
      return [w.teacher.email, w.teacher.email.toUpperCase(), `  ${w.teacher.email} `][n % 3];
    case 'pwEmail':
      return w.pw.email;
    case 'freshEmail':
      return `fuzz${unique()}-${n}@school.example`;
    case 'password':
      return PASSWORD;
    // Classes, quizzes, questions
    case 'class':
      return w.cls.id;
    case 'otherClass':
      return w.otherCls.id;
    case 'freshClass': {
      const id = randomToken(12);
      await env.DB.batch([
        env.DB.prepare('INSERT INTO classes (id, owner_id, name, created_at) VALUES (?, ?, ?, ?)').bind(
          id,
          w.teacher.id,
          `Fresh ${unique()}`,
          Date.now(),
        ),
        env.DB.prepare('INSERT INTO roster_entries (id, class_id, name) VALUES (?, ?, ?)').bind(
          randomToken(12),
          id,
          'Amy',
        ),
      ]);
      return later(state, 'DELETE FROM classes WHERE id = ?', id);
    }
    case 'rosterEntry':
      return w.cls.rosterIds[n % w.cls.rosterIds.length];
    case 'quiz':
      return w.quiz.id;
    case 'otherQuiz':
      return w.otherQuiz.id;
    case 'freshQuiz': {
      const id = randomToken(12);
      const now = Date.now();
      await env.DB.batch([
        env.DB.prepare(
          'INSERT INTO quizzes (id, owner_id, title, settings, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
        ).bind(id, w.teacher.id, `Fresh ${unique()}`, w.quizSettings, now, now),
        ...[0, 1].map((i) =>
          env.DB.prepare('INSERT INTO quiz_questions (quiz_id, position, question_id) VALUES (?, ?, ?)').bind(
            id,
            i,
            w.bankIds[(n + i) % w.bankIds.length]!,
          ),
        ),
      ]);
      return later(state, 'DELETE FROM quizzes WHERE id = ?', id);
    }
    case 'question':
      return w.question.id;
    case 'otherQuestion':
      return w.otherQuestion.id;
    case 'image':
      return w.image.id;
    case 'bankQuestion':
      return w.bankIds[n % w.bankIds.length];
    case 'freshQuestion': {
      const id = `own-fresh${unique()}`;
      await env.DB.prepare(
        "INSERT INTO questions (id, type, topics, difficulty, data, origin, owner_id, retired, updated_at) SELECT ?, type, topics, difficulty, json_set(data, '$.id', ?), 'teacher', ?, 0, ? FROM questions WHERE id = ?",
      )
        .bind(id, id, w.teacher.id, Date.now(), w.question.id)
        .run();
      return later(
        state,
        'DELETE FROM questions WHERE id = ? AND id NOT IN (SELECT question_id FROM answers) AND id NOT IN (SELECT question_id FROM session_questions)',
        id,
      );
    }
    // Sessions (by id; the case then uses their key)
    case 'session':
      return session(w.self);
    case 'anonSession':
      return session(w.anon);
    case 'otherSession':
      return session(w.otherSession);
    case 'liveSession':
      return session(w.live);
    case 'closedSession':
      return session(w.closed);
    case 'freshSession':
    case 'freshAnonSession':
    case 'freshOtherSession': {
      const owner = r.name === 'freshSession' ? w.teacher : r.name === 'freshOtherSession' ? w.other : null;
      const s = await w.quickSession(owner, owner === w.teacher && n % 3 === 0 ? w.cls.id : null);
      later(state, 'DELETE FROM sessions WHERE id = ?', s.id);
      return session(s);
    }
    // The cloud's sync API: a session id never seen, one whose header was received (both deleted after)
    case 'freshSyncId':
      return later(state, 'DELETE FROM sessions WHERE id = ?', randomToken(12));
    case 'syncedSession': {
      const id = later(state, 'DELETE FROM sessions WHERE id = ?', randomToken(12));
      await receiveHeader(database(env.DB), id, w.teacher.id, w.syncHeader);
      return id;
    }
    case 'syncStudentId':
      return randomToken(12);
    case 'linkBearer':
      return `Bearer ${w.linkToken}`;
    case 'staleLinkBearer':
      return `Bearer ${w.staleLinkToken}`;
    case 'freshLinkToken': {
      const { row } = await newLinkToken(w.teacher.id, `Fresh ${unique()}`);
      await database(env.DB).insert(linkTokens).values(row);
      return later(state, 'DELETE FROM link_tokens WHERE id = ?', row.id);
    }
    case 'key':
      return (state.session ?? w.self).key;
    case 'keyBearer':
      return `Bearer ${(state.session ?? w.self).key}`;
    case 'otherKeyBearer':
      return `Bearer ${w.otherSession.key}`;
    // Join codes
    case 'selfCode':
      return [w.self.code, w.self.code.toLowerCase(), ` ${w.self.code} `][n % 3];
    case 'liveCode':
      return w.live.code;
    case 'closedCode':
      return w.closed.code;
    case 'playCode':
      return w.play.code;
    case 'freshNick':
      return `Kid ${unique()}`;
    // Students
    case 'participant':
      return later(
        state,
        'DELETE FROM participants WHERE id = ?',
        (await w.mintStudent((state.session ?? w.self).id)).id,
      );
    case 'otherParticipant':
      return later(state, 'DELETE FROM participants WHERE id = ?', (await w.mintStudent(w.anon.id)).id);
    case 'tokenBearer':
      return `Bearer ${(state.student ?? w.playStudents[n % w.playStudents.length]!).token}`;
    case 'finishedBearer':
      return `Bearer ${w.finished.token}`;
    case 'practiseBearer':
      return `Bearer ${w.practising.token}`;
    case 'cloudSession':
      return session(w.cloud);
    case 'cloudQuestion':
      return w.cloudAnswer.questionId;
    case 'cloudParticipant':
      return w.cloudAnswer.participantId;
    case 'practiseQuestionId':
      return w.practising.question.id;
    case 'practiseResponse':
      return plausibleResponse(w.practising.question, n);
    case 'selfBearer':
      return `Bearer ${w.selfStudents[n % w.selfStudents.length]!.token}`;
    case 'liveToken': {
      const student = await w.mintStudent(w.live.id);
      later(state, 'DELETE FROM participants WHERE id = ?', student.id);
      return student.token;
    }
    case 'liveBearer': {
      const student = await w.mintStudent(w.live.id);
      later(state, 'DELETE FROM participants WHERE id = ?', student.id);
      return `Bearer ${student.token}`;
    }
    case 'selfToken':
      return w.selfStudents[n % w.selfStudents.length]!.token;
    case 'liveKey':
      return w.live.key;
    // A fresh ticket for the live session's socket (single use), a student's or a screen's.
    case 'liveTicket': {
      const res =
        n % 2 === 0
          ? await api(
              `/api/sessions/${w.live.id}/live/ticket`,
              { bearer: w.live.key, body: { screen: 'projector' } },
              200,
            )
          : await api(
              '/api/play/live/ticket',
              { method: 'POST', bearer: (await resolveRef(w, state, new Ref('liveToken'))) as string },
              200,
            );
      return res.json.ticket as string;
    }
    // The question the case's student is on
    case 'currentQuestionId':
      return state.current?.id ?? 'no-current-question';
    case 'optionId':
      return state.current?.options?.[n % state.current.options.length]?.id ?? 'a';
    case 'response':
      return plausibleResponse(state.current, n);
    default:
      throw new Error(`fuzz: unknown reference ${r.name}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Credentials
// ---------------------------------------------------------------------------------------------

/** The credentials of a case: a cookie and/or an Authorization header (values or references). */
export interface AuthChoice {
  cookie?: string | Ref;
  authorization?: string | Ref;
}

const garbageBearer = fc.stringMatching(/^[A-Za-z0-9_-]{16,128}$/).map((t) => `Bearer ${t}`);
const malformedAuthorization = fc.oneof(
  headerValue,
  headerValue.map((v) => `Bearer ${v}`),
  fc.constantFrom(
    'Bearer',
    'Bearer ',
    'bearer abcdefghijklmnopqrstu',
    'BEARER abcdefghijklmnopqrstu',
    'Basic dXNlcjpwYXNz',
    'Bearer short',
    `Bearer ${'a'.repeat(129)}`,
    'Bearer abcdefghijklmnop!',
    'Bearer  abcdefghijklmnopq',
    'Bearer abcdefghijklmnopq extra',
    'Token abcdefghijklmnopq',
  ),
);
const garbageCookie = fc.oneof(
  headerValue,
  fc.stringMatching(/^[A-Za-z0-9_-]{10,60}$/).map((t) => `pg_session=${t}`),
  fc.constantFrom(
    'pg_session=',
    'pg_session',
    `pg_session=${'a'.repeat(129)}`,
    'pg_session=%ZZ',
    'pg_session=%E0%A4%A',
    'pg_session="abc"',
    'a=b; pg_session=x; pg_session=y',
    '=;=;',
    'pg_session=%00',
    ';;;',
    'pg_session=a;pg_session=b',
  ),
);

const choice = (a: AuthChoice) => fc.constant(a);

/** Who a route expects: a signed-in teacher, a session's manager (key or owner), a student, or nobody. */
export type AuthKind = 'none' | 'teacher' | 'manager' | 'student' | 'link';

/**
 * Credentials for a route: mostly the right ones (`cookieRef`/`bearerRef` name them), else none,
 * someone else's, the wrong kind, well-formed unknown ones, or malformed headers.
 */
export function authArb(
  kind: AuthKind,
  opts: { cookieRef?: string; bearerRef?: string } = {},
): fc.Arbitrary<AuthChoice> {
  const cookie = new Ref(opts.cookieRef ?? 'cookie');
  const bearer = new Ref(opts.bearerRef ?? (kind === 'manager' ? 'keyBearer' : 'tokenBearer'));
  const wrong: fc.WeightedArbitrary<AuthChoice>[] = [
    { weight: 1, arbitrary: choice({}) },
    { weight: 1, arbitrary: garbageBearer.map((authorization) => ({ authorization })) },
    { weight: 1, arbitrary: malformedAuthorization.map((authorization) => ({ authorization })) },
    { weight: 1, arbitrary: garbageCookie.map((c) => ({ cookie: c })) },
    { weight: 1, arbitrary: choice({ cookie: new Ref('otherCookie') }) },
  ];
  switch (kind) {
    case 'teacher':
      return fc.oneof(
        { weight: 20, arbitrary: choice({ cookie }) },
        { weight: 1, arbitrary: choice({ authorization: new Ref('keyBearer') }) },
        ...wrong,
      );
    case 'manager':
      return fc.oneof(
        { weight: 10, arbitrary: choice({ authorization: bearer }) },
        { weight: 10, arbitrary: choice({ cookie }) },
        { weight: 1, arbitrary: choice({ cookie, authorization: bearer }) },
        { weight: 1, arbitrary: garbageBearer.map((authorization) => ({ cookie, authorization })) },
        { weight: 1, arbitrary: choice({ authorization: new Ref('otherKeyBearer') }) },
        { weight: 1, arbitrary: choice({ authorization: new Ref('tokenBearer') }) },
        ...wrong,
      );
    case 'student':
      return fc.oneof(
        { weight: 20, arbitrary: choice({ authorization: bearer }) },
        { weight: 1, arbitrary: choice({ authorization: new Ref('keyBearer') }) },
        { weight: 1, arbitrary: choice({ authorization: new Ref('finishedBearer') }) },
        { weight: 1, arbitrary: choice({ cookie }) },
        ...wrong,
      );
    // A laptop's link token: `teacher`'s, an expired one, made-up ones, or a sign-in cookie.
    case 'link':
      return fc.oneof(
        { weight: 20, arbitrary: choice({ authorization: new Ref('linkBearer') }) },
        { weight: 1, arbitrary: choice({ authorization: new Ref('staleLinkBearer') }) },
        {
          weight: 1,
          arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{43}$/).map((t) => ({ authorization: `Bearer pgl_${t}` })),
        },
        { weight: 1, arbitrary: choice({ cookie: new Ref('cookie') }) },
        { weight: 1, arbitrary: choice({ authorization: new Ref('keyBearer') }) },
        ...wrong,
      );
    case 'none':
      return fc.oneof({ weight: 6, arbitrary: choice({}) }, { weight: 1, arbitrary: choice({ cookie }) }, ...wrong);
  }
}
