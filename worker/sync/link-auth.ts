/**
 * The cloud's side of a laptop link: link tokens (random 256 bits, stored only as their SHA-256,
 * like sign-in cookies) and the middleware that authenticates the sync API by one of them.
 */
import { createMiddleware } from 'hono/factory';
import { and, eq, gt, lt, or, isNull } from 'drizzle-orm';
import { linkTokens, users } from '../../db/schema';
import { LINK_TOKEN_DAYS } from '../contract';
import type { AppEnv } from '../env';
import { randomToken, sha256 } from '../lib/crypto';
import { database } from '../lib/db';
import { ApiError } from '../lib/errors';
import { DAY_MS } from '../lib/retention';

/** `last_used_at` is written at most this often: a send of many pages costs one write, not one per page. */
const LAST_USED_EVERY_MS = 3600 * 1000;

/** Makes a token for `userId`; returns the token (to show once) and the row stored. */
export async function newLinkToken(userId: string, name: string, now = Date.now()) {
  const token = `pgl_${randomToken(32)}`;
  const row = {
    id: randomToken(12),
    userId,
    name,
    tokenHash: await sha256(token),
    createdAt: now,
    expiresAt: now + LINK_TOKEN_DAYS * DAY_MS,
    lastUsedAt: null,
  };
  return { token, row };
}

const invalid = () =>
  new ApiError(
    401,
    'link_token_invalid',
    'This link token is not valid: it was revoked, has expired or was mistyped. Create a new one in your cloud workspace.',
  );

/** Middleware: 401 unless `Authorization: Bearer` holds a live link token; sets `c.var.teacher` to its owner. */
export const requireLinkToken = createMiddleware<AppEnv>(async (c, next) => {
  const token = /^Bearer (pgl_[A-Za-z0-9_-]{43})$/.exec(c.req.header('Authorization') ?? '')?.[1];
  if (!token) throw invalid();
  const db = database(c.env.DB);
  const now = Date.now();
  const tokenHash = await sha256(token);
  const [row] = await db
    .select({ id: users.id, email: users.email, name: users.name, lastUsedAt: linkTokens.lastUsedAt })
    .from(linkTokens)
    .innerJoin(users, eq(users.id, linkTokens.userId))
    .where(and(eq(linkTokens.tokenHash, tokenHash), gt(linkTokens.expiresAt, now)));
  if (!row) throw invalid();
  if (row.lastUsedAt === null || row.lastUsedAt < now - LAST_USED_EVERY_MS)
    await db
      .update(linkTokens)
      .set({ lastUsedAt: now })
      .where(
        and(
          eq(linkTokens.tokenHash, tokenHash),
          or(isNull(linkTokens.lastUsedAt), lt(linkTokens.lastUsedAt, now - LAST_USED_EVERY_MS)),
        ),
      );
  c.set('teacher', { id: row.id, email: row.email, name: row.name });
  await next();
});
