/**
 * The live room beyond the game itself: the teacher's screens (projector and remote), a reload
 * during the reveal, the frame budget, and the end of the room (close, reopen, delete, idle end,
 * cleanup), through the Worker's routes and with the object's storage inspected.
 */
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { CLEANUP_AFTER_MS, IDLE_END_MS } from '../../worker/live/host-machine';
import type { GameState } from '../../worker/live/state';
import { call, join, keyFor, openSession, rightResponse, wrongResponse } from './helpers';
import { LiveClient, playerTicketRequest, roomOf } from './live-client';
import { LIVE_CLOSE_CODES, PODIUM_SIZE, type CreatedSession } from '../../worker/contract';

async function liveGame(options: Record<string, unknown> = {}) {
  const s = await openSession({ mode: 'live', count: 2, timeLimitSec: 30, ...options });
  const host = await LiveClient.host(s);
  await host.next('welcome');
  return { s, host };
}

async function player(s: CreatedSession, host: LiveClient, nickname: string) {
  const joined = await join(s.code, nickname);
  const client = await LiveClient.player(joined.token);
  const welcome = await client.next('welcome');
  await host.next('player');
  return { client, token: joined.token, id: welcome.me!.participantId };
}

const gameState = (sessionId: string) =>
  runInDurableObject(
    roomOf(sessionId),
    (_room, state) =>
      JSON.parse(state.storage.sql.exec<{ v: string }>(`SELECT v FROM meta WHERE k = 'game'`).one().v) as GameState,
  );

/** The room's own tables (the runtime's aside): none once its storage is deleted. */
const ownTables = (sessionId: string) =>
  runInDurableObject(roomOf(sessionId), (_room, state) =>
    state.storage.sql
      .exec<{ name: string }>(
        `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'`,
      )
      .toArray()
      .map((r) => r.name),
  );

const answerRows = async (sessionId: string) =>
  (
    await env.DB.prepare('SELECT participant_id, response FROM answers WHERE session_id = ? ORDER BY participant_id')
      .bind(sessionId)
      .all<{ participant_id: string; response: string | null }>()
  ).results;

describe("the teacher's screens", () => {
  it('tells every screen which screens are there, and gives the full ranking to the remote only', async () => {
    const { s, host: remote } = await liveGame({ count: 1 });
    expect(await remote.next('hosts')).toEqual({ type: 'hosts', projectors: 0, remotes: 1 });
    const projector = await LiveClient.host(s, 'projector');
    expect(await projector.next('welcome')).toMatchObject({ role: 'host', screen: 'projector' });
    expect(await projector.next('hosts')).toEqual({ type: 'hosts', projectors: 1, remotes: 1 });
    expect(await remote.next('hosts')).toEqual({ type: 'hosts', projectors: 1, remotes: 1 });

    const players = [];
    for (const name of ['Amy', 'Ben', 'Cat', 'Dan', 'Eve', 'Fay', 'Gus']) {
      players.push(await player(s, remote, name));
      await projector.next('player');
    }
    remote.send({ type: 'start' });
    const q = await players[0]!.client.next('question');
    const k = await keyFor(s.id, q.question);
    for (const p of players) {
      p.client.send({ type: 'answer', questionId: k.id, response: rightResponse(k) });
      await p.client.next('ack');
    }
    await remote.next('reveal');
    remote.send({ type: 'next' });

    const full = await remote.next('final');
    expect(full.podium).toHaveLength(PODIUM_SIZE);
    expect(full.ranking).toHaveLength(7);
    const shown = await projector.next('final');
    expect(shown.podium).toEqual(full.podium);
    expect(shown).not.toHaveProperty('ranking');
    const own = await players[6]!.client.next('final');
    expect(own.podium).toHaveLength(PODIUM_SIZE);
    expect(own).not.toHaveProperty('ranking');
    expect(own.me).toMatchObject({ nickname: 'Gus' });

    // The snapshot shows the same: the projector's has no ranking either.
    projector.send({ type: 'sync' });
    await projector.next('welcome');
    expect(await projector.next('final')).toEqual(shown);
    remote.send({ type: 'sync' });
    expect(await remote.next('final')).toEqual(full);
    // The end closed the session in D1, but a game that ended by itself lets its screens back in
    // (a reload shows the podium again), the projector's still without the ranking.
    const reloaded = await LiveClient.host(s, 'projector');
    expect(await reloaded.next('welcome')).toMatchObject({ phase: 'ended', screen: 'projector' });
    expect(await reloaded.next('final')).toEqual(shown);
    reloaded.close();
    await remote.next('hosts');
    await remote.next('hosts');

    // A screen that goes tells the others.
    projector.close();
    expect(await remote.next('hosts')).toEqual({ type: 'hosts', projectors: 0, remotes: 1 });
  });

  it('keeps a few screens of each kind, the newest replacing the oldest of its kind', async () => {
    const { s, host: remote } = await liveGame({ count: 1 });
    const projectors = [];
    for (let i = 0; i < 5; i++) {
      projectors.push(await LiveClient.host(s, 'projector'));
      await projectors[i]!.next('welcome');
    }
    expect(await projectors[0]!.closedWith()).toMatchObject({ code: LIVE_CLOSE_CODES.replaced });
    expect(remote.closed).toBeNull();
    remote.send({ type: 'sync' });
    await remote.next('welcome');
    expect(await remote.next('hosts')).toEqual({ type: 'hosts', projectors: 4, remotes: 1 });
  });
});

