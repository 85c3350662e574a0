/**
 * Who a live connection is. The Worker checks the teacher's key (or the owner's cookie) or the
 * student's device token against D1 when it asks the room for a ticket (`LiveRoom.issueTicket`, an
 * RPC only this Worker can make), and the room stores this identity with the ticket's hash. The
 * upgrade that spends the ticket carries no identity at all: the room takes the stored one, so
 * nothing a client sends can name its own role.
 */
import * as z from 'zod';
import type { SessionMeta } from './state';
import { LIVE_SCREENS } from '../contract';

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
