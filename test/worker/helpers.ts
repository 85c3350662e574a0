/** Requests through the real Worker (and its D1), as a browser would make them. */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { expect } from 'vitest';
import worker from '../../worker/index';
import { sha256 } from '../../worker/lib/crypto';
import {
  ERROR_CODES,
  FIELD_PROBLEMS,
  type AnswerResult,
  type CreatedSession,
  type Joined,
  type Leaderboard,
  type PlayState,
  type Question,
  type StudentQuestion,
  type TeacherView,
} from '../../worker/contract';
import { asServed, rightResponse, wrongResponse } from '../responses';

/** What a test sends: `body` as JSON, `token` as a bearer token. */
interface CallInit {
  method?: string;
  body?: unknown;
  token?: string;
  raw?: string;
  cookie?: string;
  headers?: Record<string, string>;
}

function request(path: string, init: CallInit): Request {
  // Like a browser: same-origin requests other than GET carry an Origin header (hono's csrf checks it).
  const headers: Record<string, string> = { Origin: 'http://quiz.test' };
  if (init.cookie) headers.Cookie = init.cookie;
  if (init.body !== undefined || init.raw !== undefined) headers['Content-Type'] = 'application/json';
  Object.assign(headers, init.headers);
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  return new Request(`http://quiz.test${path}`, {
    method: init.method ?? (init.body !== undefined || init.raw !== undefined ? 'POST' : 'GET'),
    headers,
    body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
  });
}

async function answerOf(res: Response) {
  const text = await res.text();
  const json = res.headers.get('Content-Type')?.includes('application/json') ? JSON.parse(text) : null;
  return { status: res.status, headers: res.headers, text, json: json as any };
}

/** A request to the Worker, through the runtime as a browser's would go. */
export const call = async (path: string, init: CallInit = {}) =>
  answerOf(await exports.default.fetch(request(path, init)));

/**
 * A request straight to the Worker's fetch handler, for tests that send hundreds: through
 * `exports.default.fetch` each request costs more than the one before (see the Transport note in
 * ./fuzz-kit.ts).
 */
export async function callHandler(path: string, init: CallInit = {}) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(request(path, init), env, ctx);
  await waitOnExecutionContext(ctx);
  return answerOf(res);
}

let teachers = 0;
let addresses = 0;

/**
 * A client address of its own (from 100.64.0.0/10, which no other test uses), for requests that the limits
 * per address would otherwise count together: each registration and quick session of the helpers
 * below comes from one, as if every test teacher sat at a school of their own.
 */
export const ownAddress = () => {
  const n = ++addresses;
  return { 'CF-Connecting-IP': `100.${64 + ((n >> 16) & 63)}.${(n >> 8) & 255}.${n & 255}` };
};

/** A file to upload: its bytes, the name it has and the type its sender claims. */
export interface UploadFile {
  data: Uint8Array;
  name: string;
  type?: string;
}

/** `POST /api/images` as the quiz builder sends it: multipart/form-data, one `file` field per file. */
export async function upload(cookie: string | undefined, files: UploadFile[]) {
  const form = new FormData();
  for (const f of files) form.append('file', new File([f.data], f.name, { type: f.type ?? '' }));
  const headers: Record<string, string> = { Origin: 'http://quiz.test' };
  if (cookie) headers.Cookie = cookie;
  return answerOf(
    await exports.default.fetch(new Request('http://quiz.test/api/images', { method: 'POST', headers, body: form })),
  );
}

/** Registers a new teacher and returns the cookie that signs them in. */
export async function teacher(name = 'Ms Li'): Promise<{ cookie: string; id: string; email: string }> {
  const email = `teacher${++teachers}-${Math.random().toString(36).slice(2, 8)}@school.example`;
  const res = await call('/api/auth/register', {
    body: { email, name, password: 'correct horse battery' },
    headers: ownAddress(),
  });
  expect(res.status, res.text).toBe(201);
  const cookie = /pg_session=[^;]+/.exec(res.headers.get('Set-Cookie') ?? '')![0];
  return { cookie, id: res.json.teacher.id, email };
}

/** Asserts an error response of the API's shape, with this status and code; a 429 says how long to wait. */
export function expectError(res: Awaited<ReturnType<typeof call>>, status: number, code: string) {
  expect(res.status, res.text).toBe(status);
  const fields = code.startsWith('invalid_') && res.json?.error?.fields ? { fields: expect.any(Array) } : {};
  const wait = status === 429 ? { retryAfterSec: expect.any(Number) } : {};
  expect(res.json).toEqual({ error: { code, message: expect.any(String), ...fields, ...wait } });
  if (status === 429) {
    expect(res.json.error.retryAfterSec).toBeGreaterThan(0);
    expect(res.headers.get('Retry-After')).toBe(String(res.json.error.retryAfterSec));
  }
  expect(ERROR_CODES).toContain(code);
  expect(res.json.error.message.length).toBeGreaterThan(10);
  for (const field of res.json.error.fields ?? []) {
    expect(typeof field.path).toBe('string');
    expect(FIELD_PROBLEMS).toContain(field.problem);
  }
}

