/** Students' device tokens (in `Authorization: Bearer`). Teachers' keys: ./session-access. */
import type { Context } from 'hono';
import { ApiError } from './errors';
import { randomToken, sha256 } from './crypto';

/** A student's device token stays valid this long after joining. */
export const PARTICIPANT_TOKEN_TTL_MS = 14 * 24 * 3600 * 1000;

/**
 * A student's device token: the session's id, a dot, then a random secret. The id tells the Worker
 * which session's room to ask without a database lookup; it grants nothing by itself (the room
 * checks the whole token's hash).
 */
export const newStudentToken = (sessionId: string): string => `${sessionId}.${randomToken(32)}`;

/** The session a student's token belongs to, and the token's SHA-256; 401 when it is missing or malformed. */
export async function studentBearer(c: Context): Promise<{ sessionId: string; hash: string }> {
  const match = /^Bearer (([A-Za-z0-9_-]{8,32})\.[A-Za-z0-9_-]{16,128})$/.exec(c.req.header('Authorization') ?? '');
  if (!match) throw new ApiError(401, 'unauthorized', 'Sign-in token missing: join the quiz again with its code.');
  return { sessionId: match[2]!, hash: await sha256(match[1]!) };
}
