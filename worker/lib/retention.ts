/**
 * Retention: what the daily cron (wrangler.toml `[triggers]`, `scheduled` in ../index.ts) deletes.
 *
 * - Sign-ins (teachers' sessions) past their expiry, and laptop link tokens past theirs
 *   ({@link LINK_TOKEN_DAYS}).
 * - Rate-limit buckets (wrong codes, failed sign-ins, …, ./limits.ts) full again: a full bucket
 *   says nothing, and its key is a keyed hash of an address or account all the same.
 * - Students' device tokens past their expiry: the hash is replaced by a value no token hashes to,
 *   so the seat can never be used again, while its results stay for the teacher.
 * - Students and their answers of a teacher's session, once the teacher's period
 *   (`users.keep_results_days`, {@link KEEP_RESULTS_DAYS}) has passed since the session's last
 *   activity: its closing, its last join or answer, or its opening. The session itself (title,
 *   questions) stays in the teacher's list.
 * - A quick session opened without an account, whole, {@link QUICK_SESSION_DAYS} days after its
 *   last activity.
 *
 * - Images uploaded for a question but never attached to a saved one, {@link UNATTACHED_IMAGE_HOURS}
 *   hours after the upload: row and files (R2).
 *
 * Results live in two places, D1 and the session's room (a Durable Object's storage); both are
 * deleted: D1 first, then the room is told to {@link forgetRooms forget} everything.
 *
 * Locally the run is tested by calling the handler (test/worker/retention.test.ts): `wrangler dev`'s
 * `/cdn-cgi/handler/scheduled` answers `exception` for a Worker with static assets (the request
 * reaches the assets router, which has no scheduled handler), whatever the Worker does.
 */
import { and, eq, lt, lte, notLike, or, sql } from 'drizzle-orm';
import { linkTokens, participants, rateLimits, userSessions } from '../../db/schema';
import type { Env } from '../env';
import { QUICK_SESSION_DAYS, UNATTACHED_IMAGE_HOURS, type LINK_TOKEN_DAYS } from '../contract';
import { deleteImages, unattachedImages } from '../images/store';
import { database, type Database } from './db';
import { allLiveRooms } from './live-rooms';
import {
  ACCOUNT_FAILURES,
  CODE_GUESSES,
  IMPORTS,
  QUESTIONS,
  QUICK_SESSIONS,
  REGISTRATIONS,
  SIGNIN_FAILURES,
  type Limit,
} from './limits';

export const DAY_MS = 24 * 3600 * 1000;
/** Sessions handled per statement (each is one Durable Object call afterwards). */
const BATCH = 100;
/** Batches per run: the rest waits for the next day's run. */
const MAX_BATCHES = 2;

/** What a device token's hash becomes when it expires: no SHA-256 hex digest looks like this. */
export const EXPIRED_TOKEN_PREFIX = 'expired:';

type SessionRef = { id: string; mode: 'self' | 'live'; shards: number };

/** Every rate limit, each bucket deleted once it has been full again for a while. */
const LIMITS: readonly Limit[] = [
  CODE_GUESSES,
  SIGNIN_FAILURES,
  ACCOUNT_FAILURES,
  REGISTRATIONS,
  QUICK_SESSIONS,
  QUESTIONS,
  IMPORTS,
];
/** A bucket of a purpose not listed above (a limit added later) is deleted after this long. */
const UNLISTED_LIMIT_MS = 7 * 24 * 3600 * 1000;
/** How long after its last change a bucket of `limit` is full again. */
export const fullAfterMs = (limit: Limit) => (limit.burst + limit.maxDebt) * limit.refillMs;

/** The latest of a session's closing (or due closing), opening, last join and last answer (`s` is the session's alias; `?now` the run's time). */
const lastActivity = (now: number) =>
  sql.raw(`max(
  coalesce(s.closed_at, 0),
  coalesce(CASE WHEN s.closes_at <= ${now} THEN s.closes_at END, 0),
  s.created_at,
  coalesce((SELECT max(a.answered_at) FROM answers a WHERE a.session_id = s.id), 0),
  coalesce((SELECT max(p.joined_at) FROM participants p WHERE p.session_id = s.id), 0))`);

/** Empties the rooms of these sessions (their D1 rows must be gone already). */
export async function forgetRooms(env: Env, list: readonly SessionRef[]): Promise<void> {
  // Every session's seats pass through its play room; a live one's game is in its live room too.
  await Promise.all(
    list.flatMap((s) => [
      env.PLAY_ROOM.get(env.PLAY_ROOM.idFromName(s.id)).forget(),
      ...(s.mode === 'live' ? allLiveRooms(env, s).map((room) => room.forget()) : []),
    ]),
  );
}

