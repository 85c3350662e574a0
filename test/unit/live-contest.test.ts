/**
 * A contest's merge (worker/live/contest.ts): shards score their own students, the coordinator
 * merges counts and top rows. Whatever the split, every student's rank and the top of the ranking
 * are those one room of everyone computes (`rankByScore` over the same totals, ties in join order).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  contestShards,
  MAX_SHARDS,
  mergeDistributions,
  mergeStandings,
  shardOf,
  verdictFor,
  type ShardStandings,
  type TopRow,
} from '../../worker/live/contest';
import { rankByScore } from '../../worker/live/rules';
import { MAX_CONTEST_PLAYERS, PLAYERS_PER_SHARD } from '../../worker/contract';

const row = (i: number, score: number): TopRow => ({
  id: `p${String(i).padStart(5, '0')}`,
  nickname: `N${i}`,
  joined_at: 1000 + Math.floor(i / 3),
  score,
  correct: 0,
  streak: 0,
  prev_rank: null,
});

/** What a shard reports for its students (best `limit` rows first, in one room's order). */
function report(rows: readonly TopRow[], limit: number): ShardStandings {
  const counts = new Map<number, number>();
  for (const r of rows) counts.set(r.score, (counts.get(r.score) ?? 0) + 1);
  const top = [...rows]
    .sort((a, b) => b.score - a.score || a.joined_at - b.joined_at || a.id.localeCompare(b.id))
    .slice(0, limit);
  return {
    players: rows.length,
    counts: [...counts].map(([score, n]) => ({ score, n })),
    top,
    distribution: null,
  };
}

describe('contest merge', () => {
  it('ranks every student and orders the top exactly as one room of everyone', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.integer({ min: 0, max: 8 }).map((n) => n * 500),
          { minLength: 1, maxLength: 300 },
        ),
        fc.integer({ min: 2, max: 7 }),
        fc.integer({ min: 1, max: 20 }),
        (scores, shards, limit) => {
          const everyone = scores.map((s, i) => row(i, s));
          // One room: join order, then ranked by score (ties share a rank, keep join order).
          const inJoinOrder = [...everyone].sort((a, b) => a.joined_at - b.joined_at || a.id.localeCompare(b.id));
          const oneRoom = rankByScore(inJoinOrder);
          const parts = Array.from({ length: shards }, (_, k) => everyone.filter((r) => shardOf(r.id, shards) === k));
          const reports = parts.map((rows) => report(rows, limit));
          const merged = mergeStandings(reports, limit);

          expect(merged.playerCount).toBe(everyone.length);
          expect(merged.top.map((r) => [r.id, r.rank])).toEqual(oneRoom.slice(0, limit).map((r) => [r.id, r.rank]));
          const rankOf = new Map(oneRoom.map((r) => [r.id, r.rank]));
          parts.forEach((rows, k) => {
            const verdict = new Map(verdictFor(reports[k]!, merged, 0).ranks);
            for (const r of rows) expect(verdict.get(r.score)).toBe(rankOf.get(r.id));
          });
        },
      ),
    );
  });

  it('adds distributions up, option by option', () => {
    const a = { players: 3, answered: 2, correct: 1, wrong: 1, late: 0, noAnswer: 1, options: { x: 1, y: 1 } };
    const b = { players: 2, answered: 2, correct: 2, wrong: 0, late: 1, noAnswer: 0, options: { x: 2, z: 0 } };
    expect(mergeDistributions([a, null, b])).toEqual({
      players: 5,
      answered: 4,
      correct: 3,
      wrong: 1,
      late: 1,
      noAnswer: 1,
      options: { x: 3, y: 1, z: 0 },
    });
    expect(mergeDistributions([null])).toBeNull();
  });

  it('sizes a contest with room to spare, within the limits', () => {
    expect(contestShards(100)).toBe(1);
    expect(contestShards(2000)).toBe(5);
    expect(contestShards(MAX_CONTEST_PLAYERS)).toBe(MAX_SHARDS);
    expect(MAX_SHARDS * PLAYERS_PER_SHARD).toBeGreaterThanOrEqual(MAX_CONTEST_PLAYERS * 1.1);
  });

  it('spreads ids evenly over the shards', () => {
    const sizes = new Array<number>(5).fill(0);
    for (let i = 0; i < 5000; i++) sizes[shardOf(crypto.randomUUID().slice(0, 16), 5)]!++;
    for (const n of sizes) expect(n).toBeGreaterThan(850);
  });
});
