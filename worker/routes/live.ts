/**
 * The way into a live game (the protocol after it: `worker/contract/live.ts`, "Connecting").
 *
 * No credential travels in a WebSocket address: addresses end up in logs, browser history and
 * proxies, and a browser cannot set headers on a WebSocket. So a client first asks for a ticket
 * over HTTP, with its credential where the API always takes it:
 * - `POST /api/play/live/ticket` ({@link playerTicket}, mounted in the play sub-app): a student,
 *   `Authorization: Bearer <device token>`;
 * - `POST /api/sessions/:id/live/ticket` ({@link hostTicketRoute}): the teacher, by the session's
 *   key (Bearer) or the owner's cookie, saying which screen this is (projector or remote).
 * The student's is checked by the session's play room, which holds the seats (no D1); the teacher's
 * against D1 (the session is live and not scheduled, the key unexpired). Then the session's Durable
 * Object (`LiveRoom`, named by the session id) mints a single-use ticket for that identity, and
 * keeps only its SHA-256. A live join's reply carries a first ticket already (../routes/codes.ts).
 *
 * `GET /api/live?ticket=…` ({@link liveRoute}) with `Upgrade: websocket` reads nothing from D1: the
 * ticket starts with its session's id, so the Worker hands the upgrade to that room, which spends
 * the ticket and accepts the socket with the identity stored with it. Every refusal before the
 * upgrade is the API's JSON error (an unknown, spent or expired ticket: 401 `ticket_invalid`).
 */
import { Hono, type Context } from 'hono';
import { eq, sql } from 'drizzle-orm';
import * as z from 'zod';
import { sessionQuestions } from '../../db/schema';
import type { AppEnv } from '../env';
import { studentBearer } from '../lib/auth';
import { database } from '../lib/db';
import { ApiError } from '../lib/errors';
import { managedSession } from '../lib/session-access';
import { validate } from '../lib/validate';
import { liveMeta, type LiveIdentity } from '../live/identity';
import { recordId } from '../requests';
import { TICKET_HEADER } from '../rooms/live-room';
import { liveTicketOf } from '../rooms/play-room';
import { ERROR_CODES, LIVE_SCREENS, type ErrorCode, type LiveTicketRequest } from '../contract';

/**
 * A ticket: its room's name (the session's id, and `~k` for a contest's shard k), a dot, a random
 * secret (as a student's token, see ../lib/auth).
 */
const TICKET = /^([A-Za-z0-9_-]{8,32}(?:~\d{1,2})?)\.[A-Za-z0-9_-]{16,128}$/;

const roomOf = (c: Context<AppEnv>, name: string) => c.env.LIVE_ROOM.get(c.env.LIVE_ROOM.idFromName(name));

/**
 * Asks the session's room for a ticket for `identity` and answers it (never cached: it is a
 * secret). A session closed by its game's end still lets its screens in, so that a reload shows
 * the podium: the room alone knows whether its game ended (yes) or the teacher closed it (no).
 */
async function issue(c: Context<AppEnv>, identity: LiveIdentity, closed: boolean): Promise<Response> {
  const outcome = await roomOf(c, identity.session.sessionId).issueTicket(identity, closed);
  if (!outcome.ok) throw new ApiError(outcome.status, outcome.code, outcome.message);
  c.header('Cache-Control', 'no-store');
  return c.json(liveTicketOf(outcome.ticket, outcome.expiresInSec));
}

/**
 * `POST /api/play/live/ticket`: a student's ticket, by their device token. The session's play room
 * holds every seat (it took the join), so it checks the token and asks the live room: no D1.
 */
export async function playerTicket(c: Context<AppEnv>): Promise<Response> {
  // No body is expected, but one sent is read to its end: answering before a request's body is read
  // broke the connection under `wrangler dev` (the next request on it stalled for 10 s).
  if (c.req.raw.body) await c.req.raw.arrayBuffer();
  const { sessionId, hash } = await studentBearer(c);
  const outcome = await c.env.PLAY_ROOM.get(c.env.PLAY_ROOM.idFromName(sessionId)).liveTicket(hash);
  if (!outcome.ok) throw new ApiError(outcome.status, outcome.code, outcome.message);
  return c.body(outcome.json, 200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
}

/** Body of the teacher's ticket request. */
export const hostTicketBody = z.strictObject({ screen: z.enum(LIVE_SCREENS) }) satisfies z.ZodType<LiveTicketRequest>;

/** `POST /api/sessions/:id/live/ticket`: a ticket for one of the teacher's screens. */
export const hostTicketRoute = new Hono<AppEnv>().post(
  '/:id/live/ticket',
  validate('param', z.object({ id: recordId })),
  validate('json', hostTicketBody),
  async (c) => {
    const session = await managedSession(c, c.req.valid('param').id);
    const [count] = await database(c.env.DB)
      .select({ n: sql<number>`count(*)` })
      .from(sessionQuestions)
      .where(eq(sessionQuestions.sessionId, session.id));
    const { meta, closed } = liveMeta(session, count?.n ?? 0);
    return issue(c, { role: 'host', screen: c.req.valid('json').screen, session: meta }, closed);
  },
);

const knownCode = (code: unknown): code is ErrorCode => (ERROR_CODES as readonly unknown[]).includes(code);

/** `GET /api/live?ticket=…`: the live socket, handed to the room the ticket names. */
export const liveRoute = new Hono<AppEnv>().get('/', async (c) => {
  if (c.req.header('Upgrade')?.toLowerCase() !== 'websocket')
    throw new ApiError(426, 'upgrade_required', 'This address is the live game: open it as a WebSocket.');
  const ticket = c.req.query('ticket') ?? '';
  const room = TICKET.exec(ticket)?.[1];
  if (room === undefined)
    throw new ApiError(401, 'ticket_invalid', 'Open the live game with a ticket: ask for one, then connect with it.');
  // A fresh request: nothing of the client's headers reaches the room but the upgrade itself.
  const res = await roomOf(c, room).fetch('https://live-room/connect', {
    headers: { Upgrade: 'websocket', [TICKET_HEADER]: ticket },
  });
  // The room's response has immutable headers; the app's middleware (secure headers) adds some.
  if (res.webSocket) return new Response(null, { status: 101, webSocket: res.webSocket });
  const refusal = (await res.json().catch(() => null)) as { code?: unknown; message?: unknown } | null;
  if (refusal && knownCode(refusal.code) && typeof refusal.message === 'string')
    throw new ApiError(res.status as 401, refusal.code, refusal.message);
  throw new ApiError(500, 'internal', 'The live game could not be opened. Please try again.');
});
