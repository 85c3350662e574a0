/** `GET /api/sessions/:code/live`: who may open the live socket, and the JSON errors before the upgrade. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { encodeIdentity, IDENTITY_HEADER } from '../../worker/live/identity';
import { join, openSession } from './helpers';
import { LiveClient, upgrade } from './live-client';

/** Asserts a JSON error of the API's shape. */
async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.webSocket).toBeNull();
  expect(await res.json()).toEqual({ error: { code, message: expect.any(String) } });
}

describe('opening the live socket', () => {
  it('needs a WebSocket upgrade', async () => {
    const s = await openSession({ mode: 'live', count: 1 });
    await expectError(await upgrade(s.code, `key=${s.teacherKey}`, {}), 426, 'upgrade_required');
  });

  it('needs exactly one valid credential for this session', async () => {
    const s = await openSession({ mode: 'live', count: 1 });
    const other = await openSession({ mode: 'live', count: 1 });
    const { token } = await join(s.code, 'Amy');
    const stranger = await join(other.code, 'Zed');
    await expectError(await upgrade(s.code, ''), 401, 'unauthorized');
    await expectError(await upgrade(s.code, `key=${s.teacherKey}&token=${token}`), 401, 'unauthorized');
    await expectError(await upgrade(s.code, 'token=short'), 401, 'unauthorized');
    await expectError(await upgrade(s.code, `token=${'x'.repeat(43)}`), 401, 'unauthorized');
    await expectError(await upgrade(s.code, `key=${other.teacherKey}`), 403, 'forbidden');
    await expectError(await upgrade(s.code, `token=${stranger.token}`), 403, 'forbidden');
    await expectError(await upgrade('ZZZZZZ', `key=${s.teacherKey}`), 404, 'unknown_code');
    await expectError(await upgrade('no!', `key=${s.teacherKey}`), 404, 'unknown_code');
  });

  it('is only for open live sessions, with unexpired credentials', async () => {
    const self = await openSession({ mode: 'self', count: 1 });
    await expectError(await upgrade(self.code, `key=${self.teacherKey}`), 409, 'not_live');

    const s = await openSession({ mode: 'live', count: 1 });
    const { token } = await join(s.code, 'Amy');
    await env.DB.prepare('UPDATE participants SET expires_at = ? WHERE session_id = ?')
      .bind(Date.now() - 1, s.id)
      .run();
    await expectError(await upgrade(s.code, `token=${token}`), 401, 'token_expired');
    await env.DB.prepare('UPDATE sessions SET teacher_key_expires_at = ? WHERE id = ?')
      .bind(Date.now() - 1, s.id)
      .run();
    await expectError(await upgrade(s.code, `key=${s.teacherKey}`), 401, 'link_expired');
    await env.DB.prepare(`UPDATE sessions SET status = 'closed' WHERE id = ?`).bind(s.id).run();
    await expectError(await upgrade(s.code, `key=${s.teacherKey}`), 410, 'session_closed');
  });

  it('ignores an identity header sent by the client: the role comes from the credential', async () => {
    const s = await openSession({ mode: 'live', count: 1 });
    const { token } = await join(s.code, 'Amy');
    const forged = encodeIdentity({
      role: 'host',
      session: {
        sessionId: s.id,
        code: s.code,
        title: 'x',
        timeLimitSec: 30,
        lang: 'both',
        partialCredit: false,
        shuffleOptions: false,
        showLeaderboard: true,
        questionCount: 1,
        idSalt: 'forged',
      },
    });
    const res = await upgrade(s.code, `token=${token}`, { Upgrade: 'websocket', [IDENTITY_HEADER]: forged });
    expect(res.status).toBe(101);
    const ws = res.webSocket!;
    ws.accept();
    const first = await new Promise<string>((resolve) =>
      ws.addEventListener('message', (e) => resolve(e.data as string), { once: true }),
    );
    expect(JSON.parse(first)).toMatchObject({ type: 'welcome', role: 'player', me: { nickname: 'Amy' } });
    ws.close();
  });

  it('keeps the case-insensitive join code students type', async () => {
    const s = await openSession({ mode: 'live', count: 1 });
    const host = await LiveClient.open(s.code.toLowerCase(), `key=${s.teacherKey}`);
    expect((await host.next('welcome')).session).toMatchObject({ code: s.code, questionCount: 1, timeLimitSec: 30 });
  });
});
