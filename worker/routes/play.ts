/**
 * Playing a self-paced session, from the student's device (its token in `Authorization: Bearer`):
 * the current question, answering it, the review at the end, practice once the session has
 * closed, the leaderboard; and the ticket that opens a live game's socket (./live). The session's {@link PlayRoom} (named in the token) times, scores and
 * answers; this route checks the request and passes it on. The server alone times and scores.
 */
import { Hono, type Context } from 'hono';
import * as z from 'zod';
import type { AppEnv } from '../env';
import { studentBearer } from '../lib/auth';
import { playerTicket } from './live';
import { ApiError } from '../lib/errors';
import { validate } from '../lib/validate';
import { isResponseShape } from '../questions/scoring';
import { answerBody } from '../requests';
import type { Outcome } from '../rooms/play-room';

/** The room of the session the student's token names, and the token's hash. */
async function seat(c: Context<AppEnv>) {
  const { sessionId, hash } = await studentBearer(c);
  return { room: c.env.PLAY_ROOM.get(c.env.PLAY_ROOM.idFromName(sessionId)), hash };
}

/** The room's answer as a response (never cached: it is this student's), or its error. */
function reply<T>(c: Context<AppEnv>, outcome: Outcome<T>): Response {
  if (!outcome.ok) throw new ApiError(outcome.status, outcome.code, outcome.message);
  return c.body(outcome.json, 200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
}

/** A response of some kind of answer (or null: time ran out), refused here before any room sees it. */
function shaped(response: unknown): unknown {
  if (response !== null && !isResponseShape(response))
    throw new ApiError(400, 'invalid_answer', 'This answer does not have the shape of any kind of answer.');
  return response;
}

export const playRoute = new Hono<AppEnv>()
  .post('/live/ticket', playerTicket)
  .get('/', async (c) => {
    const { room, hash } = await seat(c);
    return reply(c, await room.state(hash));
  })
  .post('/answers', validate('json', answerBody), async (c) => {
    const { room, hash } = await seat(c);
    const body = c.req.valid('json');
    return reply(c, await room.answer(hash, body.questionId, shaped(body.response)));
  })
  .post('/practice', validate('json', answerBody), async (c) => {
    const { room, hash } = await seat(c);
    const body = c.req.valid('json');
    return reply(c, await room.practise(hash, body.questionId, shaped(body.response)));
  })
  .get('/review', async (c) => {
    const { room, hash } = await seat(c);
    return reply(c, await room.review(hash));
  })
  .get(
    '/leaderboard',
    validate('query', z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) })),
    async (c) => {
      const { room, hash } = await seat(c);
      return reply(c, await room.leaderboard(hash, c.req.valid('query').limit));
    },
  );
