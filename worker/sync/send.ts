/**
 * The laptop sending one closed session to the cloud it is linked to: the header, then the
 * students the cloud does not have yet (after the cursor it answers) in pages, then the last check.
 * Progress is kept in `sync_sends` after every page, so the account page shows it and an
 * interrupted send resumes; what the cloud refuses is kept with its reason.
 */
import { and, eq, sql } from 'drizzle-orm';
import { participants, sessions, syncSends } from '../../db/schema';
import type { SessionSend } from '../contract';
import type { Env } from '../env';
import { database, type Database } from '../lib/db';
import { ApiError } from '../lib/errors';
import { settle } from '../lib/play-rooms';
import { callCloud, CloudError, type LinkTarget } from './cloud-client';
import { readHeader, readParticipants } from './outbox';
import { pagesAfter } from './pages';
import { sendStateOf, type SendRow } from './state';
import { receipt } from './wire';

/** Stores the session's send state for its closing at `closedAt`. */
async function record(db: Database, sessionId: string, row: SendRow): Promise<void> {
  const values = { ...row, updatedAt: Date.now() };
  await db
    .insert(syncSends)
    .values({ sessionId, ...values })
    .onConflictDoUpdate({ target: syncSends.sessionId, set: values });
}

/** Sends the teacher's closed session `sessionId` (at most `maxPages` pages of `pageSize` students now). */
export async function sendSession(
  env: Env,
  ownerId: string,
  link: LinkTarget,
  sessionId: string,
  { pageSize, maxPages = Infinity }: { pageSize: number; maxPages?: number },
): Promise<SessionSend> {
  const db = database(env.DB);
  const session = await db.query.sessions.findFirst({
    where: and(eq(sessions.id, sessionId), eq(sessions.ownerId, ownerId)),
  });
  if (!session) throw new ApiError(404, 'session_not_found', 'This session does not exist (it may have been deleted).');
  const { closedAt } = session;
  if (session.status !== 'closed' || closedAt === null)
    throw new ApiError(409, 'session_not_closed', 'Close the session first: only closed sessions are sent.');
  // Everything the students were told is in D1 before it is read.
  await settle(env, session);
  const [header, people] = await Promise.all([
    readHeader(db, { ...session, closedAt }),
    readParticipants(db, session.id),
  ]);
  const total = people.length;
  const answerCount = people.reduce((n, p) => n + p.answers.length, 0);
  const sentUpTo = (cursor: string | null) => (cursor === null ? 0 : people.filter((p) => p.id <= cursor).length);
  // What an earlier try of this closing got onto the cloud stays counted until the cloud answers.
  const before = await db.query.syncSends.findFirst({ where: eq(syncSends.sessionId, session.id) });
  const already = before?.closedAt === closedAt ? before.sent : 0;
  let row: SendRow = { state: 'sending', closedAt, sent: already, total, errorCode: null, message: null };
  try {
    let at = await callCloud(link, 'PUT', `/sessions/${session.id}`, receipt, header);
    row = { ...row, sent: sentUpTo(at.cursor) };
    await record(db, session.id, row);
    const pages = pagesAfter(people, at.cursor, pageSize);
    for (const page of pages.slice(0, maxPages)) {
      at = await callCloud(link, 'POST', `/sessions/${session.id}/participants`, receipt, { participants: page });
      row = { ...row, sent: sentUpTo(at.cursor) };
      await record(db, session.id, row);
    }
    if (pages.length <= maxPages) {
      await callCloud(link, 'POST', `/sessions/${session.id}/complete`, receipt, {
        participants: total,
        answers: answerCount,
      });
      row = { ...row, state: 'sent', sent: total };
    }
  } catch (err) {
    if (!(err instanceof CloudError)) throw err;
    row = { ...row, state: err.refused ? 'refused' : 'sending', errorCode: err.code, message: err.message };
  }
  await record(db, session.id, row);
  return sendStateOf({ id: session.id, title: session.title, closedAt, students: total }, row);
}

/** The teacher's closed sessions, newest first, with their send state. */
export async function sendStates(db: Database, ownerId: string): Promise<SessionSend[]> {
  const rows = await db
    .select({
      id: sessions.id,
      title: sessions.title,
      closedAt: sql<number>`${sessions.closedAt}`,
      students: sql<number>`(SELECT count(*) FROM ${participants} WHERE ${participants.sessionId} = ${sessions.id})`,
      send: {
        state: syncSends.state,
        closedAt: syncSends.closedAt,
        sent: syncSends.sent,
        total: syncSends.total,
        errorCode: syncSends.errorCode,
        message: syncSends.message,
      },
    })
    .from(sessions)
    .leftJoin(syncSends, eq(syncSends.sessionId, sessions.id))
    .where(and(eq(sessions.ownerId, ownerId), eq(sessions.status, 'closed')))
    .orderBy(sql`${sessions.closedAt} DESC`);
  return rows.map(({ send, ...s }) => sendStateOf(s, send));
}
