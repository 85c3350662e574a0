/**
 * The limits on what costs nothing to ask (worker/lib/limits.ts), through the Worker: registrations
 * and quick sessions per address, questions and imports per account, failed sign-ins per account
 * and address; who a request without `CF-Connecting-IP` is; how addresses are stored.
 */
import { env, exports } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { keyedHash, sha256 } from '../../worker/lib/crypto';
import {
  ACCOUNT_FAILURES,
  IMPORTS,
  MAX_IMPORT_QUESTIONS,
  QUESTIONS,
  QUICK_SESSIONS,
  REGISTRATIONS,
  SIGNIN_FAILURES,
} from '../../worker/lib/limits';
import { call, callHandler, expectError, ownAddress, ownQuestion, teacher } from './helpers';

const PASSWORD = 'correct horse battery';
let emails = 0;
const register = (headers: Record<string, string>, password = PASSWORD) =>
  callHandler('/api/auth/register', {
    body: { email: `limits${++emails}@school.example`, name: 'Ms Wang', password },
    headers,
  });
const signIn = (email: string, password: string, headers: Record<string, string>) =>
  callHandler('/api/auth/signin', { body: { email, password }, headers });
/** A GIFT text of `n` true/false questions. */
const gift = (n: number) => Array.from({ length: n }, (_, i) => `::q${i}:: Is ${i} + 1 = ${i + 1}? {T}`).join('\n\n');
const importGift = (cookie: string, n: number) =>
  callHandler('/api/questions/import', { cookie, body: { gift: gift(n), lang: 'en' } });

describe('limits per address', () => {
  it(`refuses the ${REGISTRATIONS.burst + 1}th registration from one address in an hour, not another's`, async () => {
    const school = { 'CF-Connecting-IP': '203.0.113.10' };
    for (let i = 0; i < REGISTRATIONS.burst; i++) expect((await register(school)).status).toBe(201);
    const refused = await register(school);
    expectError(refused, 429, 'too_many_attempts');
    expect(refused.json.error.retryAfterSec).toBeLessThanOrEqual(REGISTRATIONS.refillMs / 1000);
    expect((await register({ 'CF-Connecting-IP': '203.0.113.11' })).status).toBe(201);
  });

  it('limits quick sessions per address, and not a signed-in teacher there', async () => {
    const school = { 'CF-Connecting-IP': '203.0.113.20' };
    const open = (headers: Record<string, string>, cookie?: string) =>
      callHandler('/api/sessions', { body: { title: 'Quick', count: 1 }, headers, cookie });
    for (let i = 0; i < QUICK_SESSIONS.burst; i++) expect((await open(school)).status).toBe(201);
    expectError(await open(school), 429, 'too_many_attempts');
    const t = await teacher();
    expect((await open(school, t.cookie)).status).toBe(201);
    expect((await open({ 'CF-Connecting-IP': '203.0.113.21' })).status).toBe(201);
  });

  it('tells apart clients without CF-Connecting-IP: by X-Forwarded-For, else by their headers', async () => {
    const a = { 'User-Agent': 'Browser A', 'Accept-Language': 'zh-CN' };
    const b = { 'User-Agent': 'Browser B', 'Accept-Language': 'zh-CN' };
    for (let i = 0; i < REGISTRATIONS.burst; i++) expect((await register(a)).status).toBe(201);
    expectError(await register(a), 429, 'too_many_attempts');
    expect((await register(b)).status).toBe(201);
    // Behind a local proxy, its first hop names the client (the same browser headers or not).
    const proxied = (client: string) => ({ ...a, 'X-Forwarded-For': `${client}, 127.0.0.1` });
    for (let i = 0; i < REGISTRATIONS.burst; i++) expect((await register(proxied('10.1.1.1'))).status).toBe(201);
    expectError(await register(proxied('10.1.1.1')), 429, 'too_many_attempts');
    expect((await register(proxied('10.1.1.2'))).status).toBe(201);
  });

  it('stores an address only as an HMAC under the server key, not as its SHA-256', async () => {
    const address = '203.0.113.30';
    await call('/api/codes/ZZZZZZ', { headers: { 'CF-Connecting-IP': address } });
    const rows = (
      await env.DB.prepare("SELECT key FROM rate_limits WHERE purpose = 'code-guesses'").all<{ key: string }>()
    ).results;
    expect(rows).toHaveLength(1);
    const { key } = rows[0]!;
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect((await sha256(address)).startsWith(key)).toBe(false);
    // The key was made on first use and kept in D1.
    const secret = await env.DB.prepare('SELECT value FROM server_secrets').first<{ value: string }>();
    expect(secret!.value.length).toBeGreaterThanOrEqual(43);
    expect(key).toBe(await keyedHash(secret!.value, address));
  });
});

