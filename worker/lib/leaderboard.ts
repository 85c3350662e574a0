/** Ranking of a session's participants: score first, then the earlier finish (unfinished last), then the earlier join. */
import { asc, desc, eq, sql } from 'drizzle-orm';
import { participants } from '../../db/schema';
import type { Database } from './db';
import type { LeaderboardEntry } from '../contract';

/** Finish time as the leaderboard sorts it: unfinished after everyone finished. Same expression as the index. */
const finishKey = (t: typeof participants) => sql`coalesce(${t.finishedAt}, 9007199254740991)`;

/** The columns of a leaderboard row. */
const entryColumns = {
  id: participants.id,
  nickname: participants.nickname,
  score: participants.score,
  correct: participants.correctCount,
  answered: participants.position,
  finishedAt: participants.finishedAt,
};

/**
 * A session's participants in leaderboard order (the teacher's screens; students get theirs from
 * the play room, ../rooms/play-room.ts); the row whose token hashes to `askerHash` is marked
 * `mine`. The order matches the `participants_leaderboard` index, so the first `limit` rows are
 * read without a sort.
 */
export const leaderboardQuery = (db: Database, session: string, askerHash = '', limit = 500) =>
  db
    .select({ ...entryColumns, mine: sql<number>`${participants.tokenHash} = ${askerHash}` })
    .from(participants)
    .where(eq(participants.sessionId, session))
    .orderBy(desc(participants.score), finishKey(participants), asc(participants.joinedAt))
    .limit(limit);

/** A leaderboard row as {@link leaderboardQuery} selects it. */
export type LeaderboardRow = Awaited<ReturnType<typeof leaderboardQuery>>[number];
type Ranked = LeaderboardEntry & { id: string; mine: boolean };

/** Ranks rows already in leaderboard order; equal score and equal finish share a rank (1, 2, 2, 4). */
export function rank(rows: LeaderboardRow[]): Ranked[] {
  let previous: LeaderboardRow | undefined;
  let currentRank = 0;
  return rows.map((r, i) => {
    if (!previous || previous.score !== r.score || previous.finishedAt !== r.finishedAt) currentRank = i + 1;
    previous = r;
    return toEntry(r, currentRank, Boolean(r.mine));
  });
}

/** A ranked row, with the internal fields {@link publicEntries} drops. */
const toEntry = (r: Omit<LeaderboardRow, 'mine'>, rankValue: number, mine = false): Ranked => ({
  id: r.id,
  mine,
  rank: rankValue,
  nickname: r.nickname,
  score: r.score,
  correct: r.correct,
  answered: r.answered,
  finished: r.finishedAt !== null,
});

/** Drops the internal fields before a leaderboard leaves the Worker. */
export const publicEntries = (rows: Ranked[]): LeaderboardEntry[] =>
  rows.map(({ id: _id, mine: _mine, ...entry }) => entry);
