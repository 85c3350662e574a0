/**
 * The daily retention run (the `scheduled` handler, worker/lib/retention.ts), run at chosen times:
 * what is past its period is gone from D1 and from the rooms' storage, what is within it stays.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../worker/index';
import { CODE_GUESSES, SIGNIN_FAILURES } from '../../worker/lib/limits';
import { sha256 } from '../../worker/lib/crypto';
import { DAY_MS, EXPIRED_TOKEN_PREFIX, fullAfterMs } from '../../worker/lib/retention';
import { KEEP_RESULTS_DAYS, QUICK_SESSION_DAYS } from '../../worker/contract';
import { answer, call, expectError, join, openSession, settle, state, teacher } from './helpers';
import { liveRoom, liveWithPlayer, playRoom, roomRows } from './room-storage';

/** Runs the cron as if it fired at `at`. */
async function runCron(at: number) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: at, cron: '30 19 * * *' }), env, ctx);
  await waitOnExecutionContext(ctx);
}

const count = async (sql: string, ...params: unknown[]) =>
  (await env.DB.prepare(sql)
    .bind(...params)
    .first<{ n: number }>('n'))!;

/** A self-paced session of `cookie`'s (or nobody's) with one student who answered; the room has stored something. */
async function playedSession(cookie: string | undefined, nickname: string) {
  const res = await call('/api/sessions', { cookie, body: { title: 'Kept?', count: 2, timeLimitSec: 30 } });
  expect(res.status, res.text).toBe(201);
  const s = res.json;
  const { token } = await join(s.code, nickname);
  const q = (await state(token)).current!.question;
  expect((await answer(token, q.id, null)).status).toBe(200);
  await settle(s.id);
  expect(await roomRows(playRoom(s.id))).toBeGreaterThan(0);
  return { ...s, token };
}

const seats = (sessionId: string) => count('SELECT count(*) AS n FROM participants WHERE session_id = ?', sessionId);
const given = (sessionId: string) => count('SELECT count(*) AS n FROM answers WHERE session_id = ?', sessionId);

