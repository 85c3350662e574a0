/** Ranking of a session's participants: score first, then the earlier finish (unfinished last), then the earlier join. */
import { asc, desc, eq, sql, type Placeholder, type SQL, type SQLWrapper } from 'drizzle-orm';
import { participants } from '../../db/schema';
import type { LeaderboardEntry } from '../api-types';
import type { Database } from './db';

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
 * A session's participants in leaderboard order. `session` is an id or a subquery yielding one;
 * the row whose token hashes to `askerHash` is marked `mine`. The order matches the
 * `participants_leaderboard` index, so the first `limit` rows are read without a sort. The hash
 * and the limit may be placeholders of a prepared query (routes/play.ts).
 */
export const leaderboardQuery = (db: Database, session: string | SQL, askerHash: string | SQLWrapper = '', limit: number | Placeholder = 500) =>
  db
    .select({ ...entryColumns, mine: sql<number>`${participants.tokenHash} = ${askerHash}` })
    .from(participants)
    .where(eq(participants.sessionId, session))
    .orderBy(desc(participants.score), finishKey(participants), asc(participants.joinedAt))
    .limit(limit);

/**
 * The asker's own row with their rank: 1 + the number of participants strictly ahead (higher
 * score, or the same score and an earlier finish), so ties share a rank, as in {@link rank}.
 */
export const ownRankQuery = (db: Database, askerHash: string | SQLWrapper) =>
  db
    .select({
      ...entryColumns,
      // Spelled out in full: in a one-table select drizzle leaves columns unqualified, and inside
      // the subquery those would name `ahead`'s own.
      // Performance (issue #7): two counts, each a range of the `participants_leaderboard` index
      // (higher score; same score and earlier finish), so only the entries of students ahead are
      // read. One count with `score > s OR (…)` could not use the range and read every participant
      // of the session (501 rows for a top-10 leaderboard of 500, now 13; test/worker/budgets.test.ts).
      rank: sql<number>`1 + (SELECT count(*) FROM participants AS ahead WHERE ahead.session_id = participants.session_id AND ahead.score > participants.score) + (SELECT count(*) FROM participants AS ahead WHERE ahead.session_id = participants.session_id AND ahead.score = participants.score AND coalesce(ahead.finished_at, 9007199254740991) < coalesce(participants.finished_at, 9007199254740991))`,
    })
    .from(participants)
    .where(eq(participants.tokenHash, askerHash));

/** A leaderboard row as {@link leaderboardQuery} selects it. */
export type LeaderboardRow = Awaited<ReturnType<typeof leaderboardQuery>>[number];
type Row = LeaderboardRow;
type Ranked = LeaderboardEntry & { id: string; mine: boolean };

/** Ranks rows already in leaderboard order; equal score and equal finish share a rank (1, 2, 2, 4). */
export function rank(rows: Row[]): Ranked[] {
  let previous: Row | undefined;
  let currentRank = 0;
  return rows.map((r, i) => {
    if (!previous || previous.score !== r.score || previous.finishedAt !== r.finishedAt) currentRank = i + 1;
    previous = r;
    return toEntry(r, currentRank, Boolean(r.mine));
  });
}

/** A ranked row, with the internal fields {@link publicEntries} drops. */
export const toEntry = (r: Omit<Row, 'mine'>, rankValue: number, mine = false): Ranked => ({
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
export const publicEntries = (rows: Ranked[]): LeaderboardEntry[] => rows.map(({ id: _id, mine: _mine, ...entry }) => entry);
