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
    await database(c.env.DB).insert(linkTokens).values(row);
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
