/** Ranking of a session's participants: score first, then the earlier finish. */
import { asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { participants } from '../../db/schema';
import type { LeaderboardEntry } from '../api-types';
import type { Database } from './db';

/**
 * A session's participants in leaderboard order. `session` is an id or a subquery yielding one;
 * the row whose token hashes to `askerHash` is marked `mine`.
 */
export const leaderboardQuery = (db: Database, session: string | SQL, askerHash = '', limit = 500) =>
  db
    .select({
      id: participants.id,
      nickname: participants.nickname,
      score: participants.score,
      correct: participants.correctCount,
      answered: participants.position,
      finishedAt: participants.finishedAt,
      mine: sql<number>`${participants.tokenHash} = ${askerHash}`,
    })
    .from(participants)
    .where(eq(participants.sessionId, session))
    .orderBy(desc(participants.score), sql`${participants.finishedAt} IS NULL`, asc(participants.finishedAt), asc(participants.joinedAt))
    .limit(limit);

type Row = Awaited<ReturnType<typeof leaderboardQuery>>[number];
type Ranked = LeaderboardEntry & { id: string; mine: boolean };

/** Ranks rows already in leaderboard order; equal score and equal finish share a rank (1, 2, 2, 4). */
export function rank(rows: Row[]): Ranked[] {
  let previous: Row | undefined;
  let currentRank = 0;
  return rows.map((r, i) => {
    if (!previous || previous.score !== r.score || previous.finishedAt !== r.finishedAt) currentRank = i + 1;
    previous = r;
    return {
      id: r.id,
      mine: Boolean(r.mine),
      rank: currentRank,
      nickname: r.nickname,
      score: r.score,
      correct: r.correct,
      answered: r.answered,
      finished: r.finishedAt !== null,
    };
  });
}

/** Drops the internal fields before a leaderboard leaves the Worker. */
export const publicEntries = (rows: Ranked[]): LeaderboardEntry[] => rows.map(({ id: _id, mine: _mine, ...entry }) => entry);
