/**
 * Cost budgets, enforced by counting, never by timing: D1 round trips per request on
 * the student's hot paths and the teacher's dashboard poll, and the rows a leaderboard reads in a session of 500 participants.
 *
 * Each request goes through the real app with its D1 binding wrapped by {@link countingD1}
 * (a `.batch()` is one round trip, so is each `first/all/run/raw` of a prepared statement); the
 * play room's own binding is wrapped the same way ({@link countInRoom}).
 */
import { createExecutionContext, runInDurableObject, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import app from '../../worker/index';
import { sha256 } from '../../worker/lib/crypto';
import { database } from '../../worker/lib/db';
import { addressKey } from '../../worker/lib/server-secret';
import { leaderboardQuery, publicEntries, rank } from '../../worker/lib/leaderboard';
import type { PlayRoom } from '../../worker/rooms/play-room';
import { countingD1, type CountingD1, type D1Counts } from './counting-d1';
import { answerAllRight, call, currentKeys, join, keyFor, openSession, rightResponse, settle, state } from './helpers';
import type { CreatedSession, Joined, Leaderboard, PlayState } from '../../worker/contract';

/**
 * Round trips to D1 per request. The student's play requests are answered by the session's play
 * room (worker/rooms/play-room.ts) from memory: none of them reaches D1; the room reads the session
 * once when it wakes (and a newcomer's row once), and copies answers to D1 many per round trip.
 */
const BUDGET = {
  nextQuestion: 0,
  answer: 0,
  leaderboard: 0,
  roomWake: 1,
  /** A student's first request after joining: the room took the join, so it knows them. */
  newcomer: 0,
  copyPerClass: 2,
  /** A code the isolate knows: the session's room answers. */
  join: 0,
  codeLookup: 0,
  /** The first request with a code in an isolate: the session and the address's bucket, in one batch. */
  newCode: 1,
  bank: 1,
  /** The dashboard, polled every 3 s: the session (key check), then everything it shows in one batch. */
  teacherView: 2,
} as const;
/** Rows read for the bank's version (`questions_origin_updated` index). */
const BANK_VERSION_ROWS = 2;
/** Students answering at once in the copy test. */
const CLASS = 30;
/** Rows read for the top 10 of a 500-participant session (index-ordered, never a scan and sort). */
const LEADERBOARD_TOP10_ROWS = 50;
const PARTICIPANTS = 500;

/** Counts the D1 round trips of a session's play room from now on (the room is told to read the session again first). */
async function countInRoom(sessionId: string): Promise<CountingD1> {
  await settle(sessionId);
  const counter = countingD1(env.DB);
  await runInDurableObject(env.PLAY_ROOM.get(env.PLAY_ROOM.idFromName(sessionId)), (room: PlayRoom) => {
    room.d1 = counter.db;
  });
  return counter;
}

/** A play room's copy of answers and progress to D1 (its only writes), recognised by its SQL. */
const isCopy = (trip: string[]) =>
  trip.every(
    (sql) => /json_each/.test(sql) && /^\s*(INSERT INTO (answers|participants)|UPDATE participants)/.test(sql),
  );
/** Round trips a play room made to read (its copies to D1 run on their own time, shortly after a request: counted apart). */
const reads = (d1: CountingD1) => d1.counts.trips.filter((t) => !isCopy(t)).length;
const copies = (d1: CountingD1) => d1.counts.trips.filter(isCopy).length;
/** Copies everything a room holds to D1, without making it forget (unlike {@link settle}). */
const flushRoom = (sessionId: string) => env.PLAY_ROOM.get(env.PLAY_ROOM.idFromName(sessionId)).flush();

/** One request through the app with a counting D1; returns the response and what reached D1. */
async function counted(
  path: string,
  init: { method?: string; body?: unknown; token?: string; headers?: Record<string, string>; d1?: CountingD1 } = {},
) {
  const counter = init.d1 ?? countingD1(env.DB);
  counter.reset();
  const headers: Record<string, string> = { Origin: 'http://quiz.test', ...init.headers };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  const request = new Request(`http://quiz.test${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const ctx = createExecutionContext();
  // The server's key for hashing addresses is read from D1 once per isolate and binding, then kept
  // (worker/lib/server-secret.ts); a fresh counting binding would read it again, so it is handed over
  // as a Worker secret is: the budgets count the steady state.
  const res = await app.fetch(request, { ...env, DB: counter.db, ADDRESS_KEY: await addressKey(env) }, ctx);
  await waitOnExecutionContext(ctx);
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    json: text ? (JSON.parse(text) as any) : null,
    text,
    counts: { ...counter.counts } as D1Counts,
  };
}

/** Prints the counts (so that the figures are in the test log) and returns them as a failure message. */
function report(name: string, counts: D1Counts) {
  const text = `budget ${name}: ${counts.roundTrips} round trip(s), ${counts.rowsRead} rows read, ${counts.rowsWritten} written\n${counts.statements
    .map((s) => `  ${String(s.rowsRead).padStart(4)} rows: ${s.sql.trim().replace(/\s+/g, ' ').slice(0, 160)}`)
    .join('\n')}`;
  console.log(text);
  return text;
}

describe('D1 round trips per request on the student path', () => {
  let session: CreatedSession;
  let student: Joined;
  let room: CountingD1;
  let firstJoin: Awaited<ReturnType<typeof counted>>;

  beforeAll(async () => {
    session = await openSession({ count: 3, timeLimitSec: 30 });
    firstJoin = await counted(`/api/codes/${session.code}/participants`, { body: { nickname: 'Warm-up' } });
    student = firstJoin.json as Joined;
    room = await countInRoom(session.id);
  });

  it(`joining: ${BUDGET.newCode} round trip for a code new to the isolate, then ${BUDGET.join}, the room's included`, async () => {
    expect(firstJoin.status, firstJoin.text).toBe(201);
    expect(firstJoin.counts.roundTrips, report('join, new code', firstJoin.counts)).toBeLessThanOrEqual(BUDGET.newCode);
    // The room woke (one batch) for the join before.
    expect((await counted(`/api/codes/${session.code}/participants`, { body: { nickname: 'Waking' } })).status).toBe(
      201,
    );
    room.reset();
    const res = await counted(`/api/codes/${session.code}/participants`, { body: { nickname: 'Counted' } });
    expect(res.status, res.text).toBe(201);
    expect(res.counts.roundTrips + reads(room), report('join', room.counts)).toBeLessThanOrEqual(BUDGET.join);
    // The seats reach D1 with the room's next copy, many in one round trip.
    expect(reads(room)).toBe(0);
  });

  it(`looking a code up: ≤ ${BUDGET.codeLookup}`, async () => {
    const res = await counted(`/api/codes/${session.code}`);
    expect(res.status, res.text).toBe(200);
    expect(res.counts.roundTrips, report('code lookup', res.counts)).toBeLessThanOrEqual(BUDGET.codeLookup);
  });

  it(`the play room wakes with ${BUDGET.roomWake} round trip, then fetching the next question costs none`, async () => {
    room.reset();
    const first = await counted('/api/play', { token: student.token });
    expect(first.status, first.text).toBe(200);
    expect((first.json as PlayState).current).not.toBeNull();
    expect(first.counts.roundTrips, report('next question (Worker)', first.counts)).toBe(0);
    expect(reads(room), report('play room waking', room.counts)).toBeLessThanOrEqual(BUDGET.roomWake);

    room.reset();
    const again = await counted('/api/play', { token: student.token });
    expect(again.status, again.text).toBe(200);
    expect(again.counts.roundTrips + reads(room), report('next question (room)', room.counts)).toBeLessThanOrEqual(
      BUDGET.nextQuestion,
    );
  });

  it(`submitting an answer: ≤ ${BUDGET.answer} (the room scores it from memory), and a retry of it too`, async () => {
    const current = (await state(student.token)).current!;
    const q = await keyFor(session.id, current.question);
    room.reset();
    const res = await counted('/api/play/answers', {
      token: student.token,
      body: { questionId: q.id, response: rightResponse(q) },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.verdict.correct).toBe(true);
    expect(res.counts.roundTrips + reads(room), report('answer', room.counts)).toBeLessThanOrEqual(BUDGET.answer);

    const retry = await counted('/api/play/answers', {
      token: student.token,
      body: { questionId: q.id, response: rightResponse(q) },
    });
    expect(retry.json.repeated).toBe(true);
    expect(retry.counts.roundTrips + reads(room), report('answer retry', room.counts)).toBeLessThanOrEqual(
      BUDGET.answer,
    );
  });

  it(`a student who joined after the room woke: ${BUDGET.newcomer} round trips for their first request`, async () => {
    const late = await join(session.code, 'Latecomer');
    room.reset();
    const res = await counted('/api/play', { token: late.token });
    expect(res.status, res.text).toBe(200);
    expect(res.counts.roundTrips + reads(room), report('newcomer', room.counts)).toBeLessThanOrEqual(BUDGET.newcomer);
  });

  it(`${CLASS} students answering together reach D1 in ≤ ${BUDGET.copyPerClass} round trips`, async () => {
    const s = await openSession({ count: 3, timeLimitSec: 30 });
    const students = await Promise.all(Array.from({ length: CLASS }, (_, i) => join(s.code, `Copy ${i}`)));
    const d1 = await countInRoom(s.id);
    const questions = await currentKeys(s.id, students);
    await flushRoom(s.id);
    d1.reset();
    await answerAllRight(students, questions);
    // Nothing was read on the way; the answers (and each student's new position) follow together.
    expect(reads(d1), report('answers of a class', d1.counts)).toBe(0);
    await flushRoom(s.id);
    const why = report(`copy of ${CLASS} answers`, d1.counts);
    expect(copies(d1), why).toBeLessThanOrEqual(BUDGET.copyPerClass);
    expect(d1.counts.roundTrips, why).toBe(copies(d1));
    const stored = await env.DB.prepare('SELECT count(*) AS n FROM answers WHERE session_id = ?')
      .bind(s.id)
      .first<{ n: number }>();
    expect(stored).toEqual({ n: CLASS });
  });
});