describe('a reload during the reveal', () => {
  it('shows the question (closed) before its reveal, to a screen and to a student', async () => {
    const { s, host } = await liveGame();
    const amy = await player(s, host, 'Amy');
    host.send({ type: 'start' });
    const open = await amy.client.next('question');
    const k = await keyFor(s.id, open.question);
    amy.client.send({ type: 'answer', questionId: k.id, response: wrongResponse(k) });
    await amy.client.next('reveal');

    const projector = await LiveClient.host(s, 'projector');
    await projector.next('reveal');
    expect(projector.messages.map((m) => m.type)).toEqual(['welcome', 'hosts', 'question', 'reveal']);
    expect(projector.messages[0]).toMatchObject({ phase: 'reveal', position: 0 });
    const [, , question, reveal] = projector.messages as [unknown, unknown, any, any];
    expect(question).toMatchObject({ position: 0, closed: true, remainingMs: 0, endsAt: null, paused: false });
    expect(question.question.id).toBe(reveal.questionId);

    const back = await LiveClient.player(amy.token);
    await back.next('welcome');
    const shown = await back.next('question');
    expect(shown).toMatchObject({ closed: true, remainingMs: 0, endsAt: null });
    // The student's own order, as when it opened.
    expect(shown.question).toEqual(open.question);
    expect((await back.next('reveal')).questionId).toBe(shown.question.id);
    expect(await back.next('result')).toMatchObject({ answered: true, correct: false });
  });
});

describe('the frame budget', () => {
  it('closes a socket that floods, and only that one', async () => {
    const { s, host } = await liveGame();
    const amy = await player(s, host, 'Amy');
    const ben = await player(s, host, 'Ben');
    host.send({ type: 'start' });
    await amy.client.next('question');
    const q = await ben.client.next('question');
    for (let i = 0; i < 200; i++) amy.client.sendNow('{"type":"nonsense"}');
    expect(await amy.client.closedWith()).toMatchObject({ code: LIVE_CLOSE_CODES.flooding });
    // At most the burst (and what refilled meanwhile) was read before the socket closed.
    const errors = amy.client.messages.filter((m) => m.type === 'error').length;
    expect(errors).toBeGreaterThan(0);
    expect(errors).toBeLessThan(40);

    const k = await keyFor(s.id, q.question);
    ben.client.send({ type: 'answer', questionId: k.id, response: rightResponse(k) });
    expect(await ben.client.next('ack')).toMatchObject({ repeated: false });
    expect(host.closed).toBeNull();
  });
});

