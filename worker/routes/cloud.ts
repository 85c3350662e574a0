/**
 * The laptop's side of the cloud link, for its signed-in teacher: link to a cloud account (its
 * address and a link token made there, checked with the cloud), send closed sessions, take quizzes
 * and classes from the cloud. Which of these a deployed cloud's teacher ever uses does not matter:
 * every instance can be either side.
 */
import { Hono, type Context } from 'hono';
import { eq } from 'drizzle-orm';
import * as z from 'zod';
import { cloudLinks } from '../../db/schema';
import type { CloudLink } from '../contract';
import type { AppEnv } from '../env';
import { database } from '../lib/db';
import { ApiError } from '../lib/errors';
import { requireTeacher } from '../lib/teacher-auth';
import { validate } from '../lib/validate';
import { cloudLinkBody, recordId, sendBody } from '../requests';
import { callCloud, CloudError, type LinkTarget } from '../sync/cloud-client';
import { storeLibrary } from '../sync/library';
import { sendSession, sendStates } from '../sync/send';
import { cloudAccount, library } from '../sync/wire';

/**
 * A failed call to the cloud as this API's own error: the cloud's refusal (with its reason), or
 * `cloud_unreachable`. Both are 409 (this laptop's request cannot go through now), never a 5xx:
 * nothing failed in this Worker, and the code tells the teacher which it was.
 */
function asApiError(err: unknown): unknown {
  if (!(err instanceof CloudError)) return err;
  return new ApiError(409, err.code, err.message);
}

/** The teacher's link, or 409 when there is none. */
async function linkOf(c: Context<AppEnv>): Promise<LinkTarget> {
  const link = await database(c.env.DB).query.cloudLinks.findFirst({
    where: eq(cloudLinks.userId, c.get('teacher').id),
  });
  if (!link) throw new ApiError(409, 'cloud_not_linked', 'Link this laptop to a cloud account first.');
  return link;
}

export const cloudRoute = new Hono<AppEnv>()
  .use(requireTeacher)
  .get('/link', async (c) => {
    const link = await database(c.env.DB).query.cloudLinks.findFirst({
      where: eq(cloudLinks.userId, c.get('teacher').id),
    });
    return c.json({
      link: link
        ? ({ url: link.url, account: link.cloudAccount, createdAt: link.createdAt } satisfies CloudLink)
        : null,
    });
  })
  .put('/link', validate('json', cloudLinkBody), async (c) => {
    const target = c.req.valid('json');
    // The token is checked with the cloud before it is kept.
    const who = await callCloud(target, 'GET', '/account', cloudAccount).catch((err: unknown) => {
      throw asApiError(err);
    });
    const row = {
      userId: c.get('teacher').id,
      ...target,
      cloudAccount: `${who.name} · ${who.email}`,
      createdAt: Date.now(),
    };
    await database(c.env.DB).insert(cloudLinks).values(row).onConflictDoUpdate({ target: cloudLinks.userId, set: row });
    return c.json({ link: { url: row.url, account: row.cloudAccount, createdAt: row.createdAt } satisfies CloudLink });
  })
  .delete('/link', async (c) => {
    await database(c.env.DB)
      .delete(cloudLinks)
      .where(eq(cloudLinks.userId, c.get('teacher').id));
    return c.body(null, 204);
  })
  .get('/sessions', async (c) => c.json(await sendStates(database(c.env.DB), c.get('teacher').id)))
  .post('/sessions/:id/send', validate('param', z.object({ id: recordId })), validate('json', sendBody), async (c) =>
    c.json(
      await sendSession(c.env, c.get('teacher').id, await linkOf(c), c.req.valid('param').id, c.req.valid('json')),
    ),
  )
  .post('/pull', async (c) => {
    const lib = await callCloud(await linkOf(c), 'GET', '/library', library).catch((err: unknown) => {
      throw asApiError(err);
    });
    return c.json(await storeLibrary(database(c.env.DB), c.get('teacher').id, lib));
  });
