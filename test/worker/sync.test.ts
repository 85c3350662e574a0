/**
 * Sending a classroom laptop's results to the cloud, the cloud's half: link tokens, the sync API's
 * steps (idempotent, resumable, refusing what another account owns) and the library a laptop takes.
 * Laptop and cloud share this test's D1, so a played session is sent under fresh ids (as it would
 * arrive from another database) by a second teacher, and the two reports are compared.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { SessionReport } from '../../worker/contract';
import { sha256 } from '../../worker/lib/crypto';
import { database } from '../../worker/lib/db';
import { runRetention } from '../../worker/lib/retention';
import { MAX_LINK_TOKENS } from '../../worker/routes/link-tokens';
import { readHeader, readParticipants } from '../../worker/sync/outbox';
import { pagesAfter } from '../../worker/sync/pages';
import type { SessionHeader, WireParticipant } from '../../worker/sync/wire';
import {
  answer,
  call,
  expectError,
  join,
  keyFor,
  ownQuestion,
  rightResponse,
  state,
  teacher,
  wrongResponse,
} from './helpers';

type Teacher = Awaited<ReturnType<typeof teacher>>;

/** A closed class session of a quiz with an own question, played by a roster student and a guest. */
async function played() {
  const t = await teacher();
  const own = (await call('/api/questions', { cookie: t.cookie, body: ownQuestion })).json;
  const cls = (await call('/api/classes', { cookie: t.cookie, body: { name: '初二(3)班', roster: ['王芳', '李雷'] } }))
    .json;
  const quiz = (
    await call('/api/quizzes', {
      cookie: t.cookie,
      body: { title: 'Quiz', questionIds: [own.id, 'int-002', 'int-001'], settings: { timeLimitSec: 0 } },
    })
  ).json;
  const s = (
    await call('/api/sessions', {
      cookie: t.cookie,
      body: { title: '第一课', quizId: quiz.id, classId: cls.id, allowGuests: true },
    })
  ).json;
  const roster = await env.DB.prepare('SELECT id FROM roster_entries WHERE class_id = ? AND name = ?')
    .bind(cls.id, '王芳')
    .first<{ id: string }>();
  const students = [
    (await call(`/api/codes/${s.code}/participants`, { body: { rosterId: roster!.id } })).json.token as string,
    (await join(s.code, 'Amy')).token,
    (await join(s.code, 'Bo')).token,
  ];
  for (const [i, token] of students.entries())
    for (let k = 0; k < 3 - i; k++) {
      const q = await keyFor(s.id, (await state(token)).current!.question);
      await answer(token, q.id, (i + k) % 2 ? wrongResponse(q) : rightResponse(q));
    }
  expect((await call(`/api/sessions/${s.id}/close`, { cookie: t.cookie, body: {} })).status).toBe(200);
  return { t, s, own: own.id as string, cls: cls.id as string };
}

/** What the laptop would send of session `id`, every id of the laptop's database replaced by a fresh one. */
async function sentAs(id: string, suffix: string) {
  const db = database(env.DB);
  const session = (await db.query.sessions.findFirst({ where: (s, { eq }) => eq(s.id, id) }))!;
  const header = await readHeader(db, { ...session, closedAt: session.closedAt! });
  const people = await readParticipants(db, id);
  const re = (x: string) => `${x}${suffix}`;
  const own = (q: string) => (q.startsWith('own-') ? re(q) : q);
  const moved: SessionHeader = {
    ...header,
    quizId: null,
    class: header.class && {
      ...header.class,
      id: re(header.class.id),
      roster: header.class.roster.map((r) => ({ ...r, id: re(r.id) })),
    },
    questions: header.questions.map((q) => ({ ...q, data: { ...q.data, id: own(q.data.id) } })),
  };
  const students: WireParticipant[] = people.map((p) => ({
    ...p,
    id: re(p.id),
    rosterId: p.rosterId && re(p.rosterId),
    answers: p.answers.map((a) => ({ ...a, questionId: own(a.questionId) })),
  }));
  return { sessionId: re(id), header: moved, students };
}

async function newToken(t: Teacher, name = 'Room 204') {
  const res = await call('/api/link-tokens', { cookie: t.cookie, body: { name } });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; token: string };
}

/** A played laptop session, a cloud teacher with a link token, and the session as the laptop sends it (ids + `suffix`). */
async function toSend(suffix: string, cloudTeacher?: string) {
  const laptop = await played();
  const cloud = await teacher(cloudTeacher);
  const { token } = await newToken(cloud);
  const sent = await sentAs(laptop.s.id, suffix);
  return { laptop, cloud, token, sent, path: `/sessions/${sent.sessionId}` };
}

const sync = (token: string, path: string, body?: unknown, method?: string) =>
  call(`/api/sync${path}`, { token, body, method });

