/**
 * Who a live connection is. The Worker checks the teacher's key (or the owner's cookie) against D1,
 * and the session's play room a student's device token against its seats, before they ask the live
 * room for a ticket (`LiveRoom.issueTicket`, an RPC only this Worker can make); the room stores this
 * identity with the ticket's hash. The
 * upgrade that spends the ticket carries no identity at all: the room takes the stored one, so
 * nothing a client sends can name its own role.
 */
import * as z from 'zod';
import type { sessions } from '../../db/schema';
import { ApiError } from '../lib/errors';
import { effectiveStatus } from '../lib/session-info';
import { MAX_SHARDS } from './contest';
import type { SessionMeta } from './state';
import { LIVE_SCREENS, MAX_TEAMS } from '../contract';

const sessionMeta = z.strictObject({
  sessionId: z.string().min(1).max(64),
  code: z.string().min(1).max(16),
  title: z.string().max(200),
  timeLimitSec: z.number().int().min(0).max(3600),
  lang: z.enum(['zh', 'en', 'both']),
  partialCredit: z.boolean(),
  shuffleOptions: z.boolean(),
  showLeaderboard: z.boolean(),
  questionCount: z.number().int().min(0),
  idSalt: z.string().min(1).max(64),
  shards: z.number().int().min(1).max(MAX_SHARDS),
  shard: z.number().int().min(0).max(MAX_SHARDS).nullable(),
  // A ticket stored before teams existed admits a student to a game without teams.
  teams: z.number().int().min(0).max(MAX_TEAMS).default(0),
}) satisfies z.ZodType<SessionMeta>;

const identitySchema = z.discriminatedUnion('role', [
  z.strictObject({ role: z.literal('host'), screen: z.enum(LIVE_SCREENS), session: sessionMeta }),
  z.strictObject({
    role: z.literal('player'),
    session: sessionMeta,
    participantId: z.string().min(1).max(64),
    nickname: z.string().min(1).max(80),
  }),
]);

/** The identity of a connection: one of the teacher's screens (host) or one student (player). */
export type LiveIdentity = z.infer<typeof identitySchema>;

/** The identity as stored with a ticket. */
export const encodeIdentity = (identity: LiveIdentity): string => JSON.stringify(identity);

/** Reads a stored identity back (or checks one passed over RPC); null when malformed. */
export function decodeIdentity(value: unknown): LiveIdentity | null {
  try {
    const parsed = identitySchema.safeParse(typeof value === 'string' ? JSON.parse(value) : value);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The session's row as the live checks read it. */
export type LiveSessionRow = Pick<
  typeof sessions.$inferSelect,
  | 'id'
  | 'code'
  | 'title'
  | 'mode'
  | 'status'
  | 'opensAt'
  | 'closesAt'
  | 'timeLimitSec'
  | 'lang'
  | 'partialCredit'
  | 'shuffleOptions'
  | 'showLeaderboard'
  | 'idSalt'
  | 'shards'
  | 'teams'
>;

/**
 * The session as the room records it, and whether it has closed; refuses a session that is not a
 * live one, or not open yet. A closed one is the live room's to decide (`LiveRoom.issueTicket`).
 */
export function liveMeta(session: LiveSessionRow, questionCount: number): { meta: SessionMeta; closed: boolean } {
  if (session.mode !== 'live')
    throw new ApiError(409, 'not_live', 'This quiz is self-paced: open it from the join page, not the live screen.');
  const status = effectiveStatus(session, Date.now());
  if (status === 'scheduled') throw new ApiError(409, 'not_open_yet', 'This quiz has not started yet.');
  const meta = {
    sessionId: session.id,
    code: session.code,
    title: session.title,
    timeLimitSec: session.timeLimitSec,
    lang: session.lang,
    partialCredit: session.partialCredit,
    shuffleOptions: session.shuffleOptions,
    showLeaderboard: session.showLeaderboard,
    questionCount,
    idSalt: session.idSalt,
    shards: session.shards,
    shard: null,
    teams: session.teams,
  };
  return { meta, closed: status === 'closed' };
}
