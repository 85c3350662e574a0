import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { sha256 } from '../../worker/lib/crypto';
import { call, expectError, join, openSession, settle } from './helpers';

describe('joining with a code', () => {
  it('looks a code up, in any case and with spaces around it', async () => {
    const s = await openSession({ title: 'Unity', count: 4 });
    const res = await call(`/api/codes/${s.code.toLowerCase()}%20`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      code: s.code,
      title: 'Unity',
      status: 'open',
      questionCount: 4,
      timeLimitSec: 30,
      lang: 'both',
      mode: 'self',
      feedback: 'now',
      autoAdvance: false,
      showLeaderboard: true,
      locked: false,
      opensAt: null,
      closesAt: null,
      // No class, no names to pick from.
      roster: null,
    });
  });

  it('tells a child plainly when a code is unknown', async () => {
    const res = await call('/api/codes/ZZZZZZ');
    expectError(res, 404, 'unknown_code');
    expect(res.json.error.message).toMatch(/could not find a quiz/);
    expectError(await call('/api/codes/12'), 404, 'unknown_code');
    expectError(await call('/api/codes/ZZZZZZ/participants', { body: { nickname: 'A' } }), 404, 'unknown_code');
  });

  it('gives a token and keeps only its hash', async () => {
    const s = await openSession();
    const joined = await join(s.code, '  Amy  ');
    expect(joined.nickname).toBe('Amy');
    // The session's id (which room to ask), a dot, 256 random bits; D1 keeps only the SHA-256 of it all.
    expect(joined.token.startsWith(`${s.id}.`)).toBe(true);
    expect(joined.token.slice(s.id.length + 1)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await settle(s.id);
    const stored = await env.DB.prepare('SELECT token_hash FROM participants WHERE session_id = ?')
      .bind(s.id)
      .first<{ token_hash: string }>();
    expect(stored).toEqual({ token_hash: await sha256(joined.token) });
    expect(joined.expiresAt).toBeGreaterThan(Date.now());
    expect(joined.session.code).toBe(s.code);
  });

  it("leads to the session that has a code now, where the code's closed session was remembered", async () => {
    const a = await openSession();
    const b = await openSession();
    // The isolate learns the code's session from this join.
    await join(a.code, 'Amy');
    await call(`/api/sessions/${a.id}/close`, { method: 'POST', token: a.teacherKey });
    // Codes come back once their session has closed: here to b.
    await settle(b.id);
    await env.DB.prepare('UPDATE sessions SET code = ? WHERE id = ?').bind(a.code, b.id).run();
    expect((await call(`/api/codes/${a.code}`)).json.status).toBe('open');
    expect((await join(a.code, 'Ben')).token.startsWith(`${b.id}.`)).toBe(true);
  });

  it('refuses a nickname already taken, ignoring case and character width', async () => {
    const s = await openSession();
    await join(s.code, 'Bob');
    expectError(await call(`/api/codes/${s.code}/participants`, { body: { nickname: 'bob' } }), 409, 'nickname_taken');
    expectError(
      await call(`/api/codes/${s.code}/participants`, { body: { nickname: 'ＢＯＢ' } }),
      409,
      'nickname_taken',
    );
    // The same name in another session is fine.
    await join((await openSession()).code, 'Bob');
  });

  it('validates nicknames: 1–20 characters, nothing invisible', async () => {
    const s = await openSession();
    for (const nickname of ['', '   ', 'x'.repeat(21), 'a\u0000b', 'a\u202Eb', 'a\u200Bb', 42, null]) {
      expectError(await call(`/api/codes/${s.code}/participants`, { body: { nickname } }), 400, 'invalid_json');
    }
    expectError(await call(`/api/codes/${s.code}/participants`, { body: {} }), 400, 'invalid_json');
    expectError(await call(`/api/codes/${s.code}/participants`, { raw: 'nickname=Amy' }), 400, 'malformed_body');
    // 20 characters counted as people see them, Chinese and emoji included.
    await join(s.code, '一二三四五六七八九十一二三四五六七八九十');
    await join(s.code, '🍎'.repeat(20));
  });
});
