/** Team mode's pure rules: placing students in teams, and ranking teams by their members' average. */
import { describe, expect, it } from 'vitest';
import { placeInTeam, rankTeams, teamRankOf } from '../../worker/live/rules';

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