describe('the end of the room', () => {
  it('closing the session mid-question ends the game, with every acknowledged answer in D1, and takes nothing more', async () => {
    const { s, host } = await liveGame();
    const amy = await player(s, host, 'Amy');
    const ben = await player(s, host, 'Ben');
    host.send({ type: 'start' });
    const q = await amy.client.next('question');
    await ben.client.next('question');
    const k = await keyFor(s.id, q.question);
    amy.client.send({ type: 'answer', questionId: k.id, response: rightResponse(k) });
    await amy.client.next('ack');
    expect(await answerRows(s.id)).toEqual([]);

    const closed = await call(`/api/sessions/${s.id}/close`, { method: 'POST', token: s.teacherKey });
    expect(closed.status, closed.text).toBe(200);
    // Amy's answer and Ben's no-answer were in D1 before the close answered.
    const rows = await answerRows(s.id);
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.participant_id === amy.id)?.response).not.toBeNull();
    expect(rows.find((r) => r.participant_id === ben.id)?.response).toBeNull();

    for (const client of [host, amy.client, ben.client]) {
      await client.next('final');
      expect(await client.next('closed')).toEqual({ type: 'closed', reason: 'closed' });
      expect(await client.closedWith()).toMatchObject({ code: LIVE_CLOSE_CODES.closed });
    }
    expect(await gameState(s.id)).toMatchObject({ phase: 'ended', shut: true });

    // No way back in: the session is closed in D1, and the room itself refuses even if D1 said otherwise.
    expect((await playerTicketRequest(ben.token)).status).toBe(410);
    await env.DB.prepare(`UPDATE sessions SET status = 'open' WHERE id = ?`).bind(s.id).run();
    const refused = await playerTicketRequest(ben.token);
    expect(refused).toMatchObject({ status: 410, json: { error: { code: 'session_closed' } } });
    expect(await answerRows(s.id)).toEqual(rows);
  });

  it('closing a live session nobody connected to leaves its room empty', async () => {
    const s = await openSession({ mode: 'live', count: 1 });
    expect((await call(`/api/sessions/${s.id}/close`, { method: 'POST', token: s.teacherKey })).status).toBe(200);
    expect(await ownTables(s.id)).toEqual([]);
  });

  it('reopening a closed live session lets the screens back to the final podium; the game stays over', async () => {
    const { s, host } = await liveGame({ count: 1 });
    const amy = await player(s, host, 'Amy');
    expect((await call(`/api/sessions/${s.id}/close`, { method: 'POST', token: s.teacherKey })).status).toBe(200);
    await amy.client.closedWith();
    expect((await call(`/api/sessions/${s.id}/reopen`, { method: 'POST', token: s.teacherKey })).status).toBe(200);
    const back = await LiveClient.player(amy.token);
    expect(await back.next('welcome')).toMatchObject({ phase: 'ended' });
    await back.next('final');
    const remote = await LiveClient.host(s);
    await remote.next('welcome');
    remote.send({ type: 'start' });
    expect(await remote.next('error')).toMatchObject({ code: 'not_now' });
  });

  it('deleting the session closes every screen, empties the room and its alarm, and leaves nothing in D1', async () => {
    const { s, host } = await liveGame();
    const amy = await player(s, host, 'Amy');
    host.send({ type: 'start' });
    const q = await amy.client.next('question');
    const k = await keyFor(s.id, q.question);
    amy.client.send({ type: 'answer', questionId: k.id, response: rightResponse(k) });
    await amy.client.next('ack');

    const res = await call(`/api/sessions/${s.id}`, { method: 'DELETE', token: s.teacherKey });
    expect(res.status, res.text).toBe(204);
    for (const client of [host, amy.client]) {
      expect(await client.next('closed')).toEqual({ type: 'closed', reason: 'deleted' });
      expect(await client.closedWith()).toMatchObject({ code: LIVE_CLOSE_CODES.deleted });
    }
    expect(await runInDurableObject(roomOf(s.id), (_room, state) => state.storage.getAlarm())).toBeNull();
    expect(await ownTables(s.id)).toEqual([]);
    expect(await answerRows(s.id)).toEqual([]);
    const left = await env.DB.prepare('SELECT count(*) AS n FROM participants WHERE session_id = ?')
      .bind(s.id)
      .first<{ n: number }>();
    expect(left!.n).toBe(0);
    expect((await playerTicketRequest(amy.token)).status).toBe(401);
  });

  it('ends a game nobody touches for hours (results to D1), then deletes its storage', async () => {
    const { s, host } = await liveGame({ timeLimitSec: 0 });
    const amy = await player(s, host, 'Amy');
    host.send({ type: 'start' });
    const q = await amy.client.next('question');
    const k = await keyFor(s.id, q.question);
    amy.client.send({ type: 'answer', questionId: k.id, response: rightResponse(k) });
    await amy.client.next('ack');
    // Nothing happened for longer than the idle time (untimed: no deadline closes the question).
    await runInDurableObject(roomOf(s.id), (_room, state) => {
      const ago = IDLE_END_MS + 60_000;
      state.storage.sql.exec(`UPDATE meta SET v = json_set(v, '$.activeAt', ?) WHERE k = 'game'`, Date.now() - ago);
      state.storage.sql.exec('UPDATE players SET connected_at = connected_at - ?', ago);
      state.storage.sql.exec('UPDATE answers SET answered_at = answered_at - ?', ago);
    });
    expect(await runDurableObjectAlarm(roomOf(s.id))).toBe(true);
    expect(await gameState(s.id)).toMatchObject({ phase: 'ended', sessionClosedSynced: true });
    await amy.client.next('final');
    const rows = await answerRows(s.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.response).not.toBeNull();
    const session = await env.DB.prepare('SELECT status FROM sessions WHERE id = ?').bind(s.id).first();
    expect(session).toMatchObject({ status: 'closed' });

    // Later the cleanup deletes the room's storage.
    await runInDurableObject(roomOf(s.id), (_room, state) => {
      state.storage.sql.exec(
        `UPDATE meta SET v = json_set(v, '$.endedAt', ?) WHERE k = 'game'`,
        Date.now() - CLEANUP_AFTER_MS - 1,
      );
    });
    expect(await runDurableObjectAlarm(roomOf(s.id))).toBe(true);
    expect(await ownTables(s.id)).toEqual([]);
  });

  it('ends a lobby that never started the same way: nothing is kept for ever', async () => {
    const s = await openSession({ mode: 'live', count: 1 });
    const host = await LiveClient.host(s);
    await host.next('welcome');
    host.close();
    const alarm = await runInDurableObject(roomOf(s.id), (_room, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
    await runInDurableObject(roomOf(s.id), (_room, state) => {
      state.storage.sql.exec(
        `UPDATE meta SET v = json_set(v, '$.activeAt', ?) WHERE k = 'game'`,
        Date.now() - IDLE_END_MS - 1,
      );
    });
    expect(await runDurableObjectAlarm(roomOf(s.id))).toBe(true);
    const game = await gameState(s.id);
    expect(game).toMatchObject({ phase: 'ended' });
    expect(await runInDurableObject(roomOf(s.id), (_room, state) => state.storage.getAlarm())).toBeGreaterThanOrEqual(
      game.endedAt! + CLEANUP_AFTER_MS,
    );
  });
});
