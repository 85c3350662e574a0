import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { CODE_GUESSES } from '../../worker/lib/limits';
import { CODE_ALPHABET, sha256 } from '../../worker/lib/crypto';
import { call, callHandler, expectError, join, openSession, settle, teacher, teacherView } from './helpers';

/** `count` requests, `size` at a time: a crowd at once, in waves the test runtime keeps up with. */
async function inWaves<T>(count: number, send: (i: number) => Promise<T>, size = 50): Promise<T[]> {
  const results: T[] = [];
  for (let from = 0; from < count; from += size)
    results.push(
      ...(await Promise.all(Array.from({ length: Math.min(size, count - from) }, (_, i) => send(from + i)))),
    );
  return results;
}

describe('abuse limits on joining', () => {
  it('lets a class behind one address in despite its typos, and stops a guesser after the burst', async () => {
    const s = await openSession({ maxPlayers: 100 });
    const school = { 'CF-Connecting-IP': '203.0.113.7' };
    // Sixty phones behind the school's one address, each mistyping the code twice (once looking it
    // up, once joining), then typing it right.
    const typo = (i: number) => `${s.code.slice(0, 5)}${CODE_ALPHABET.replace(s.code[5]!, '')[i % 30]}`;
    const joined = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        expectError(await callHandler(`/api/codes/${typo(i)}`, { headers: school }), 404, 'unknown_code');
        expectError(
          await callHandler(`/api/codes/${typo(i + 1)}/participants`, {
            headers: school,
            body: { nickname: `Typo ${i}` },
          }),
          404,
          'unknown_code',
        );
        return callHandler(`/api/codes/${s.code}/participants`, { headers: school, body: { nickname: `Kid ${i}` } });
      }),
    );
    expect(joined.map((r) => r.status)).toEqual(Array(60).fill(201));

    // A guesser spends the whole burst on wrong codes, then is refused every code, the right one
    // too, and told how long to wait.
    const guesser = { 'CF-Connecting-IP': '198.51.100.66' };
    for (const res of await inWaves(CODE_GUESSES.burst, (i) =>
      callHandler(`/api/codes/${typo(i)}`, { headers: guesser }),
    ))
      expectError(res, 404, 'unknown_code');
    const stopped = [
      await call(`/api/codes/${typo(0)}`, { headers: guesser }),
      await call(`/api/codes/${s.code}`, { headers: guesser }),
      await call(`/api/codes/${s.code}/participants`, { headers: guesser, body: { nickname: 'Guesser' } }),
    ];
    for (const res of stopped) {
      expectError(res, 429, 'too_many_attempts');
      expect(res.json.error.retryAfterSec).toBeLessThanOrEqual(CODE_GUESSES.refillMs / 1000);
    }
    // Another address (another school) is not affected.
    await join(s.code, 'Other school', { headers: { 'CF-Connecting-IP': '198.51.100.1' } });
  });

  it('seats at most seatsPerNetwork students from one address, until the teacher raises it', async () => {
    const s = await openSession();
    const bots = { 'CF-Connecting-IP': '192.0.2.13' };
    const flood = await inWaves(200, (i) =>
      callHandler(`/api/codes/${s.code}/participants`, { headers: bots, body: { nickname: `Bot ${i}` } }),
    );
    expect(flood.filter((r) => r.status === 201)).toHaveLength(80);
    for (const res of flood.filter((r) => r.status !== 201)) expectError(res, 409, 'network_full');
    // A student on another network still gets in.
    await join(s.code, 'Real kid', { headers: { 'CF-Connecting-IP': '198.51.100.2' } });

    const patched = await call(`/api/sessions/${s.id}`, {
      method: 'PATCH',
      token: s.teacherKey,
      body: { seatsPerNetwork: 100 },
    });
    expect(patched.json.seatsPerNetwork).toBe(100);
    expect((await teacherView(s)).session.seatsPerNetwork).toBe(100);
    const more = await inWaves(30, (i) =>
      callHandler(`/api/codes/${s.code}/participants`, { headers: bots, body: { nickname: `Bot ${200 + i}` } }),
    );
    expect(more.filter((r) => r.status === 201)).toHaveLength(20);
    for (const res of more.filter((r) => r.status !== 201)) expectError(res, 409, 'network_full');
  });

  it('keeps the address only as a key of its own per session', async () => {
    const address = '203.0.113.99';
    const [a, b] = [await openSession(), await openSession()];
    for (const s of [a, b]) await join(s.code, 'Amy', { headers: { 'CF-Connecting-IP': address } });
    for (const s of [a, b]) await settle(s.id);
    const { results } = await env.DB.prepare(
      'SELECT network_key FROM participants WHERE session_id IN (?, ?) ORDER BY session_id',
    )
      .bind(a.id, b.id)
      .all<{ network_key: string }>();
    const keys = results.map((r) => r.network_key);
    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toBe(keys[1]);
    for (const key of keys) {
      expect(key).toMatch(/^[0-9a-f]{32}$/);
      expect((await sha256(address)).startsWith(key)).toBe(false);
    }
  });

  it('seats a full session of 1000 at once, then says it is full', async () => {
    const s = await openSession({ maxPlayers: 1000, seatsPerNetwork: 1000 });
    const hall = { 'CF-Connecting-IP': '203.0.113.200' };
    const seated = await inWaves(1000, (i) =>
      callHandler(`/api/codes/${s.code}/participants`, { headers: hall, body: { nickname: `S${i}` } }),
    );
    expect(seated.filter((r) => r.status !== 201).map((r) => r.text)).toEqual([]);
    expectError(
      await call(`/api/codes/${s.code}/participants`, { headers: hall, body: { nickname: 'One too many' } }),
      409,
      'session_full',
    );
  }, 60_000);

  it('shows the teacher when one device holds several seats', async () => {
    const s = await openSession();
    const phone = 'phone-of-amy-0123456789';
    await join(s.code, 'Amy', { device: phone });
    await join(s.code, 'Bo', { device: 'phone-of-bo-0123456789' });
    await join(s.code, 'Amy2', { device: phone });
    await join(s.code, 'Cy');
    const seats = Object.fromEntries(
      (await teacherView(s)).participants.map((p) => [p.nickname, [p.sameDevice, p.sharedDevice]]),
    );
    expect(seats).toEqual({ Amy: [1, 1], Bo: [0, null], Amy2: [1, 1], Cy: [0, null] });
    // The device id is a random string of the browser's: anything else is refused.
    expectError(
      await call(`/api/codes/${s.code}/participants`, { body: { nickname: 'Dee', device: 'short' } }),
      400,
      'invalid_json',
    );
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
    for (const nickname of ['傻逼', 'f u c k', 'ＳＨＩＴ', 'xX_bitch_Xx', 'fuuuck'])
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

  it('stops look-alike impersonation: width, case, spacing, other scripts, accents and traditional characters fold to the same name', async () => {
    const s = await openSession();
    await join(s.code, 'Amy Li');
    await join(s.code, '张三');
    for (const nickname of ['張三'])
      expectError(await call(`/api/codes/${s.code}/participants`, { body: { nickname } }), 409, 'nickname_taken');
    // Cyrillic А and у, and a combining accent, look like the Latin name.
    for (const nickname of ['ＡＭＹ ＬＩ', 'amy  li', 'AMY LI', '\u0410my Li', 'Am\u0443 Li', 'Amý Li'])
      expectError(await call(`/api/codes/${s.code}/participants`, { body: { nickname } }), 409, 'nickname_taken');
    for (const nickname of ['Amy\u200BLi', 'Amy\u2066Li', 'Amy\u00ADLi'])
      expectError(await call(`/api/codes/${s.code}/participants`, { body: { nickname } }), 400, 'invalid_json');
  });
});
