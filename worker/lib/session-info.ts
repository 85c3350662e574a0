/** The public facts of a session, selected in the same query that finds it. */
import { sql } from 'drizzle-orm';
import { sessionQuestions, sessions } from '../../db/schema';
import type { SessionInfo } from '../contract';

/** Columns for {@link SessionInfo}, usable in any select that joins `sessions`. */
export const sessionInfoColumns = {
  code: sessions.code,
  title: sessions.title,
  status: sessions.status,
  timeLimitSec: sessions.timeLimitSec,
  lang: sessions.lang,
  mode: sessions.mode,
  feedback: sessions.feedback,
  autoAdvance: sessions.autoAdvance,
  showLeaderboard: sessions.showLeaderboard,
  shuffleOptions: sessions.shuffleOptions,
  locked: sessions.locked,
  opensAt: sessions.opensAt,
  closesAt: sessions.closesAt,
  questionCount: sql<number>`(SELECT count(*) FROM ${sessionQuestions} WHERE ${sessionQuestions.sessionId} = ${sessions.id})`,
};

type Row = Omit<SessionInfo, 'status'> & { status: 'open' | 'closed'; shuffleOptions: boolean };

/** The status students see: closed by hand or by schedule, scheduled before it opens, else open. */
export function effectiveStatus(row: Pick<Row, 'status' | 'opensAt' | 'closesAt'>, now: number): SessionInfo['status'] {
  if (row.status === 'closed' || (row.closesAt !== null && row.closesAt <= now)) return 'closed';
  if (row.opensAt !== null && row.opensAt > now) return 'scheduled';
  return 'open';
}

/** Picks the {@link SessionInfo} fields out of a row selected with {@link sessionInfoColumns}. */
export const toSessionInfo = (row: Row, now = Date.now()): SessionInfo => ({
  code: row.code,
  title: row.title,
  status: effectiveStatus(row, now),
  questionCount: row.questionCount,
  timeLimitSec: row.timeLimitSec,
  lang: row.lang,
  mode: row.mode,
  feedback: row.feedback,
  autoAdvance: row.autoAdvance,
  showLeaderboard: row.showLeaderboard,
  locked: row.locked,
  opensAt: row.opensAt,
  closesAt: row.closesAt,
});
