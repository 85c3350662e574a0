/**
 * Who is connecting, as the Worker tells the live room. The Worker checks the teacher key or the
 * student's device token against D1 and then calls the room with this identity in one header.
 * The room trusts the header because nothing but this Worker can reach a Durable Object: the
 * Worker builds the request to the room itself, so no header of the client's request gets through.
 */
import * as z from 'zod';
import type { SessionMeta } from './state';

export const IDENTITY_HEADER = 'X-Live-Identity';

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
  z.strictObject({ role: z.literal('host'), session: sessionMeta }),
  z.strictObject({
    role: z.literal('player'),
    session: sessionMeta,
    participantId: z.string().min(1).max(64),
    nickname: z.string().min(1).max(80),
  }),
]);

/** The identity of a connection: the teacher (host) or one student (player). */
export type LiveIdentity = z.infer<typeof identitySchema>;

/** Header value for `identity` (URI-encoded JSON: nicknames may be Chinese, header values are bytes). */
export const encodeIdentity = (identity: LiveIdentity): string => encodeURIComponent(JSON.stringify(identity));

/** Reads the header back; null when absent or malformed. */
export function decodeIdentity(value: string | null): LiveIdentity | null {
  if (!value) return null;
  try {
    const parsed = identitySchema.safeParse(JSON.parse(decodeURIComponent(value)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
