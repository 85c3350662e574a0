/** The public facts of a session, selected in the same query that finds it. */
import { sql } from 'drizzle-orm';
import { sessionQuestions, sessions } from '../../db/schema';
import type { SessionInfo } from '../api-types';

/** Columns for {@link SessionInfo}, usable in any select that joins `sessions`. */
export const sessionInfoColumns = {
  code: sessions.code,
  title: sessions.title,
  status: sessions.status,
  timeLimitSec: sessions.timeLimitSec,
  lang: sessions.lang,
  mode: sessions.mode,
  questionCount: sql<number>`(SELECT count(*) FROM ${sessionQuestions} WHERE ${sessionQuestions.sessionId} = ${sessions.id})`,
};

/** Picks the {@link SessionInfo} fields out of a row selected with {@link sessionInfoColumns}. */
export const toSessionInfo = (row: SessionInfo): SessionInfo => ({
  code: row.code,
  title: row.title,
  status: row.status,
  questionCount: row.questionCount,
  timeLimitSec: row.timeLimitSec,
  lang: row.lang,
  mode: row.mode,
});