describe(`the leaderboard of a session of ${PARTICIPANTS} participants`, () => {
  let top: Joined;
  let last: Joined;
  let sessionId: string;
  let room: CountingD1;

  beforeAll(async () => {
    const session = await openSession({ count: 3, timeLimitSec: 30 });
    sessionId = session.id;
    top = await join(session.code, 'Top');
    last = await join(session.code, 'Last');
    // Their seats reach D1 before the rest of the class is written next to them.
    await settle(sessionId);
    // The rest of the class, written straight to D1 (the join route is budgeted above): scores
    // spread with ties, some finished, in batches of single-row inserts.
    const now = Date.now();
    const others = Array.from({ length: PARTICIPANTS - 2 }, (_, i) => {
      const score = 100 + ((i * 7919) % 2400);
      return env.DB.prepare(
        'INSERT INTO participants (id, session_id, nickname, nickname_key, token_hash, joined_at, expires_at, position, score, correct_count, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ).bind(
        `bulk${i}`,
        sessionId,
        `s${i}`,
        `s${i}`,
        `hash${i}`,
        now + i,
        now + 86_400_000,
        3,
        score,
        2,
        i % 3 === 0 ? null : now + 10_000 + i,
      );
    });
    await env.DB.batch(others);
    await env.DB.prepare('UPDATE participants SET score = 99999, position = 3, finished_at = ? WHERE token_hash = ?')
      .bind(now + 5000, await sha256(top.token))
      .run();
    room = await countInRoom(sessionId);
  });

  it(`a student's top 10: the room reads the session once (${BUDGET.roomWake} round trip), then answers from memory`, async () => {
    const res = await counted('/api/play/leaderboard?limit=10', { token: top.token });
    expect(res.status, res.text).toBe(200);
    const board = res.json as Leaderboard;
    expect(board.entries).toHaveLength(10);
    expect(board.entries[0]).toMatchObject({ nickname: 'Top', rank: 1 });
    expect(board.me).toMatchObject({ nickname: 'Top', rank: 1 });
    expect(res.counts.roundTrips).toBe(0);
    expect(reads(room), report('play room waking with 500 participants', room.counts)).toBeLessThanOrEqual(
      BUDGET.roomWake,
    );

    room.reset();
    const again = await counted('/api/play/leaderboard?limit=10', { token: last.token });
    expect((again.json as Leaderboard).me).toMatchObject({ nickname: 'Last', rank: PARTICIPANTS });
    expect(
      again.counts.roundTrips + reads(room),
      report('leaderboard top 10, asked by the last', room.counts),
    ).toBeLessThanOrEqual(BUDGET.leaderboard);
  });

  it(`the same ranking from D1 (the teacher's screens): top 10 in ≤ ${LEADERBOARD_TOP10_ROWS} rows read`, async () => {
    const d1 = countingD1(env.DB);
    const rows = rank(await leaderboardQuery(database(d1.db), sessionId, await sha256(last.token), 10));
    expect(rows.map((r) => r.nickname)[0]).toBe('Top');
    const fromRoom = (await counted('/api/play/leaderboard?limit=10', { token: last.token })).json as Leaderboard;
    expect(publicEntries(rows)).toEqual(fromRoom.entries);
    const why = report('leaderboard top 10 from D1', d1.counts);
    expect(d1.counts.roundTrips, why).toBe(1);
    expect(d1.counts.rowsRead, why).toBeLessThanOrEqual(LEADERBOARD_TOP10_ROWS);
  });
});