async function sendAll(token: string, sent: Awaited<ReturnType<typeof sentAs>>, pageSize = 1) {
  const path = `/sessions/${sent.sessionId}`;
  const head = await sync(token, path, sent.header, 'PUT');
  expect(head.status, head.text).toBe(200);
  for (const page of pagesAfter(sent.students, head.json.cursor, pageSize))
    expect((await sync(token, `${path}/participants`, { participants: page })).status).toBe(200);
  return sync(token, `${path}/complete`, totals(sent));
}

const totals = (sent: Awaited<ReturnType<typeof sentAs>>) => ({
  participants: sent.students.length,
  answers: sent.students.reduce((n, p) => n + p.answers.length, 0),
});

/**
 * A session's report, without its id, and with the own question's id as the laptop has it: the
 * two ids a copy under fresh ids differs in.
 */
async function report(t: Teacher, id: string, suffix = '') {
  const res = await call(`/api/sessions/${id}/report`, { cookie: t.cookie });
  expect(res.status, res.text).toBe(200);
  const r = res.json as SessionReport;
  const { id: _id, ...session } = r.session;
  const questions = r.questions.map((q) => ({
    ...q,
    id: q.id.startsWith('own-') ? q.id.slice(0, q.id.length - suffix.length) : q.id,
  }));
  return { ...r, session, questions };
}

/** Every stored row of a session's students and answers, to compare before and after a resend. */
const rows = async (sessionId: string) => ({
  people: (await env.DB.prepare('SELECT * FROM participants WHERE session_id = ? ORDER BY id').bind(sessionId).all())
    .results,
  answers: (
    await env.DB.prepare('SELECT * FROM answers WHERE session_id = ? ORDER BY participant_id, question_id')
      .bind(sessionId)
      .all()
  ).results,
});

describe('link tokens', () => {
  it('are shown once, stored as a hash, listed without the token, and revoked by their owner only', async () => {
    const t = await teacher();
    const made = await newToken(t);
    expect(made.token).toMatch(/^pgl_[A-Za-z0-9_-]{43}$/);
    const stored = await env.DB.prepare('SELECT * FROM link_tokens WHERE id = ?').bind(made.id).first();
    expect(stored!.token_hash).toBe(await sha256(made.token));
    expect(JSON.stringify(stored)).not.toContain(made.token.slice(4));
    const list = await call('/api/link-tokens', { cookie: t.cookie });
    expect(list.json).toEqual([
      { id: made.id, name: 'Room 204', createdAt: expect.any(Number), expiresAt: expect.any(Number), lastUsedAt: null },
    ]);
    expect(list.json[0].expiresAt - list.json[0].createdAt).toBe(365 * 24 * 3600 * 1000);
    expect((await sync(made.token, '/account')).json).toEqual({ name: 'Ms Li', email: t.email });
    expect((await call('/api/link-tokens', { cookie: t.cookie })).json[0].lastUsedAt).toEqual(expect.any(Number));

    const other = await teacher('Mr Wang');
    expectError(
      await call(`/api/link-tokens/${made.id}`, { cookie: other.cookie, method: 'DELETE' }),
      404,
      'link_token_not_found',
    );
    expect((await call(`/api/link-tokens/${made.id}`, { cookie: t.cookie, method: 'DELETE' })).status).toBe(204);
    expectError(await sync(made.token, '/account'), 401, 'link_token_invalid');
    expectError(await call('/api/link-tokens', { cookie: t.cookie, body: { name: ' ' } }), 400, 'invalid_json');
    expectError(await call('/api/link-tokens', { body: { name: 'x' } }), 401, 'signed_out');
  });

  it('are at most MAX_LINK_TOKENS per teacher, even when asked for at once', async () => {
    const t = await teacher();
    const made = await Promise.all(
      Array.from({ length: MAX_LINK_TOKENS + 3 }, (_, i) =>
        call('/api/link-tokens', { cookie: t.cookie, body: { name: `Laptop ${i}` } }),
      ),
    );
    expect(made.filter((r) => r.status === 201)).toHaveLength(MAX_LINK_TOKENS);
    for (const refused of made.filter((r) => r.status !== 201)) expectError(refused, 409, 'too_many_link_tokens');
    // Another teacher is not counted against; revoking one makes room again.
    expect((await call('/api/link-tokens', { cookie: (await teacher()).cookie, body: { name: 'x' } })).status).toBe(
      201,
    );
    const first = made.find((r) => r.status === 201)!.json.id as string;
    expect((await call(`/api/link-tokens/${first}`, { cookie: t.cookie, method: 'DELETE' })).status).toBe(204);
    expect((await call('/api/link-tokens', { cookie: t.cookie, body: { name: 'New laptop' } })).status).toBe(201);
  });

  it('refuse a missing, malformed, unknown or expired token with 401; the daily run deletes expired ones', async () => {
    const t = await teacher();
    const made = await newToken(t);
    expectError(await call('/api/sync/account'), 401, 'link_token_invalid');
    expectError(await sync('pgl_short', '/account'), 401, 'link_token_invalid');
    expectError(await sync(`pgl_${'A'.repeat(43)}`, '/account'), 401, 'link_token_invalid');
    await env.DB.prepare('UPDATE link_tokens SET expires_at = ? WHERE id = ?')
      .bind(Date.now() - 1, made.id)
      .run();
    expectError(await sync(made.token, '/account'), 401, 'link_token_invalid');
    // The daily run deletes it, and keeps a live one.
    const live = await newToken(t, 'Room 205');
    expect((await runRetention(env, Date.now())).linkTokens).toBeGreaterThanOrEqual(1);
    const left = await env.DB.prepare('SELECT id FROM link_tokens WHERE user_id = ?').bind(t.id).all<{ id: string }>();
    expect(left.results.map((r) => r.id)).toEqual([live.id]);
  });
});

