/** Team mode's pure parts: placing students in teams, ranking teams by their members' average, and the messages that show them. */
import { describe, expect, it } from 'vitest';
import { finalMessage, leaderboardMessage, standing } from '../../worker/live/messages';
import { placeInTeam, rankTeams, teamRankOf } from '../../worker/live/rules';
import type { PlayerRow } from '../../worker/live/state';

describe('placing a student in a team', () => {
  it('picks the team with the fewest members, the lowest number among equals', () => {
    expect(placeInTeam(new Map(), 4)).toBe(1);
    expect(placeInTeam(new Map([[1, 1]]), 4)).toBe(2);
    expect(
      placeInTeam(
        new Map([
          [1, 2],
          [2, 1],
          [3, 2],
        ]),
        3,
      ),
    ).toBe(2);
    // A team emptied by removals is filled first.
    expect(
      placeInTeam(
        new Map([
          [1, 3],
          [3, 3],
        ]),
        3,
      ),
    ).toBe(2);
  });

  it('keeps teams even as a class arrives one by one', () => {
    const sizes = new Map<number, number>();
    const placed: number[] = [];
    for (let i = 0; i < 11; i++) {
      const team = placeInTeam(sizes, 4);
      placed.push(team);
      sizes.set(team, (sizes.get(team) ?? 0) + 1);
    }
    expect(placed).toEqual([1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3]);
  });
});

describe('ranking teams', () => {
  it('scores a team by the average of its members, so size does not decide', () => {
    const teams = rankTeams([
      { team: 1, score: 1000 },
      { team: 1, score: 0 },
      { team: 1, score: 200 },
      { team: 2, score: 700 },
      { team: 3, score: 300 },
      { team: 3, score: 301 },
    ]);
    expect(teams).toEqual([
      { rank: 1, team: 2, score: 700, members: 1 },
      { rank: 2, team: 1, score: 400, members: 3 },
      { rank: 3, team: 3, score: 301, members: 2 },
    ]);
  });

  it('shares a rank between equal averages, in team order, and leaves out empty teams and students without one', () => {
    const teams = rankTeams([
      { team: 3, score: 500 },
      { team: 1, score: 400 },
      { team: 1, score: 600 },
      { team: null, score: 9000 },
      { team: 4, score: 100 },
    ]);
    expect(teams.map((t) => [t.rank, t.team, t.score])).toEqual([
      [1, 1, 500],
      [1, 3, 500],
      [3, 4, 100],
    ]);
    expect(teamRankOf(teams, 3)).toBe(1);
    expect(teamRankOf(teams, 4)).toBe(3);
    expect(teamRankOf(teams, 2)).toBeNull();
    expect(teamRankOf(teams, null)).toBeNull();
    expect(rankTeams([])).toEqual([]);
  });
});

describe('team messages', () => {
  const row = (id: string, team: number | null, score: number, rank: number | null): PlayerRow => ({
    id,
    nickname: `nick-${id}`,
    joined_at: 0,
    kicked: 0,
    connected_at: 0,
    disconnected_at: null,
    score,
    correct: 1,
    streak: 1,
    answered: 1,
    rank,
    prev_rank: null,
    last_result: null,
    seq: 1,
    team,
  });
  const rows = [row('amy', 1, 900, 1), row('ben', 2, 600, 2), row('cat', 1, 100, 3)];
  const teams = rankTeams(rows);

  it('give a student their team, and its rank once ranks exist and are shown', () => {
    expect(standing(rows[2]!, true, teams)).toMatchObject({ team: 1, teamRank: 2 });
    expect(standing(rows[2]!, false, teams)).toMatchObject({ team: 1, teamRank: null });
    expect(standing(row('dan', 2, 0, null), true, teams)).toMatchObject({ team: 2, teamRank: null });
    expect(standing(row('eve', null, 0, 1), true, teams)).not.toHaveProperty('team');
  });

  it('rank the teams after a question and on the podium; hidden rankings leave students an empty team podium', () => {
    expect(leaderboardMessage(0, rows, true, 3, teams).teams).toEqual(teams);
    expect(leaderboardMessage(0, rows, true, 3, [])).not.toHaveProperty('teams');
    const standings = { ranking: rows, showLeaderboard: true, playerCount: 3, teams };
    expect(finalMessage(standings, 'projector').teams).toEqual(teams);
    expect(finalMessage(standings, { me: rows[1]! })).toMatchObject({ teams, me: { team: 2, teamRank: 1 } });
    const hidden = finalMessage({ ...standings, showLeaderboard: false }, { me: rows[1]! });
    expect(hidden).toMatchObject({ teams: [], me: { team: 2, teamRank: null } });
    expect(finalMessage({ ...standings, teams: [] }, 'remote')).not.toHaveProperty('teams');
  });
});
