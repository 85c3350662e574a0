/**
 * The cloud's sync API, for classroom laptops (a link token as `Authorization: Bearer`, see
 * ../sync/link-auth.ts): whose token it is, the quizzes and classes to take onto the laptop, and
 * a closed session sent in steps (../sync/receive.ts): its header, its students in pages, a last
 * check. Every step answers the receipt: the last student stored, from which an interrupted send
 * resumes.
 */
import { Hono } from 'hono';
import * as z from 'zod';
import type { AppEnv } from '../env';
import { database } from '../lib/db';
import { validate } from '../lib/validate';
import { recordId } from '../requests';
import { requireLinkToken } from '../sync/link-auth';
import { libraryOf } from '../sync/library';
import { completeSession, receiptOf, receiveHeader, receiveParticipants } from '../sync/receive';
import { completeBody, participantsPage, sessionHeader, type Receipt } from '../sync/wire';

const idParam = z.object({ id: recordId });

export const syncRoute = new Hono<AppEnv>()
  .use(requireLinkToken)
  .get('/account', (c) => c.json({ name: c.get('teacher').name, email: c.get('teacher').email }))
  .get('/library', async (c) => c.json(await libraryOf(database(c.env.DB), c.get('teacher').id)))
  .get('/sessions/:id', validate('param', idParam), async (c) =>
    c.json<Receipt>(await receiptOf(database(c.env.DB), c.req.valid('param').id, c.get('teacher').id)),
  )
  .put('/sessions/:id', validate('param', idParam), validate('json', sessionHeader), async (c) =>
    c.json<Receipt>(
      await receiveHeader(database(c.env.DB), c.req.valid('param').id, c.get('teacher').id, c.req.valid('json')),
    ),
  )
  .post('/sessions/:id/participants', validate('param', idParam), validate('json', participantsPage), async (c) =>
    c.json<Receipt>(
      await receiveParticipants(
        database(c.env.DB),
        c.req.valid('param').id,
        c.get('teacher').id,
        c.req.valid('json').participants,
      ),
    ),
  )
  .post('/sessions/:id/complete', validate('param', idParam), validate('json', completeBody), async (c) =>
    c.json<Receipt>(
      await completeSession(database(c.env.DB), c.req.valid('param').id, c.get('teacher').id, c.req.valid('json')),
    ),
  );
