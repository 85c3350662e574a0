/**
 * The way into a live game: tickets (`POST /api/play/live/ticket`, `POST /api/sessions/:id/live/ticket`)
 * and the socket they open (`GET /api/live?ticket=…`), with the JSON errors before the upgrade.
 */
import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, join, openSession, settle, teacher } from './helpers';
import {
  hostTicket,
  hostTicketRequest,
  LiveClient,
  playerTicket,
  playerTicketRequest,
  roomOf,
  upgrade,
  upgradedUrls,
} from './live-client';
import { LIVE_TICKET_TTL_SEC, type CreatedSession } from '../../worker/contract';

/** Asserts a JSON error of the API's shape. */
async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.webSocket).toBeNull();
  expect(await res.json()).toEqual({ error: { code, message: expect.any(String) } });
}

/** Asserts a ticket request's error. */
function expectRefused(res: { status: number; json: any }, status: number, code: string) {
  expect(res.status, JSON.stringify(res.json)).toBe(status);
  expect(res.json).toMatchObject({ error: { code, message: expect.any(String) } });
}

/** The first message on a socket opened by hand. */
async function firstMessage(res: Response) {
  expect(res.status).toBe(101);
  const ws = res.webSocket!;
  ws.accept();
  const first = await new Promise<string>((resolve) =>
    ws.addEventListener('message', (e) => resolve(e.data as string), { once: true }),
  );
  ws.close();
  return JSON.parse(first);
}