describe('retention', () => {
  it('deletes expired sign-ins and full rate-limit buckets, and retires expired device tokens but keeps their results', async () => {
    const now = Date.now();
    const t = await teacher();
    await env.DB.batch([
      env.DB.prepare(
        'INSERT INTO user_sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
      ).bind('expired-sign-in', t.id, now - 40 * DAY_MS, now - DAY_MS),
      env.DB.prepare(
        'INSERT INTO rate_limits (purpose, key, tokens, at) VALUES (?1, ?2, 3, ?3), (?1, ?4, 3, ?5), (?6, ?7, 3, ?8), (?9, ?10, 3, ?11)',
      ).bind(
        CODE_GUESSES.purpose,
        'full-again',
        now - fullAfterMs(CODE_GUESSES) - 1000,
        'still-counting',
        now - 1000,
        SIGNIN_FAILURES.purpose,
        'failed-lately',
        now - fullAfterMs(SIGNIN_FAILURES) + 60_000,
        'a-limit-added-later',
        'forgotten',
        now - 8 * DAY_MS,
      ),
    ]);
    const s = await openSession({ count: 2 });
    const expired = await join(s.code, 'Amy');
    const q = (await state(expired.token)).current!.question;
    expect((await answer(expired.token, q.id, null)).status).toBe(200);
    const current = await join(s.code, 'Ben');
    await settle(s.id);
    await env.DB.prepare('UPDATE participants SET expires_at = ? WHERE token_hash = ?')
      .bind(now - 1000, await sha256(expired.token))
      .run();

    await runCron(now);

    expect(await count("SELECT count(*) AS n FROM user_sessions WHERE token_hash = 'expired-sign-in'")).toBe(0);
    expect(await count('SELECT count(*) AS n FROM user_sessions WHERE user_id = ?', t.id)).toBe(1);
    expect((await call('/api/auth/me', { cookie: t.cookie })).status).toBe(200);
    // (The test's own registration and quick session made buckets too, still counting.)
    const keys = await env.DB.prepare(
      "SELECT key FROM rate_limits WHERE key IN ('full-again', 'still-counting', 'failed-lately', 'forgotten') ORDER BY key",
    ).all<{ key: string }>();
    expect(keys.results.map((r) => r.key)).toEqual(['failed-lately', 'still-counting']);
    // The expired seat keeps its nickname, score and answer for the teacher; its token is gone.
    const rows = await env.DB.prepare(
      'SELECT nickname, token_hash FROM participants WHERE session_id = ? ORDER BY nickname',
    )
      .bind(s.id)
      .all<{ nickname: string; token_hash: string }>();
    expect(rows.results).toEqual([
      { nickname: 'Amy', token_hash: expect.stringMatching(new RegExp(`^${EXPIRED_TOKEN_PREFIX}`)) },
      { nickname: 'Ben', token_hash: await sha256(current.token) },
    ]);
    expect(await given(s.id)).toBe(1);
    await settle(s.id);
    expectError(await call('/api/play', { token: expired.token }), 401, 'unauthorized');
    expect((await call('/api/play', { token: current.token })).status).toBe(200);
    // A second run changes nothing more.
    await runCron(now);
    expect(await seats(s.id)).toBe(2);
  });

  it("deletes a session's students and answers after the teacher's period, in D1 and in both kinds of room", async () => {
    const now = Date.now();
    const keeper = await teacher('Keeps the default');
    const brief = await teacher('Keeps 30 days');
    expect((await call('/api/auth/account', { cookie: keeper.cookie })).json).toEqual({
      keepResultsDays: KEEP_RESULTS_DAYS.default,
    });
    const set = await call('/api/auth/account', { method: 'PUT', cookie: brief.cookie, body: { keepResultsDays: 30 } });
    expect(set.json).toEqual({ keepResultsDays: 30 });
    for (const keepResultsDays of [KEEP_RESULTS_DAYS.min - 1, KEEP_RESULTS_DAYS.max + 1, 30.5])
      expectError(
        await call('/api/auth/account', { method: 'PUT', cookie: brief.cookie, body: { keepResultsDays } }),
        400,
        'invalid_json',
      );

    const kept = await playedSession(keeper.cookie, 'Amy');
    const short = await playedSession(brief.cookie, 'Ben');
    const liveRes = await call('/api/sessions', {
      cookie: keeper.cookie,
      body: { title: 'Live', mode: 'live', count: 1 },
    });
    const live = liveRes.json;
    await liveWithPlayer(live, 'Cat');
    const quick = await playedSession(undefined, 'Dan');
    for (const s of [kept, short, live, quick]) await settle(s.id);

    // Within every period: nothing goes.
    await runCron(now + 29 * DAY_MS);
    for (const s of [kept, short, live, quick]) expect(await seats(s.id), s.title).toBe(1);
    expect(await roomRows(playRoom(short.id))).toBeGreaterThan(0);

    // Past 30 days: the brief teacher's results go, the session itself stays in their list (their sign-in has expired too).
    await runCron(now + 31 * DAY_MS);
    expect(await seats(short.id)).toBe(0);
    expect(await given(short.id)).toBe(0);
    expect(await roomRows(playRoom(short.id))).toBe(0);
    expect(await count('SELECT count(*) AS n FROM sessions WHERE id = ?', short.id)).toBe(1);
    expect(await seats(kept.id)).toBe(1);
    expect(await given(kept.id)).toBe(1);
    expect(await roomRows(liveRoom(live.id))).toBeGreaterThan(0);

    // Past the quick sessions' period: the quick session goes whole.
    await runCron(now + (QUICK_SESSION_DAYS - 1) * DAY_MS);
    expect(await count('SELECT count(*) AS n FROM sessions WHERE id = ?', quick.id)).toBe(1);
    await runCron(now + (QUICK_SESSION_DAYS + 1) * DAY_MS);
    expect(await count('SELECT count(*) AS n FROM sessions WHERE id = ?', quick.id)).toBe(0);
    expect(await given(quick.id)).toBe(0);
    expect(await roomRows(playRoom(quick.id))).toBe(0);
    expect(await seats(kept.id)).toBe(1);

    // Past the default year: the rest, the live room's players and nicknames included.
    await runCron(now + (KEEP_RESULTS_DAYS.default - 1) * DAY_MS);
    expect(await seats(kept.id)).toBe(1);
    expect(await seats(live.id)).toBe(1);
    await runCron(now + (KEEP_RESULTS_DAYS.default + 1) * DAY_MS);
    for (const s of [kept, live]) {
      expect(await seats(s.id), s.title).toBe(0);
      expect(await given(s.id), s.title).toBe(0);
    }
    expect(await roomRows(playRoom(kept.id))).toBe(0);
    expect(await roomRows(liveRoom(live.id))).toBe(0);
    // The emptied room answers as for any unknown token.
    expectError(await call('/api/play', { token: kept.token }), 401, 'unauthorized');
  });

  it('counts the period from the last activity: a late answer keeps a session', async () => {
    const now = Date.now();
    const t = await teacher();
    await call('/api/auth/account', { method: 'PUT', cookie: t.cookie, body: { keepResultsDays: 7 } });
    const s = await playedSession(t.cookie, 'Eve');
    // Opened and joined 30 days ago, answered 5 days ago.
    await env.DB.prepare('UPDATE sessions SET created_at = ? WHERE id = ?')
      .bind(now - 30 * DAY_MS, s.id)
      .run();
    await env.DB.prepare('UPDATE participants SET joined_at = ? WHERE session_id = ?')
      .bind(now - 30 * DAY_MS, s.id)
      .run();
    await env.DB.prepare('UPDATE answers SET answered_at = ? WHERE session_id = ?')
      .bind(now - 5 * DAY_MS, s.id)
      .run();
    await runCron(now);
    expect(await seats(s.id)).toBe(1);
    await runCron(now + 3 * DAY_MS);
    expect(await seats(s.id)).toBe(0);
  });
});