/** Opens a session (teacher side) and returns what the teacher gets. */
export async function openSession(body: Record<string, unknown> = {}): Promise<CreatedSession> {
  const res = await call('/api/sessions', {
    body: { title: 'Test class', count: 5, timeLimitSec: 30, ...body },
    headers: ownAddress(),
  });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

/** Joins a session as a student (from `headers`' `CF-Connecting-IP`, if given, else the tests' one address). */
export async function join(
  code: string,
  nickname: string,
  extra: { device?: string; headers?: Record<string, string> } = {},
): Promise<Joined> {
  const { device, headers } = extra;
  const res = await call(`/api/codes/${code}/participants`, { body: { nickname, device }, headers });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

export const state = async (token: string): Promise<PlayState> => (await call('/api/play', { token })).json;
export const answer = (token: string, questionId: string, response: unknown) =>
  call('/api/play/answers', { token, body: { questionId, response } }) as Promise<{
    status: number;
    json: AnswerResult;
    text: string;
    headers: Headers;
  }>;
export const leaderboard = async (token: string): Promise<Leaderboard> =>
  (await call('/api/play/leaderboard', { token })).json;
export const teacherView = async (s: CreatedSession): Promise<TeacherView> =>
  (await call(`/api/sessions/${s.id}`, { token: s.teacherKey })).json;

/** The stored question (answer key included), read straight from D1. */
export async function storedQuestion(id: string): Promise<Question> {
  const row = await env.DB.prepare('SELECT data FROM questions WHERE id = ?').bind(id).first<{ data: string }>();
  return JSON.parse(row!.data);
}

/**
 * The stored question of session `sessionId` a student was served as `served` (found by its stem),
 * answer key included, in the ids the student saw: for answering as they would.
 */
export async function keyFor(sessionId: string, served: StudentQuestion): Promise<Question> {
  const { results } = await env.DB.prepare(
    'SELECT q.data FROM session_questions sq JOIN questions q ON q.id = sq.question_id WHERE sq.session_id = ?',
  )
    .bind(sessionId)
    .all<{ data: string }>();
  const found = results
    .map((r) => JSON.parse(r.data) as Question)
    .filter((q) => q.type === served.type && q.stem.zh === served.stem.zh && q.stem.en === served.stem.en);
  expect(found, `the question served as ${served.id}`).toHaveLength(1);
  return asServed(found[0]!, served);
}

/** Each student's current question of session `sessionId`, answer key included (serving it starts its clock). */
export const currentKeys = (sessionId: string, students: readonly { token: string }[]): Promise<Question[]> =>
  Promise.all(students.map(async (st) => keyFor(sessionId, (await state(st.token)).current!.question)));

/** Every student answers their question (`questions[i]`, see {@link currentKeys}) right, all at once; each is taken. */
export async function answerAllRight(students: readonly { token: string }[], questions: readonly Question[]) {
  const results = await Promise.all(
    students.map((st, i) => answer(st.token, questions[i]!.id, rightResponse(questions[i]!))),
  );
  expect(results.map((r) => r.status)).toEqual(students.map(() => 200));
}

/** The bank id of the question at `position` in session `sessionId`: what D1, reports and teachers go by. */
export async function bankIdAt(sessionId: string, position = 0): Promise<string> {
  const row = await env.DB.prepare('SELECT question_id FROM session_questions WHERE session_id = ? AND position = ?')
    .bind(sessionId, position)
    .first<{ question_id: string }>();
  return row!.question_id;
}

export { asServed, rightResponse, wrongResponse };

/** A teacher's own question (single choice, right answer `b`), valid as it is: tests change one field to break it. */
export const ownQuestion = {
  type: 'single',
  stem: { zh: '我们学校在哪个城市？', en: 'Which city is our school in?' },
  explanation: { zh: '学校在呼和浩特。', en: 'The school is in Hohhot.' },
  options: [
    { id: 'a', text: { zh: '包头', en: 'Baotou' } },
    { id: 'b', text: { zh: '呼和浩特', en: 'Hohhot' } },
  ],
  answer: 'b',
  topics: ['culture'],
  difficulty: 1,
};

/** The session a student's token belongs to (its first part, see worker/lib/auth). */
export const sessionOfToken = (token: string) => token.slice(0, token.indexOf('.'));

/**
 * Brings D1 up to date with a self-paced session's play room and makes the room read the session
 * again on its next request: call it before reading play results from D1 directly, and before
 * changing a session's rows in D1 behind the routes' back (as a teacher route would tell it).
 */
export async function settle(sessionId: string) {
  expect(await env.PLAY_ROOM.get(env.PLAY_ROOM.idFromName(sessionId)).reload()).toBe(true);
}

/** Moves the clock of a student's current question back, as if `ms` had passed since it was served. */
export async function age(token: string, ms: number) {
  await settle(sessionOfToken(token));
  await env.DB.prepare('UPDATE participants SET served_at = served_at - ? WHERE token_hash = ?')
    .bind(ms, await sha256(token))
    .run();
}