describe('sending a session', () => {
  it('stores it in steps; the cloud report equals the laptop report; a resend changes nothing', async () => {
    const { laptop, cloud, token, sent } = await toSend('c', 'Ms Li');
    const res = await sendAll(token, sent);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ cursor: sent.students.at(-1)!.id, complete: true });
    const cloudReport = await report(cloud, sent.sessionId, 'c');
    expect(cloudReport).toEqual(await report(laptop.t, laptop.s.id));
    expect(cloudReport.students.map((s) => s.rosterName)).toContain('王芳');
    // The class came along with its roster, now the cloud teacher's.
    const cls = await call(`/api/classes/${sent.header.class!.id}`, { cookie: cloud.cookie });
    expect(cls.status, cls.text).toBe(200);
    // The laptop's device tokens open nothing on the cloud.
    const hashes = await env.DB.prepare('SELECT token_hash FROM participants WHERE session_id = ?')
      .bind(sent.sessionId)
      .all<{ token_hash: string }>();
    expect(hashes.results.every((r) => r.token_hash.startsWith('expired:'))).toBe(true);

    const before = await rows(sent.sessionId);
    expect((await sendAll(token, sent, 50)).json.complete).toBe(true);
    // Every page again, even those the cloud has.
    for (const page of pagesAfter(sent.students, null, 2))
      expect((await sync(token, `/sessions/${sent.sessionId}/participants`, { participants: page })).status).toBe(200);
    expect(await rows(sent.sessionId)).toEqual(before);
    expect(await report(cloud, sent.sessionId, 'c')).toEqual(cloudReport);
  });

  it("takes the laptop's names as they are now: a swap of names, a newcomer in a departed student's roster seat", async () => {
    const { token, sent, path } = await toSend('n');
    expect((await sendAll(token, sent)).json.complete).toBe(true);
    const nameOf = (id: string) =>
      env.DB.prepare('SELECT nickname, nickname_key, roster_id FROM participants WHERE id = ?').bind(id).first();

    // On the laptop Amy and Bo swapped names. Each page holds one of them: each meets the other's old name.
    const amy = sent.students.find((p) => p.nickname === 'Amy')!;
    const bo = sent.students.find((p) => p.nickname === 'Bo')!;
    const named = (p: WireParticipant, as: WireParticipant) => ({
      ...p,
      nickname: as.nickname,
      nicknameKey: as.nicknameKey,
    });
    const swapped = sent.students.map((p) => (p === amy ? named(p, bo) : p === bo ? named(p, amy) : p));
    for (const page of pagesAfter(swapped, null, 1)) {
      const res = await sync(token, `${path}/participants`, { participants: page });
      expect(res.status, res.text).toBe(200);
    }
    expect((await sync(token, `${path}/complete`, totals(sent))).json.complete).toBe(true);
    expect(await nameOf(amy.id)).toMatchObject({ nickname: 'Bo', nickname_key: bo.nicknameKey });
    expect(await nameOf(bo.id)).toMatchObject({ nickname: 'Amy', nickname_key: amy.nicknameKey });
    // And back, both in one page.
    for (const page of pagesAfter(sent.students, null, 50))
      expect((await sync(token, `${path}/participants`, { participants: page })).status).toBe(200);
    expect(await nameOf(amy.id)).toMatchObject({ nickname: 'Amy', nickname_key: amy.nicknameKey });
    expect(await nameOf(bo.id)).toMatchObject({ nickname: 'Bo', nickname_key: bo.nicknameKey });

    // 王芳 left the laptop's session and a newcomer picked her roster name.
    const wang = sent.students.find((p) => p.rosterId !== null)!;
    const newcomer: WireParticipant = { ...wang, id: `${wang.id}x`, answers: [] };
    const res = await sync(token, `${path}/participants`, { participants: [newcomer] });
    expect(res.status, res.text).toBe(200);
    expect(await nameOf(newcomer.id)).toMatchObject({ nickname: '王芳', roster_id: wang.rosterId });
    expect(await nameOf(wang.id)).toMatchObject({ nickname: '王芳', roster_id: null });
    const total = totals(sent);
    expect(
      (await sync(token, `${path}/complete`, { ...total, participants: total.participants + 1 })).json.complete,
    ).toBe(true);
  });

  it('resumes an interrupted send after the cursor the cloud answers', async () => {
    const { laptop, cloud, token, sent, path } = await toSend('r');
    expect((await sync(token, path, sent.header, 'PUT')).json).toEqual({ cursor: null, complete: false });
    const [first] = pagesAfter(sent.students, null, 1);
    await sync(token, `${path}/participants`, { participants: first });
    // The connection drops here. Completing now is refused: the cloud lacks students.
    expectError(await sync(token, `${path}/complete`, totals(sent)), 409, 'sync_incomplete');
    const at = await sync(token, path);
    expect(at.json).toEqual({ cursor: first![0]!.id, complete: false });
    // The laptop sends the header again, then only what follows the cursor.
    expect((await sync(token, path, sent.header, 'PUT')).json.cursor).toBe(first![0]!.id);
    const rest = pagesAfter(sent.students, at.json.cursor, 50);
    expect(rest.flat()).toHaveLength(sent.students.length - 1);
    for (const page of rest) await sync(token, `${path}/participants`, { participants: page });
    expect((await sync(token, `${path}/complete`, totals(sent))).json.complete).toBe(true);
    expect(await report(cloud, sent.sessionId, 'r')).toEqual(await report(laptop.t, laptop.s.id));
  });

  it('refuses a class, a session or a question another cloud account owns, with a clear message', async () => {
    const { laptop, token, sent, path } = await toSend('o');
    // The laptop's own ids: this database has them under the laptop's teacher, another account here.
    const theirClass = { ...sent.header, class: { ...sent.header.class!, id: laptop.cls } };
    const refused = await sync(token, path, theirClass, 'PUT');
    expectError(refused, 403, 'class_other_account');
    expect(refused.json.error.message).toBe('This class belongs to another account on the cloud.');
    expectError(await sync(token, `/sessions/${laptop.s.id}`, sent.header, 'PUT'), 403, 'session_other_account');
    const theirQuestion = {
      ...sent.header,
      questions: sent.header.questions.map((q) => ({ ...q, data: { ...q.data, id: q.data.id.replace(/o$/, '') } })),
    };
    expectError(await sync(token, path, theirQuestion, 'PUT'), 403, 'question_other_account');
    // Nothing was stored by the refused steps.
    expectError(await sync(token, path), 404, 'session_not_found');
    // Another teacher's token cannot add to a session this one sent.
    expect((await sync(token, path, sent.header, 'PUT')).status).toBe(200);
    const stranger = await newToken(await teacher());
    expectError(
      await sync(stranger.token, `${path}/participants`, { participants: sent.students }),
      403,
      'session_other_account',
    );
  });

  it('validates every step', async () => {
    const { token } = await newToken(await teacher());
    expectError(await sync(token, '/sessions/abcdefgh', { session: {} }, 'PUT'), 400, 'invalid_json');
    expectError(await sync(token, '/sessions/abcdefgh/participants', { participants: [] }), 400, 'invalid_json');
    expectError(
      await sync(token, '/sessions/abcdefgh/complete', { participants: -1, answers: 0 }),
      400,
      'invalid_json',
    );
    expectError(await sync(token, '/sessions/no!/complete', { participants: 0, answers: 0 }), 400, 'invalid_param');
    expectError(
      await sync(token, '/sessions/abcdefgh/participants', { participants: [{ id: 'abcdefgh' }] }),
      400,
      'invalid_json',
    );
  });
});

describe('the library a laptop takes', () => {
  it("holds the token owner's quizzes, with their own questions, and classes with rosters, nobody else's", async () => {
    const mine = await played();
    await played(); // another teacher's
    const { token } = await newToken(mine.t);
    const lib = await sync(token, '/library');
    expect(lib.status, lib.text).toBe(200);
    expect(lib.json.quizzes).toEqual([
      expect.objectContaining({ title: 'Quiz', questionIds: [mine.own, 'int-002', 'int-001'] }),
    ]);
    expect(lib.json.questions.map((q: { data: { id: string } }) => q.data.id)).toEqual([mine.own]);
    expect(lib.json.classes).toEqual([
      {
        id: mine.cls,
        name: '初二(3)班',
        createdAt: expect.any(Number),
        roster: expect.arrayContaining([
          expect.objectContaining({ name: '王芳' }),
          expect.objectContaining({ name: '李雷' }),
        ]),
      },
    ]);
  });
});
