/**
 * The cloud's account page: link tokens a teacher makes for a classroom laptop (shown once,
 * stored as a hash, valid for {@link LINK_TOKEN_DAYS} days), listed and revoked.
 */
import { Hono } from 'hono';
import { and, desc, eq } from 'drizzle-orm';
import * as z from 'zod';
import { linkTokens } from '../../db/schema';
import type { CreatedLinkToken, LinkTokenSummary } from '../contract';
import type { AppEnv } from '../env';
import { database } from '../lib/db';
import { ApiError } from '../lib/errors';
import { requireTeacher } from '../lib/teacher-auth';
import { validate } from '../lib/validate';
import { linkTokenBody, recordId } from '../requests';
import { newLinkToken } from '../sync/link-auth';

/**
 * Link tokens one teacher may hold at once: one per classroom laptop, and a school has a few. Each
 * is a key to the account's results, so an account cannot pile them up.
 */
export const MAX_LINK_TOKENS = 20;

const summary = {
  id: linkTokens.id,
  name: linkTokens.name,
  createdAt: linkTokens.createdAt,
  expiresAt: linkTokens.expiresAt,
  lastUsedAt: linkTokens.lastUsedAt,
};

export const linkTokensRoute = new Hono<AppEnv>()
  .use(requireTeacher)
  .get('/', async (c) => {
    const list: LinkTokenSummary[] = await database(c.env.DB)
      .select(summary)
      .from(linkTokens)
      .where(eq(linkTokens.userId, c.get('teacher').id))
      .orderBy(desc(linkTokens.createdAt));
    return c.json(list);
  })
  .post('/', validate('json', linkTokenBody), async (c) => {
    const { token, row } = await newLinkToken(c.get('teacher').id, c.req.valid('json').name);
    // The count and the insert in one statement: two requests at once cannot both take the last place.
    const stored = await c.env.DB.prepare(
      `INSERT INTO link_tokens (id, user_id, name, token_hash, created_at, expires_at, last_used_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, NULL WHERE (SELECT count(*) FROM link_tokens WHERE user_id = ?2) < ?7`,
    )
      .bind(row.id, row.userId, row.name, row.tokenHash, row.createdAt, row.expiresAt, MAX_LINK_TOKENS)
      .run();
    if (!stored.meta.changes)
      throw new ApiError(
        409,
        'too_many_link_tokens',
        `You have ${MAX_LINK_TOKENS} link tokens already: revoke one you no longer use, then create a new one.`,
      );
    const { userId: _user, tokenHash: _hash, ...shown } = row;
    return c.json({ ...shown, token } satisfies CreatedLinkToken, 201);
  })
  .delete('/:id', validate('param', z.object({ id: recordId })), async (c) => {
    const gone = await database(c.env.DB)
      .delete(linkTokens)
      .where(and(eq(linkTokens.id, c.req.valid('param').id), eq(linkTokens.userId, c.get('teacher').id)))
      .returning({ id: linkTokens.id });
    if (!gone.length) throw new ApiError(404, 'link_token_not_found', 'There is no such link token of yours.');
    return c.body(null, 204);
  });
