/**
 * Cost budgets (issue #7), enforced by counting, never by timing: D1 round trips per request on
 * the student's hot paths, and the rows a leaderboard reads in a session of 500 participants.
 *
 * Each request goes through the real app with its D1 binding wrapped by {@link countingD1}
 * (a `.batch()` is one round trip, so is each `first/all/run/raw` of a prepared statement).
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CreatedSession, Joined, Leaderboard, PlayState } from '../../worker/api-types';
import app from '../../worker/index';
import { sha256 } from '../../worker/lib/crypto';
import { countingD1, type CountingD1, type D1Counts } from './counting-d1';
import { join, openSession, rightResponse, state, storedQuestion } from './helpers';

/** Round trips to D1 per request. */
const BUDGET = { nextQuestion: 1, answer: 2, join: 2, leaderboard: 1, codeLookup: 1, bank: 1 } as const;
/** Rows read for the top 10 of a 500-participant session (index-ordered, never a scan and sort). */
const LEADERBOARD_TOP10_ROWS = 50;
const PARTICIPANTS = 500;

/** One request through the app with a counting D1; returns the response and what reached D1. */
async function counted(path: string, init: { method?: string; body?: unknown; token?: string; headers?: Record<string, string>; d1?: CountingD1 } = {}) {
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
  const res = await app.fetch(request, { ...env, DB: counter.db }, ctx);
  await waitOnExecutionContext(ctx);
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? (JSON.parse(text) as any) : null, text, counts: { ...counter.counts } as D1Counts };
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

  beforeAll(async () => {
    session = await openSession({ count: 3, timeLimitSec: 30 });
    student = await join(session.code, 'Warm-up');
  });

  it(`joining: ≤ ${BUDGET.join}`, async () => {
    const res = await counted(`/api/codes/${session.code}/participants`, { body: { nickname: 'Counted' } });
    expect(res.status, res.text).toBe(201);
    expect(res.counts.roundTrips, report('join', res.counts)).toBeLessThanOrEqual(BUDGET.join);
  });

  it(`looking a code up: ≤ ${BUDGET.codeLookup}`, async () => {
    const res = await counted(`/api/codes/${session.code}`);
    expect(res.status, res.text).toBe(200);
    expect(res.counts.roundTrips, report('code lookup', res.counts)).toBeLessThanOrEqual(BUDGET.codeLookup);
  });

  it(`fetching the next question: ≤ ${BUDGET.nextQuestion}`, async () => {
    const res = await counted('/api/play', { token: student.token });
    expect(res.status, res.text).toBe(200);
    expect((res.json as PlayState).current).not.toBeNull();
    expect(res.counts.roundTrips, report('next question', res.counts)).toBeLessThanOrEqual(BUDGET.nextQuestion);
  });

  it(`submitting an answer: ≤ ${BUDGET.answer}, and a retry of it too`, async () => {
    const current = (await state(student.token)).current!;
    const q = await storedQuestion(current.question.id);
    const res = await counted('/api/play/answers', { token: student.token, body: { questionId: q.id, response: rightResponse(q) } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.verdict.correct).toBe(true);
    expect(res.counts.roundTrips, report('answer', res.counts)).toBeLessThanOrEqual(BUDGET.answer);

    const retry = await counted('/api/play/answers', { token: student.token, body: { questionId: q.id, response: rightResponse(q) } });
    expect(retry.json.repeated).toBe(true);
    expect(retry.counts.roundTrips, report('answer retry', retry.counts)).toBeLessThanOrEqual(BUDGET.answer);
  });
});

describe(`the leaderboard of a session of ${PARTICIPANTS} participants`, () => {
  let top: Joined;
  let last: Joined;

  beforeAll(async () => {
    const session = await openSession({ count: 3, timeLimitSec: 30 });
    top = await join(session.code, 'Top');
    last = await join(session.code, 'Last');
    const row = await env.DB.prepare('SELECT session_id FROM participants WHERE token_hash = ?').bind(await sha256(top.token)).first<{ session_id: string }>();
    const sessionId = row!.session_id;
    // The rest of the class, written straight to D1 (the join route is budgeted above): scores
    // spread with ties, some finished, in batches of single-row inserts.
    const now = Date.now();
    const others = Array.from({ length: PARTICIPANTS - 2 }, (_, i) => {
      const score = 100 + ((i * 7919) % 2400);
      return env.DB.prepare(
        'INSERT INTO participants (id, session_id, nickname, nickname_key, token_hash, joined_at, expires_at, position, score, correct_count, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ).bind(`bulk${i}`, sessionId, `s${i}`, `s${i}`, `hash${i}`, now + i, now + 86_400_000, 3, score, 2, i % 3 === 0 ? null : now + 10_000 + i);
    });
    await env.DB.batch(others);
    await env.DB.prepare('UPDATE participants SET score = 99999, position = 3, finished_at = ? WHERE token_hash = ?').bind(now + 5000, await sha256(top.token)).run();
  });

  it(`top 10: ≤ ${BUDGET.leaderboard} round trip and ≤ ${LEADERBOARD_TOP10_ROWS} rows read`, async () => {
    const res = await counted('/api/play/leaderboard?limit=10', { token: top.token });
    expect(res.status, res.text).toBe(200);
    const board = res.json as Leaderboard;
    expect(board.entries).toHaveLength(10);
    expect(board.entries[0]).toMatchObject({ nickname: 'Top', rank: 1 });
    expect(board.me).toMatchObject({ nickname: 'Top', rank: 1 });
    const why = report('leaderboard top 10', res.counts);
    expect(res.counts.roundTrips, why).toBeLessThanOrEqual(BUDGET.leaderboard);
    expect(res.counts.rowsRead, why).toBeLessThanOrEqual(LEADERBOARD_TOP10_ROWS);
  });

  it(`asked by the last student: still ${BUDGET.leaderboard} round trip`, async () => {
    const res = await counted('/api/play/leaderboard?limit=10', { token: last.token });
    expect(res.status, res.text).toBe(200);
    expect((res.json as Leaderboard).me).toMatchObject({ nickname: 'Last', rank: PARTICIPANTS });
    const why = report('leaderboard top 10, asked by the last', res.counts);
    expect(res.counts.roundTrips, why).toBeLessThanOrEqual(BUDGET.leaderboard);
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

    const revalidated = await counted('/api/bank', { d1, headers: { 'If-None-Match': etag! } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.text).toBe('');
    expect(revalidated.counts.roundTrips).toBeLessThanOrEqual(BUDGET.bank);
  });
});