describe('limits per account', () => {
  it(`caps one import at ${MAX_IMPORT_QUESTIONS} questions, and an account's questions a day`, async () => {
    const t = await teacher();
    const tooMany = await importGift(t.cookie, MAX_IMPORT_QUESTIONS + 1);
    expectError(tooMany, 400, 'too_many_questions');
    expect(tooMany.json.error.message).toContain(String(MAX_IMPORT_QUESTIONS + 1));
    expect((await env.DB.prepare('SELECT count(*) AS n FROM questions WHERE owner_id = ?').bind(t.id).first())!.n).toBe(
      0,
    );
    // Imports and questions written one by one draw on the same questions of the day.
    for (let i = 0; i < QUESTIONS.burst / MAX_IMPORT_QUESTIONS; i++)
      expect((await importGift(t.cookie, MAX_IMPORT_QUESTIONS)).status).toBe(201);
    const refused = await callHandler('/api/questions', { cookie: t.cookie, body: ownQuestion });
    expectError(refused, 429, 'too_many_attempts');
    expect(refused.json.error.retryAfterSec).toBeLessThanOrEqual(Math.ceil(QUESTIONS.refillMs / 1000));
    expectError(await importGift(t.cookie, 1), 429, 'too_many_attempts');
    // Another teacher is not affected.
    expect((await call('/api/questions', { cookie: (await teacher()).cookie, body: ownQuestion })).status).toBe(201);
  }, 60_000);

  it(`refuses import number ${IMPORTS.burst + 1} in an hour, a failed one counted too`, async () => {
    const t = await teacher();
    expectError(
      await callHandler('/api/questions/import', { cookie: t.cookie, body: { gift: '::x:: broken { =a ~b' } }),
      400,
      'invalid_gift',
    );
    for (let i = 1; i < IMPORTS.burst; i++) expect((await importGift(t.cookie, 1)).status).toBe(201);
    expectError(await importGift(t.cookie, 1), 429, 'too_many_attempts');
  });
});

