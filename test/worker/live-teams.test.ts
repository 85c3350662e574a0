/** Team mode in a live game: placement, the team ranking after each question, the team podium, and no teams in contests. */
import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { call, join, keyFor, openSession, rightResponse, teacherView, wrongResponse } from './helpers';
import { LiveClient, roomOf } from './live-client';
import type { CreatedSession, RankedTeam } from '../../worker/contract';

/** A student joins and connects; returns their socket and welcome. */
async function player(s: CreatedSession, host: LiveClient, nickname: string) {
  const joined = await join(s.code, nickname);
  const client = await LiveClient.player(joined.token);
  const welcome = await client.next('welcome');
  await host.next('player');
  return { client, token: joined.token, id: welcome.me!.participantId, welcome };
}

/** The team ranking expected from each student's team and score: average, rounded, ties sharing a rank. */
function expectedTeams(students: { team: number; score: number }[]): RankedTeam[] {
  const byTeam = new Map<number, number[]>();
  for (const s of students) byTeam.set(s.team, [...(byTeam.get(s.team) ?? []), s.score]);
  const teams = [...byTeam]
    .map(([team, scores]) => ({
      team,
      score: Math.round(scores.reduce((a, b) => a + b, 0) / scores.length),
      members: scores.length,
    }))
    .sort((a, b) => b.score - a.score || a.team - b.team);
  return teams.map((t) => ({ rank: 1 + teams.filter((o) => o.score > t.score).length, ...t }));
}