describe('live tickets', () => {
  it('gives the teacher and the student a single-use ticket, never cached, for the socket address', async () => {
    const s = await openSession({ mode: 'live', count: 1 });
    const { token } = await join(s.code, 'Amy');
    for (const res of [await hostTicketRequest(s, 'projector'), await playerTicketRequest(token)]) {
      expect(res.status).toBe(200);
      expect(res.json).toEqual({
        ticket: expect.any(String),
        url: expect.any(String),
        expiresInSec: LIVE_TICKET_TTL_SEC,
      });
      expect(res.json.ticket.startsWith(`${s.id}.`)).toBe(true);
      expect(res.json.url).toBe(`/api/live?ticket=${res.json.ticket}`);
    }
    const raw = await call(`/api/sessions/${s.id}/live/ticket`, { token: s.teacherKey, body: { screen: 'remote' } });
    expect(raw.headers.get('Cache-Control')).toBe('no-store');
    const student = await call('/api/play/live/ticket', { method: 'POST', token });
    expect(student.status, student.text).toBe(200);
    expect(student.headers.get('Cache-Control')).toBe('no-store');
  });

  it('keeps only the hash of a ticket in the room', async () => {
    const s = await openSession({ mode: 'live', count: 1 });
    const { ticket } = await hostTicket(s);
    const stored = await runInDurableObject(roomOf(s.id), (_room, state) =>
      state.storage.sql.exec<{ hash: string; identity: string }>('SELECT hash, identity FROM tickets').toArray(),
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(ticket.slice(ticket.indexOf('.') + 1));
    expect(JSON.stringify(stored)).not.toContain(s.teacherKey);
  });

  it("refuses the teacher's ticket without this session's unexpired key, or for a wrong screen", async () => {
    const s = await openSession({ mode: 'live', count: 1 });
    const other = await openSession({ mode: 'live', count: 1 });
    expectRefused(await hostTicketRequest({ id: s.id, teacherKey: other.teacherKey }), 403, 'forbidden');
    expectRefused(await hostTicketRequest({ id: 'nosuchsession', teacherKey: s.teacherKey }), 404, 'session_not_found');
    expectRefused(await hostTicketRequest(s, 'phone' as never), 400, 'invalid_json');
    const anonymous = await call(`/api/sessions/${s.id}/live/ticket`, { body: { screen: 'remote' } });
    expectRefused(anonymous, 401, 'unauthorized');
    await env.DB.prepare('UPDATE sessions SET teacher_key_expires_at = ? WHERE id = ?')
      .bind(Date.now() - 1, s.id)
      .run();
    expectRefused(await hostTicketRequest(s), 401, 'link_expired');
  });

  it("gives the signed-in owner a ticket by their cookie, and nobody else's cookie", async () => {
    const owner = await teacher();
    const created = await call('/api/sessions', {
      cookie: owner.cookie,
      body: { title: 'Owned', count: 1, timeLimitSec: 30, mode: 'live' },
    });
    const s = created.json as CreatedSession;
    const res = await hostTicketRequest(s, 'projector', { cookie: owner.cookie });
    expect(res.status).toBe(200);
    const welcome = await firstMessage(await upgrade(res.json.url));
    expect(welcome).toMatchObject({ type: 'welcome', role: 'host', screen: 'projector' });
    const stranger = await teacher('Mr Wu');
    expectRefused(await hostTicketRequest(s, 'remote', { cookie: stranger.cookie }), 404, 'session_not_found');
  });

  it("refuses the student's ticket without a valid, unexpired device token", async () => {
    const s = await openSession({ mode: 'live', count: 1 });
    const { token } = await join(s.code, 'Amy');
    expectRefused(await call('/api/play/live/ticket', { method: 'POST' }), 401, 'unauthorized');
    expectRefused(await playerTicketRequest('short'), 401, 'unauthorized');
    // A token made up around the session's id is nobody's.
    expectRefused(await playerTicketRequest(`${s.id}.${'x'.repeat(43)}`), 401, 'unauthorized');
    await settle(s.id);
    await env.DB.prepare('UPDATE participants SET expires_at = ? WHERE session_id = ?')
      .bind(Date.now() - 1, s.id)
      .run();
    expectRefused(await playerTicketRequest(token), 401, 'token_expired');
  });

  it('is only for live sessions open now', async () => {
    const self = await openSession({ mode: 'self', count: 1 });
    expectRefused(await hostTicketRequest(self), 409, 'not_live');
    const selfStudent = await join(self.code, 'Sam');
    expectRefused(await playerTicketRequest(selfStudent.token), 409, 'not_live');

    const s = await openSession({ mode: 'live', count: 1 });
    const { token } = await join(s.code, 'Amy');
    await settle(s.id);
    await env.DB.prepare('UPDATE sessions SET opens_at = ? WHERE id = ?')
      .bind(Date.now() + 3_600_000, s.id)
      .run();
    expectRefused(await hostTicketRequest(s), 409, 'not_open_yet');
    expectRefused(await playerTicketRequest(token), 409, 'not_open_yet');
    await settle(s.id);
    await env.DB.prepare(`UPDATE sessions SET opens_at = NULL, status = 'closed' WHERE id = ?`).bind(s.id).run();
    expectRefused(await hostTicketRequest(s), 410, 'session_closed');
    expectRefused(await playerTicketRequest(token), 410, 'session_closed');
  });
});

describe('opening the live socket', () => {
  it("removes a connected student from the teacher's list: their socket closes and the route says done", async () => {
    const s = await openSession({ mode: 'live', count: 1 });
    const amy = await join(s.code, 'Amy');
    const socket = await LiveClient.open(amy.live!.url);
    await socket.next('welcome');
    const [seat] = (await call(`/api/sessions/${s.id}`, { token: s.teacherKey })).json.participants;
    const removed = await call(`/api/sessions/${s.id}/participants/${seat.id}`, {
      method: 'DELETE',
      token: s.teacherKey,
    });
    expect(removed.status, removed.text).toBe(204);
    expect((await socket.closedWith()).code).toBe(4001);
    expect((await call(`/api/sessions/${s.id}`, { token: s.teacherKey })).json.participants).toEqual([]);
    const again = await call(`/api/sessions/${s.id}/participants/${seat.id}`, {
      method: 'DELETE',
      token: s.teacherKey,
    });
    expect([again.status, again.json.error.code]).toEqual([404, 'participant_not_found']);
  });

  it("opens with the ticket a live join comes with, and the student's reconnections ask for their own", async () => {
    const s = await openSession({ mode: 'live', count: 1 });
    const joined = await join(s.code, 'Amy');
    expect(joined.live).toEqual({ ticket: expect.any(String), url: expect.any(String), expiresInSec: 30 });
    expect(joined.live!.url).not.toContain(joined.token);
    const first = await LiveClient.open(joined.live!.url);
    expect((await first.next('welcome')).type).toBe('welcome');
    // Single use: a reconnection asks for a ticket with the device token.
    await expectError(await upgrade(joined.live!.url), 401, 'ticket_invalid');
    const again = await LiveClient.player(joined.token);
    expect((await again.next('welcome')).type).toBe('welcome');
    // A self-paced join carries no ticket.
    expect((await join((await openSession({ mode: 'self', count: 1 })).code, 'Ben')).live).toBeUndefined();
  });

  it('needs a WebSocket upgrade', async () => {
    const s = await openSession({ mode: 'live', count: 1 });
    await expectError(await upgrade((await hostTicket(s)).url, {}), 426, 'upgrade_required');
  });

  it('opens once per ticket: a spent, forged, expired or misdirected ticket is refused before the upgrade', async () => {
    const s = await openSession({ mode: 'live', count: 1 });
    const other = await openSession({ mode: 'live', count: 1 });
    const { token } = await join(s.code, 'Amy');

    const ticket = await playerTicket(token);
    const client = await LiveClient.open(ticket.url);
    await client.next('welcome');
    await expectError(await upgrade(ticket.url), 401, 'ticket_invalid');

    await expectError(await upgrade('/api/live'), 401, 'ticket_invalid');
    await expectError(await upgrade('/api/live?ticket=short'), 401, 'ticket_invalid');
    await expectError(await upgrade(`/api/live?ticket=${s.id}.${'A'.repeat(43)}`), 401, 'ticket_invalid');
    // A room that never was: refused, and it keeps nothing.
    await expectError(await upgrade(`/api/live?ticket=neverwasroom.${'A'.repeat(43)}`), 401, 'ticket_invalid');

    // Another session's ticket under this session's id: this room never issued it.
    const theirs = await hostTicket(other);
    const secret = theirs.ticket.slice(theirs.ticket.indexOf('.') + 1);
    await expectError(await upgrade(`/api/live?ticket=${s.id}.${secret}`), 401, 'ticket_invalid');
    // The room wakes to run a test; the ticket itself still works where it belongs.
    expect((await firstMessage(await upgrade(theirs.url))).role).toBe('host');

    // Expired (the room's clock cannot be moved, its record can).
    const late = await hostTicket(s);
    await runInDurableObject(roomOf(s.id), (_room, state) => {
      state.storage.sql.exec('UPDATE tickets SET expires_at = ?', Date.now() - 1);
    });
    await expectError(await upgrade(late.url), 401, 'ticket_invalid');
  });

  it('never takes a credential in the address: the old address is gone and a key or token in the query opens nothing', async () => {
    const s = await openSession({ mode: 'live', count: 1 });
    const { token } = await join(s.code, 'Amy');
    await expectError(await upgrade(`/api/live?key=${s.teacherKey}`), 401, 'ticket_invalid');
    await expectError(await upgrade(`/api/live?token=${token}`), 401, 'ticket_invalid');
    await expectError(await upgrade(`/api/sessions/${s.code}/live?key=${s.teacherKey}`), 404, 'not_found');
    await expectError(await upgrade(`/api/sessions/${s.code}/live?token=${token}`), 404, 'not_found');

    const host = await LiveClient.host(s);
    const amy = await LiveClient.player(token);
    await host.next('welcome');
    await amy.next('welcome');
    // Every socket this file opened, refused ones aside, was opened at a ticket's address only.
    const opened = upgradedUrls.filter((url) => url.startsWith('/api/live?ticket=') && url.includes('.'));
    expect(opened.length).toBeGreaterThan(2);
    for (const url of opened) {
      expect(url).toMatch(/^\/api\/live\?ticket=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      expect(url).not.toContain(s.teacherKey);
      expect(url).not.toContain(token.slice(token.indexOf('.') + 1));
    }
  });

  it('admits whom the ticket was issued to: a student as a player, the teacher as the screen asked for', async () => {
    const s = await openSession({ mode: 'live', count: 1 });
    const { token } = await join(s.code, 'Amy');
    // A header the client adds reaches nobody: the role comes from the ticket the room stored.
    const hostsTicket = await hostTicket(s);
    const res = await upgrade((await playerTicket(token)).url, {
      Upgrade: 'websocket',
      'X-Live-Ticket': hostsTicket.ticket,
      'X-Live-Identity': JSON.stringify({ role: 'host' }),
    });
    expect(await firstMessage(res)).toMatchObject({ type: 'welcome', role: 'player', me: { nickname: 'Amy' } });
    expect(await firstMessage(await upgrade(hostsTicket.url))).toMatchObject({ role: 'host', screen: 'remote' });

    const projector = await LiveClient.host(s, 'projector');
    const welcome = await projector.next('welcome');
    expect(welcome).toMatchObject({ role: 'host', screen: 'projector' });
    expect(welcome.session).toMatchObject({ code: s.code, questionCount: 1, timeLimitSec: 30 });
    expect(welcome).not.toHaveProperty('me');
    expect(await projector.next('hosts')).toEqual({ type: 'hosts', projectors: 1, remotes: 0 });
  });
});