/** Counts of what one run deleted. */
export interface RetentionReport {
  signIns: number;
  linkTokens: number;
  /** Rate-limit buckets. */
  buckets: number;
  expiredTokens: number;
  /** Sessions whose students and answers were deleted. */
  sessionsEmptied: number;
  /** Quick sessions deleted whole. */
  quickSessionsDeleted: number;
  /** Uploads never attached to a question. */
  imagesDeleted: number;
}

/** Teachers' sessions past their owner's period that still have students, at most `BATCH`. */
async function expiredResults(db: Database, now: number): Promise<SessionRef[]> {
  return db.all<SessionRef>(sql`
    SELECT s.id AS id, s.mode AS mode, s.shards AS shards FROM sessions s JOIN users u ON u.id = s.owner_id
    WHERE EXISTS (SELECT 1 FROM participants p WHERE p.session_id = s.id)
      AND ${lastActivity(now)} < ${now} - u.keep_results_days * ${DAY_MS}
    LIMIT ${BATCH}`);
}

/** Quick sessions (no owner) past {@link QUICK_SESSION_DAYS}, at most `BATCH`. */
async function expiredQuickSessions(db: Database, now: number): Promise<SessionRef[]> {
  return db.all<SessionRef>(sql`
    SELECT s.id AS id, s.mode AS mode, s.shards AS shards FROM sessions s
    WHERE s.owner_id IS NULL AND ${lastActivity(now)} < ${now - QUICK_SESSION_DAYS * DAY_MS}
    LIMIT ${BATCH}`);
}

const idList = (list: readonly SessionRef[]) => JSON.stringify(list.map((s) => s.id));

/** One retention run at time `now` (the cron's scheduled time). */
export async function runRetention(env: Env, now: number): Promise<RetentionReport> {
  const db = database(env.DB);
  const listed = JSON.stringify(LIMITS.map((l) => l.purpose));
  const [signIns, links, buckets, tokens] = await db.batch([
    db.delete(userSessions).where(lte(userSessions.expiresAt, now)),
    db.delete(linkTokens).where(lte(linkTokens.expiresAt, now)),
    db
      .delete(rateLimits)
      .where(
        or(
          ...LIMITS.map((l) => and(eq(rateLimits.purpose, l.purpose), lt(rateLimits.at, now - fullAfterMs(l)))),
          and(
            sql`${rateLimits.purpose} NOT IN (SELECT value FROM json_each(${listed}))`,
            lt(rateLimits.at, now - UNLISTED_LIMIT_MS),
          ),
        ),
      ),
    db
      .update(participants)
      .set({ tokenHash: sql`${EXPIRED_TOKEN_PREFIX} || ${participants.id}` })
      .where(and(lte(participants.expiresAt, now), notLike(participants.tokenHash, `${EXPIRED_TOKEN_PREFIX}%`))),
  ]);
  const report: RetentionReport = {
    signIns: signIns.meta.changes,
    linkTokens: links.meta.changes,
    buckets: buckets.meta.changes,
    expiredTokens: tokens.meta.changes,
    sessionsEmptied: 0,
    quickSessionsDeleted: 0,
    imagesDeleted: 0,
  };
  for (let i = 0; i < MAX_BATCHES; i++) {
    const list = await expiredResults(db, now);
    if (list.length === 0) break;
    // Answers go with their students (ON DELETE CASCADE).
    await db.run(sql`DELETE FROM participants WHERE session_id IN (SELECT value FROM json_each(${idList(list)}))`);
    await forgetRooms(env, list);
    report.sessionsEmptied += list.length;
    if (list.length < BATCH) break;
  }
  for (let i = 0; i < MAX_BATCHES; i++) {
    const list = await expiredQuickSessions(db, now);
    if (list.length === 0) break;
    // Students, answers and the question list go with the session (ON DELETE CASCADE).
    await db.run(sql`DELETE FROM sessions WHERE id IN (SELECT value FROM json_each(${idList(list)}))`);
    await forgetRooms(env, list);
    report.quickSessionsDeleted += list.length;
    if (list.length < BATCH) break;
  }
  for (let i = 0; i < MAX_BATCHES; i++) {
    const list = await unattachedImages(db, now, BATCH);
    await deleteImages(env, db, list);
    report.imagesDeleted += list.length;
    if (list.length < BATCH) break;
  }
  return report;
}