describe('sign-in', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('counts failures per account and address: a stranger typing wrong passwords does not lock the teacher out', async () => {
    const t = await teacher();
    const stranger = { 'CF-Connecting-IP': '192.0.2.50' };
    for (let i = 0; i < SIGNIN_FAILURES.burst; i++)
      expectError(await signIn(t.email, `wrong password ${i}`, stranger), 401, 'wrong_credentials');
    expectError(await signIn(t.email, 'wrong password', stranger), 429, 'too_many_attempts');
    // The stranger's address is refused even the right password, so guessing learns nothing there.
    expectError(await signIn(t.email, PASSWORD, stranger), 429, 'too_many_attempts');
    // The teacher, from the school, signs in.
    expect((await signIn(t.email, PASSWORD, { 'CF-Connecting-IP': '192.0.2.51' })).status).toBe(200);
  });

  it('clears an address’s failures when the right password comes from it', async () => {
    const t = await teacher();
    const home = { 'CF-Connecting-IP': '192.0.2.60' };
    for (let i = 0; i < SIGNIN_FAILURES.burst - 1; i++)
      expectError(await signIn(t.email, 'mistyped password', home), 401, 'wrong_credentials');
    expect((await signIn(t.email, PASSWORD, home)).status).toBe(200);
    for (let i = 0; i < SIGNIN_FAILURES.burst; i++)
      expectError(await signIn(t.email, 'mistyped password', home), 401, 'wrong_credentials');
    expectError(await signIn(t.email, 'mistyped password', home), 429, 'too_many_attempts');
  });

  it('stops a guesser with many addresses account-wide, but lets in an address that has not failed', async () => {
    const t = await teacher();
    const bot = (i: number) => ({ 'CF-Connecting-IP': `198.18.0.${i}` });
    for (let i = 0; i < ACCOUNT_FAILURES.burst; i++)
      expectError(await signIn(t.email, 'guess', bot(i % 200)), 401, 'wrong_credentials');
    expectError(await signIn(t.email, 'guess', bot(0)), 429, 'too_many_attempts');
    expect((await signIn(t.email, PASSWORD, { 'CF-Connecting-IP': '192.0.2.70' })).status).toBe(200);
  }, 60_000);

  it('hashes once for an unknown email as for a known one (counted in hash calls, not time)', async () => {
    const t = await teacher();
    const deriveBits = vi.spyOn(crypto.subtle, 'deriveBits');
    const hashesFor = async (email: string) => {
      deriveBits.mockClear();
      expectError(await signIn(email, 'not the password', ownAddress()), 401, 'wrong_credentials');
      return deriveBits.mock.calls.map(([algorithm]) => (algorithm as { iterations: number }).iterations);
    };
    const known = await hashesFor(t.email);
    expect(known).toEqual([100_000]);
    expect(await hashesFor('nobody@school.example')).toEqual(known);
  });

  it('refuses the most common passwords, in any case, with a field problem of their own', async () => {
    for (const password of ['Password1', 'qwertyuiop', 'WOAINI1314', 'iloveyou']) {
      const res = await register(ownAddress(), password);
      expectError(res, 400, 'invalid_json');
      expect(res.json.error.fields).toEqual([{ path: 'password', problem: 'too_common' }]);
    }
    const short = await register(ownAddress(), 'short');
    expect(short.json.error.fields).toEqual([{ path: 'password', problem: 'too_short' }]);
    const t = await teacher();
    const change = await call('/api/auth/password', {
      cookie: t.cookie,
      body: { current: PASSWORD, next: 'sunshine' },
    });
    expectError(change, 400, 'invalid_json');
    expect(change.json.error.fields).toEqual([{ path: 'next', problem: 'too_common' }]);
  });
});

describe('request hardening', () => {
  it('answers a body-less POST without Origin by saying what to send, and lets a bearer token through', async () => {
    const t = await teacher();
    // As a script sends it: no Origin, no body.
    const send = (path: string, headers: Record<string, string>) =>
      exports.default.fetch(new Request(`http://quiz.test${path}`, { method: 'POST', headers }));
    const bare = await send('/api/auth/signout', { Cookie: t.cookie });
    expect(bare.status).toBe(403);
    const body = (await bare.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('origin_required');
    expect(body.error.message).toMatch(/Origin header of this site/);
    // With a bearer token (no browser adds one cross-site), the request reaches its route.
    const bearer = await send('/api/play/answers', { Authorization: 'Bearer not-a-real-token' });
    expect(bearer.status).not.toBe(403);
    expect(((await bearer.json()) as { error: { code: string } }).error.code).not.toBe('origin_required');
  });

  it('sends Strict-Transport-Security with API responses and pages', async () => {
    const api = await call('/api/health');
    expect(api.headers.get('Strict-Transport-Security')).toBe('max-age=31536000; includeSubDomains');
    const page = await env.ASSETS.fetch('http://quiz.test/');
    expect(page.headers.get('Strict-Transport-Security')).toBe('max-age=31536000; includeSubDomains');
  });
});