describe("the teacher's dashboard poll (GET /api/sessions/:id)", () => {
  it(`costs ≤ ${BUDGET.teacherView} round trips, however many students have answered`, async () => {
    const session = await openSession({ count: 3, timeLimitSec: 30 });
    for (const nickname of ['Ann', 'Bo']) {
      const { token } = await join(session.code, nickname);
      const q = await keyFor(session.id, (await state(token)).current!.question);
      await call('/api/play/answers', { token, body: { questionId: q.id, response: rightResponse(q) } });
    }
    const res = await counted(`/api/sessions/${session.id}`, { token: session.teacherKey });
    expect(res.status, res.text).toBe(200);
    expect(res.counts.roundTrips, report('teacher view', res.counts)).toBeLessThanOrEqual(BUDGET.teacherView);
  });
});

describe('the bank summary (GET /api/bank): cached per content version', () => {
  it(`is ${BUDGET.bank} round trip, reads only the version once cached, and revalidates with a 304`, async () => {
    const d1 = countingD1(env.DB);
    const first = await counted('/api/bank', { d1 });
    expect(first.status, first.text).toBe(200);
    const etag = first.headers.get('ETag');
    expect(etag).toMatch(/^"bank-\d+"$/);
    expect(first.headers.get('Cache-Control')).toBe('public, max-age=60');

    // The same binding again: the summary comes from the isolate, D1 is asked for the version only.
    const again = await counted('/api/bank', { d1 });
    expect(again.json).toEqual(first.json);
    const why = report('bank, cached', again.counts);
    expect(again.counts.roundTrips, why).toBeLessThanOrEqual(BUDGET.bank);
    expect(again.counts.statements, why).toHaveLength(1);
    expect(again.counts.statements[0]!.sql).toMatch(/max\((?:"questions"\.)?"updated_at"\)/);
    // Read from the end of the (origin, updated_at) index: one row, not the whole bank.
    expect(again.counts.rowsRead, why).toBeLessThanOrEqual(BANK_VERSION_ROWS);

    const revalidated = await counted('/api/bank', { d1, headers: { 'If-None-Match': etag! } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.text).toBe('');
    expect(revalidated.counts.roundTrips).toBeLessThanOrEqual(BUDGET.bank);
  });
});
