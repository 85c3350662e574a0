import { describe, expect, it } from 'vitest';
import { call, expectError, join, openSession, teacher } from './helpers';

describe('abuse limits on joining', () => {
  it('blocks an address after 10 wrong codes, for right codes too, with 429 and Retry-After', async () => {
    const s = await openSession();
    const headers = { 'CF-Connecting-IP': '203.0.113.7' };
    for (let i = 0; i < 10; i++)
      expectError(await call(`/api/codes/ZZZZZ${'ABCDEFGHJK'[i]}`, { headers }), 404, 'unknown_code');
    const blocked = await call('/api/codes/ZZZZZZ', { headers });
    expectError(blocked, 429, 'too_many_attempts');
    expect(blocked.headers.get('Retry-After')).toBe('60');
    // The right code gets the same answer now, so guessing learns nothing.
    expectError(
      await call(`/api/codes/${s.code}/participants`, { headers, body: { nickname: 'Guesser' } }),
      429,
      'too_many_attempts',
    );
    // Another address (another school) is not affected.
    expect(
      (
        await call(`/api/codes/${s.code}/participants`, {
          headers: { 'CF-Connecting-IP': '198.51.100.1' },
          body: { nickname: 'Kid' },
        })
      ).status,
    ).toBe(201);
  });

  it('caps the players of a session', async () => {
    const s = await openSession({ maxPlayers: 2 });
    await join(s.code, 'One');
    await join(s.code, 'Two');
    expectError(await call(`/api/codes/${s.code}/participants`, { body: { nickname: 'Three' } }), 409, 'session_full');
  });

  it('holds the cap when many join at once', async () => {
    const s = await openSession({ maxPlayers: 5 });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => call(`/api/codes/${s.code}/participants`, { body: { nickname: `P${i}` } })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    expect(results.filter((r) => r.status === 409).every((r) => r.json.error.code === 'session_full')).toBe(true);
  });

  it('refuses blocked words, also spaced out or in full width, and the teacher can add words', async () => {
    const t = await teacher();
    const s = (await call('/api/sessions', { cookie: t.cookie, body: { title: 'S', count: 1 } })).json;
    for (const nickname of ['傻逼', 'f u c k', 'ＳＨＩＴ', 'xXbitchXx'])
      expectError(await call(`/api/codes/${s.code}/participants`, { body: { nickname } }), 400, 'nickname_not_allowed');
    await join(s.code, 'Pikachu');
    const list = await call('/api/auth/blocklist', { method: 'PUT', cookie: t.cookie, body: { words: ['Pikachu'] } });
    expect(list.json.words).toContain('pikachu');
    expectError(
      await call(`/api/codes/${s.code}/participants`, { body: { nickname: 'pika chu 2' } }),
      400,
      'nickname_not_allowed',
    );
  });

  it('stops look-alike impersonation: width, case and spacing fold to the same name', async () => {
    const s = await openSession();
    await join(s.code, 'Amy Li');
    for (const nickname of ['ＡＭＹ ＬＩ', 'amy  li', 'AMY LI'])
      expectError(await call(`/api/codes/${s.code}/participants`, { body: { nickname } }), 409, 'nickname_taken');
    for (const nickname of ['Amy\u200BLi', 'Amy\u2066Li', 'Amy\u00ADLi'])
      expectError(await call(`/api/codes/${s.code}/participants`, { body: { nickname } }), 400, 'invalid_json');
  });
});
