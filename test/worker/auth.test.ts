import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, expectError, teacher } from './helpers';

describe('accounts', () => {
  it('registers, signs out, signs in, and keeps only a PBKDF2 hash of the password', async () => {
    const res = await call('/api/auth/register', {
      body: { email: ' Li@School.Example ', name: 'Ms Li', password: 'correct horse battery' },
    });
    expect(res.status).toBe(201);
    expect(res.json.teacher).toMatchObject({ email: 'li@school.example', name: 'Ms Li' });
    const setCookie = res.headers.get('Set-Cookie')!;
    expect(setCookie).toMatch(/pg_session=[A-Za-z0-9_-]{43}/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    const cookie = /pg_session=[^;]+/.exec(setCookie)![0];
    const row = await env.DB.prepare('SELECT password_hash, password_salt, password_iterations FROM users').first<
      Record<string, unknown>
    >();
    expect(row).toMatchObject({ password_iterations: 100_000 });
    expect(String(row!.password_hash)).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain('correct horse');
    const stored = await env.DB.prepare('SELECT token_hash FROM user_sessions').first<{ token_hash: string }>();
    expect(cookie).not.toContain(stored!.token_hash);

    expect((await call('/api/auth/me', { cookie })).json.teacher.email).toBe('li@school.example');
    expect((await call('/api/auth/signout', { method: 'POST', cookie })).status).toBe(204);
    expectError(await call('/api/auth/me', { cookie }), 401, 'signed_out');

    expectError(
      await call('/api/auth/signin', { body: { email: 'li@school.example', password: 'wrong password' } }),
      401,
      'wrong_credentials',
    );
    const again = await call('/api/auth/signin', {
      body: { email: 'LI@school.example', password: 'correct horse battery' },
    });
    expect(again.status).toBe(200);
    expect(again.headers.get('Set-Cookie')).toMatch(/pg_session=/);
  });

  it('refuses a second account with the same email and weak or malformed input', async () => {
    const { email } = await teacher();
    expectError(
      await call('/api/auth/register', { body: { email, name: 'X', password: 'correct horse battery' } }),
      409,
      'email_taken',
    );
    expectError(
      await call('/api/auth/register', { body: { email: 'a@b.example', name: 'X', password: 'short' } }),
      400,
      'invalid_json',
    );
    expectError(
      await call('/api/auth/register', { body: { email: 'not an email', name: 'X', password: 'long enough' } }),
      400,
      'invalid_json',
    );
  });

  it('changes the password, signing out other browsers', async () => {
    const t = await teacher();
    const other = /pg_session=[^;]+/.exec(
      (await call('/api/auth/signin', { body: { email: t.email, password: 'correct horse battery' } })).headers.get(
        'Set-Cookie',
      )!,
    )![0];
    expectError(
      await call('/api/auth/password', { cookie: t.cookie, body: { current: 'nope nope', next: 'a new password' } }),
      403,
      'wrong_password',
    );
    expect(
      (
        await call('/api/auth/password', {
          cookie: t.cookie,
          body: { current: 'correct horse battery', next: 'a new password' },
        })
      ).status,
    ).toBe(204);
    expect((await call('/api/auth/me', { cookie: t.cookie })).status).toBe(200);
    expectError(await call('/api/auth/me', { cookie: other }), 401, 'signed_out');
    expect((await call('/api/auth/signin', { body: { email: t.email, password: 'a new password' } })).status).toBe(200);
  });

  it('refuses a cross-site form post (CSRF)', async () => {
    const t = await teacher();
    const res = await call('/api/classes', {
      cookie: t.cookie,
      method: 'POST',
      raw: 'name=Evil',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
  });
});
