/**
 * A contest: one live game over several live rooms (shards) under a coordinator, through the
 * Worker's routes and real sockets. Students land on the shard their id hashes to; the teacher's
 * screens talk to the coordinator; the merged ranking is the one a single room computes for the
 * same answers; results reach D1 per shard.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { shardOf } from '../../worker/live/contest';
import { call, expectError, join, keyFor, openSession, rightResponse, teacherView, wrongResponse } from './helpers';
import { LiveClient, playerTicket } from './live-client';
import { LIVE_CLOSE_CODES, type CreatedSession, type RankedPlayer } from '../../worker/contract';

const NAMES = ['Amy', 'Ben', 'Cat', 'Dan', 'Eve', 'Fay', 'Gus', 'Hal', 'Ivy'];
const QUESTIONS = 3;
/** Who answers right: student i, question j (ties on purpose: several students share a score). */
const rightAt = (i: number, j: number) => (i * 7 + j * 3) % 4 !== 0 || i === 0;

interface Player {
  name: string;
  id: string;
  client: LiveClient;
}

/** Opens the session's remote and seats every student on their live socket. */
async function seat(s: CreatedSession) {
  const remote = await LiveClient.host(s, 'remote');
  await remote.next('welcome');
  const players: Player[] = [];
  for (const name of NAMES) {
    const joined = await join(s.code, name);
    const client = await LiveClient.player(joined.token);
    const welcome = await client.next('welcome');
    players.push({ name, id: welcome.me!.participantId, client });
  }
  // Every arrival reaches the teacher's screen (from the coordinator, for a contest).
  await remote.until(
    () => remote.messages.filter((m) => m.type === 'player').length >= NAMES.length,
    'every arrival on the remote',
  );
  return { remote, players };
}

/** Plays the whole game with the answers of {@link rightAt}; the remote's final ranking. */
async function play(s: CreatedSession) {
  const { remote, players } = await seat(s);
  remote.send({ type: 'start' });
  for (let j = 0; j < QUESTIONS; j++) {
    const opened = await Promise.all(players.map((p) => p.client.next('question')));
    // One start time and one deadline for everyone, whatever their room.
    expect(new Set(opened.map((q) => q.endsAt)).size).toBe(1);
    for (const [i, p] of players.entries()) {
      const k = await keyFor(s.id, opened[i]!.question);
      p.client.send({ type: 'answer', questionId: k.id, response: (rightAt(i, j) ? rightResponse : wrongResponse)(k) });
      await p.client.next('ack');
    }
    // Everyone answered: the question closes by itself, everywhere.
    const reveal = await remote.next('reveal');
    expect(reveal.distribution).toMatchObject({ players: NAMES.length, answered: NAMES.length, noAnswer: 0 });
    expect(reveal.distribution.correct).toBe(NAMES.filter((_, i) => rightAt(i, j)).length);
    const results = await Promise.all(players.map((p) => p.client.next('result')));
    for (const r of results) expect(r.playerCount).toBe(NAMES.length);
    remote.send({ type: 'next' });
    if (j + 1 < QUESTIONS) {
      await remote.next('leaderboard');
      remote.send({ type: 'next' });
    }
  }
  const final = await remote.next('final');
  const own = await Promise.all(players.map((p) => p.client.next('final')));
  return { final, own, players, remote };
}

const standings = (ranking: readonly RankedPlayer[]) =>
  ranking
    .map((r) => ({ nickname: r.nickname, rank: r.rank, score: r.score }))
    .sort((a, b) => a.rank - b.rank || a.nickname.localeCompare(b.nickname));

describe('a contest', () => {
  it('is created with its shards fixed from the expected size, and refused for a self-paced session', async () => {
    const s = await openSession({ mode: 'live', contestPlayers: 1200 });
    const view = await teacherView(s);
    expect(view.session.shards).toBe(3);
    expect(view.session.maxPlayers).toBe(1200);
    expectError(
      await call('/api/sessions', { method: 'POST', body: { title: 'x', contestPlayers: 1200 } }),
      400,
      'invalid_json',
    );
    // Its own cap goes up to its rooms' room, not beyond.
    const patch = (maxPlayers: number) =>
      call(`/api/sessions/${s.id}`, { method: 'PATCH', token: s.teacherKey, body: { maxPlayers } });
    expect((await patch(1500)).status).toBe(200);
    expectError(await patch(1501), 400, 'invalid_json');
  });

  it('plays over several rooms and ranks exactly as one room does', async () => {
    const options = { mode: 'live', types: ['single'], count: QUESTIONS, timeLimitSec: 0, shuffleQuestions: false };
    const contest = await openSession({ ...options, contestPlayers: 1200 });
    const one = await openSession(options);

    const played = await play(contest);
    // Students are spread over the shards by their id.
    const shards = new Set(played.players.map((p) => shardOf(p.id, 3)));
    expect(shards.size).toBeGreaterThan(1);
    const single = await play(one);

    expect(standings(played.final.ranking!)).toEqual(standings(single.final.ranking!));
    expect(played.final.podium).toEqual(
      single.final.podium.map((r, i) => ({ ...r, participantId: played.final.podium[i]!.participantId })),
    );
    // Each student's own rank is the contest's, not their room's.
    const byName = new Map(single.own.map((f, i) => [single.players[i]!.name, f.me]));
    for (const [i, f] of played.own.entries()) {
      const theirs = byName.get(played.players[i]!.name)!;
      expect(f.me).toMatchObject({ rank: theirs.rank, score: theirs.score });
      expect(f.playerCount).toBe(NAMES.length);
    }

    // D1 has every answer and every total, written by the shards: reports read as for any session.
    const rows = await env.DB.prepare('SELECT count(*) AS n FROM answers WHERE session_id = ?')
      .bind(contest.id)
      .first<{ n: number }>();
    expect(rows!.n).toBe(NAMES.length * QUESTIONS);
    const view = await teacherView(contest);
    const scores = new Map(view.leaderboard.map((e) => [e.nickname, e.score]));
    for (const row of played.final.ranking!) expect(scores.get(row.nickname)).toBe(row.score);
    expect(view.session.status).toBe('closed');
  });

  it('sends a reconnecting student to the same room, and removes a student through their room', async () => {
    const s = await openSession({ mode: 'live', count: 1, contestPlayers: 1200 });
    const { remote, players } = await seat(s);
    const joined = await join(s.code, 'Zed');
    const first = await playerTicket(joined.token);
    const again = await playerTicket(joined.token);
    expect(first.ticket.split('.')[0]).toBe(again.ticket.split('.')[0]);
    expect(first.ticket.split('.')[0]).toMatch(new RegExp(`^${s.id}~\\d$`));

    const gone = players[2]!;
    remote.send({ type: 'kick', participantId: gone.id });
    expect(await remote.next('playerRemoved')).toMatchObject({ participantId: gone.id });
    expect(await gone.client.closedWith()).toMatchObject({ code: LIVE_CLOSE_CODES.kicked });

    // Closing the session ends the game on every shard and closes every socket.
    const closed = await call(`/api/sessions/${s.id}/close`, { method: 'POST', token: s.teacherKey });
    expect(closed.status).toBe(200);
    for (const p of players.filter((p) => p !== gone))
      expect(await p.client.closedWith()).toMatchObject({ code: LIVE_CLOSE_CODES.closed });
  });
});