describe('team mode', () => {
  it('places students evenly, ranks teams by average after each question, and ends with a team podium', async () => {
    const s = await openSession({ mode: 'live', count: 2, timeLimitSec: 30, teams: 2 });
    expect((await teacherView(s)).session.teams).toBe(2);
    const host = await LiveClient.host(s);
    expect((await host.next('welcome')).session.teams).toBe(2);

    // Fewest members first, the lower number among equals.
    const amy = await player(s, host, 'Amy');
    const ben = await player(s, host, 'Ben');
    const cat = await player(s, host, 'Cat');
    const dan = await player(s, host, 'Dan');
    const students = [amy, ben, cat, dan];
    expect(students.map((p) => p.welcome.me!.team)).toEqual([1, 2, 1, 2]);
    expect(amy.welcome.session.teams).toBe(2);
    // No team has a rank before the first question closes.
    expect(amy.welcome.me!.teamRank).toBeNull();

    // A reconnection keeps the team.
    amy.client.close();
    const again = await LiveClient.player(amy.token);
    expect((await again.next('welcome')).me!.team).toBe(1);
    amy.client = again;
    const stored = await runInDurableObject(roomOf(s.id), (_r, state) =>
      state.storage.sql
        .exec<{
          team: number;
        }>('SELECT t.team FROM teams t JOIN players p ON p.id = t.participant_id ORDER BY p.joined_at')
        .toArray(),
    );
    expect(stored.map((r) => r.team)).toEqual([1, 2, 1, 2]);

    // Question 1: team 1 (Amy, Cat) right, team 2 (Ben, Dan) wrong.
    host.send({ type: 'start' });
    const q1 = await host.next('question');
    const k1 = await keyFor(s.id, q1.question);
    for (const p of students) await p.client.next('question');
    for (const p of [amy, cat]) p.client.send({ type: 'answer', questionId: k1.id, response: rightResponse(k1) });
    for (const p of [ben, dan]) p.client.send({ type: 'answer', questionId: k1.id, response: wrongResponse(k1) });
    await host.next('reveal');
    const results1 = await Promise.all(students.map((p) => p.client.next('result')));
    expect(results1.map((r) => [r.team, r.teamRank])).toEqual([
      [1, 1],
      [2, 2],
      [1, 1],
      [2, 2],
    ]);
    const teams1 = expectedTeams(results1.map((r) => ({ team: r.team!, score: r.score })));
    expect(teams1.map((t) => t.team)).toEqual([1, 2]);

    host.send({ type: 'next' });
    const board = await host.next('leaderboard');
    expect(board.teams).toEqual(teams1);
    expect(board.top).toHaveLength(4);
    expect((await ben.client.next('leaderboard')).teams).toEqual(teams1);
    // A projector that (re)connects now gets the same ranking in its snapshot, and a student their team's rank.
    const late = await LiveClient.host(s, 'projector');
    expect((await late.next('leaderboard')).teams).toEqual(teams1);
    late.close();
    ben.client.send({ type: 'sync' });
    expect((await ben.client.next('welcome')).me).toMatchObject({ team: 2, teamRank: 2 });

    // The teacher removes Dan: team 2's average is Ben's alone from now on.
    host.send({ type: 'kick', participantId: dan.id });
    await host.next('playerRemoved');

    // Question 2: only Ben answers, right; the teacher closes it, and the game ends.
    host.send({ type: 'next' });
    const q2 = await host.next('question');
    const k2 = await keyFor(s.id, q2.question);
    ben.client.send({ type: 'answer', questionId: k2.id, response: rightResponse(k2) });
    await ben.client.next('ack');
    host.send({ type: 'reveal' });
    await host.next('reveal');
    const results2 = await Promise.all([amy, ben, cat].map((p) => p.client.next('result')));
    const teams2 = expectedTeams(results2.map((r) => ({ team: r.team!, score: r.score })));
    expect(teams2.find((t) => t.team === 2)).toMatchObject({ members: 1, score: results2[1]!.score });
    for (const r of results2) expect(r.teamRank).toBe(teams2.find((t) => t.team === r.team)!.rank);

    host.send({ type: 'next' });
    const final = await host.next('final');
    expect(final.teams).toEqual(teams2);
    const projector = await LiveClient.host(s, 'projector');
    expect((await projector.next('final')).teams).toEqual(teams2);
    const amyFinal = await amy.client.next('final');
    expect(amyFinal.teams).toEqual(teams2);
    expect(amyFinal.me).toMatchObject({ team: 1, teamRank: teams2.find((t) => t.team === 1)!.rank });
  });

  it('places a newcomer in a team left short by a removal', async () => {
    const s = await openSession({ mode: 'live', count: 1, timeLimitSec: 30, teams: 3 });
    const host = await LiveClient.host(s);
    await host.next('welcome');
    const placed = [];
    for (const name of ['Amy', 'Ben', 'Cat', 'Dan']) placed.push(await player(s, host, name));
    expect(placed.map((p) => p.welcome.me!.team)).toEqual([1, 2, 3, 1]);
    host.send({ type: 'kick', participantId: placed[1]!.id });
    await host.next('playerRemoved');
    expect((await player(s, host, 'Eve')).welcome.me!.team).toBe(2);
  });

  it('lets the teacher move a student to another team while no question is open', async () => {
    const s = await openSession({ mode: 'live', count: 2, timeLimitSec: 30, teams: 3 });
    const host = await LiveClient.host(s);
    expect((await host.next('welcome')).players).toEqual([]);
    const amy = await player(s, host, 'Amy');
    const ben = await player(s, host, 'Ben');
    // The teacher's screens see each student's team.
    const remote = await LiveClient.host(s, 'remote');
    const seen = (await remote.next('welcome')).players!;
    expect(seen.map((p) => [p.nickname, p.team])).toEqual([
      ['Amy', 1],
      ['Ben', 2],
    ]);

    // Ben joins Amy's team: his phone gets a fresh snapshot, the teacher's screens his new row.
    remote.send({ type: 'team', participantId: ben.id, team: 1 });
    expect((await ben.client.next('welcome')).me).toMatchObject({ team: 1 });
    expect((await host.next('player')).player).toEqual({
      participantId: ben.id,
      nickname: 'Ben',
      connected: true,
      team: 1,
    });
    // A newcomer goes to an empty team, the stored placement counts.
    const cat = await player(s, host, 'Cat');
    expect(cat.welcome.me!.team).toBe(2);

    // Refused: a team the game lacks, a student who is not there, a student's own request, and
    // while a question is open.
    const refusal = async (client: LiveClient, msg: Parameters<LiveClient['send']>[0]) => {
      client.send(msg);
      return client.next('error');
    };
    expect(await refusal(remote, { type: 'team', participantId: amy.id, team: 4 })).toMatchObject({
      code: 'no_such_team',
    });
    expect(await refusal(remote, { type: 'team', participantId: 'nobody-here', team: 2 })).toMatchObject({
      code: 'unknown_player',
    });
    expect(await refusal(amy.client, { type: 'team', participantId: amy.id, team: 3 })).toMatchObject({
      code: 'forbidden',
    });
    host.send({ type: 'start' });
    const q = await host.next('question');
    expect(await refusal(remote, { type: 'team', participantId: amy.id, team: 3 })).toMatchObject({
      code: 'not_now',
    });

    // Scores follow the teams as placed: Amy and Ben (team 1) right, Cat (team 2) wrong.
    const k = await keyFor(s.id, q.question);
    for (const p of [amy, ben]) p.client.send({ type: 'answer', questionId: k.id, response: rightResponse(k) });
    cat.client.send({ type: 'answer', questionId: k.id, response: wrongResponse(k) });
    await host.next('reveal');
    const results = await Promise.all([amy, ben, cat].map((p) => p.client.next('result')));
    expect(results.map((r) => [r.team, r.teamRank])).toEqual([
      [1, 1],
      [1, 1],
      [2, 2],
    ]);
    // Between questions the teacher may move a student again; the next ranking counts them in their new team.
    remote.send({ type: 'team', participantId: cat.id, team: 1 });
    expect((await cat.client.next('welcome')).me).toMatchObject({ team: 1 });
    host.send({ type: 'next' });
    const board = await host.next('leaderboard');
    expect(board.teams!.map((t) => [t.team, t.members])).toEqual([[1, 3]]);
  });

  it('has no team to move a student to in a game without teams', async () => {
    const s = await openSession({ mode: 'live', count: 1, timeLimitSec: 30 });
    const host = await LiveClient.host(s);
    await host.next('welcome');
    const amy = await player(s, host, 'Amy');
    host.send({ type: 'team', participantId: amy.id, team: 1 });
    expect(await host.next('error')).toMatchObject({ code: 'no_such_team' });
  });

  it('leaves games without teams as they were', async () => {
    const s = await openSession({ mode: 'live', count: 1, timeLimitSec: 30 });
    const host = await LiveClient.host(s);
    expect((await host.next('welcome')).session.teams).toBe(0);
    const amy = await player(s, host, 'Amy');
    expect(amy.welcome.me).not.toHaveProperty('team');
    host.send({ type: 'start' });
    const q = await host.next('question');
    const k = await keyFor(s.id, q.question);
    amy.client.send({ type: 'answer', questionId: k.id, response: rightResponse(k) });
    expect(await amy.client.next('result')).not.toHaveProperty('team');
    host.send({ type: 'next' });
    expect(await host.next('final')).not.toHaveProperty('teams');
  });

  it('is refused for contests, self-paced sessions and team counts out of range', async () => {
    const refused = async (body: Record<string, unknown>, words: RegExp) => {
      const res = await call('/api/sessions', { body: { title: 'Teams', count: 1, timeLimitSec: 30, ...body } });
      expect(res.status, res.text).toBe(400);
      expect(res.text).toMatch(words);
    };
    await refused({ mode: 'live', contestPlayers: 1200, teams: 4 }, /contest has no teams/);
    await refused({ teams: 2 }, /live mode/);
    await refused({ mode: 'live', teams: 1 }, /teams/);
    await refused({ mode: 'live', teams: 9 }, /teams/);
  });
});
