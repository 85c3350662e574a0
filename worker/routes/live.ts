/**
 * `GET /api/sessions/:code/live`: the WebSocket of a live game. Browsers cannot set headers on a
 * WebSocket, so the credential travels in the query: `?key=<teacher key>` for the projector (role
 * host) or `?token=<device token>` for a student (role player). The Worker checks it against D1
 * (SHA-256, expiry, same session), requires `Upgrade: websocket` and an open live session, then
 * hands the connection to the session's Durable Object (`LiveRoom`, named by the session id) with
 * the identity in a header the room trusts (only this Worker can reach the room). Every refusal
 * before the upgrade is the API's JSON error; the protocol after it is `worker/contract/live.ts`.
 */
import { Hono } from 'hono';
import { desc, eq, sql } from 'drizzle-orm';
import * as z from 'zod';
import { participants, sessionQuestions, sessions } from '../../db/schema';
import type { AppEnv } from '../env';
import { CODE_ALPHABET, CODE_LENGTH, sha256 } from '../lib/crypto';
import { database } from '../lib/db';
import { ApiError } from '../lib/errors';
import { effectiveStatus } from '../lib/session-info';
import { encodeIdentity, IDENTITY_HEADER, type LiveIdentity } from '../live/identity';

const code = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .pipe(
    z
      .string()
      .length(CODE_LENGTH)
      .regex(new RegExp(`^[${CODE_ALPHABET}]+$`)),
  );
/** A teacher key, or a student token (its session id, a dot, a secret: ../lib/auth). */
const secret = z.string().regex(/^(?:[A-Za-z0-9_-]{8,32}\.)?[A-Za-z0-9_-]{16,128}$/);

const unknownCode = () =>
  new ApiError(404, 'unknown_code', 'We could not find a quiz with that code. Check the code with your teacher.');

export const liveRoute = new Hono<AppEnv>().get('/:code/live', async (c) => {
  if (c.req.header('Upgrade')?.toLowerCase() !== 'websocket')
    throw new ApiError(426, 'upgrade_required', 'This address is the live game: open it as a WebSocket.');
  const parsedCode = code.safeParse(c.req.param('code'));
  if (!parsedCode.success) throw unknownCode();
  const key = c.req.query('key');
  const token = c.req.query('token');
  if ((key === undefined) === (token === undefined))
    throw new ApiError(
      401,
      'unauthorized',
      'Open the live game with your device token (student) or the teacher key (teacher).',
    );
  const credential = secret.safeParse(key ?? token);
  if (!credential.success)
    throw new ApiError(401, 'unauthorized', 'This link is not valid: join the quiz again with its code.');
  const hash = await sha256(credential.data);

  const db = database(c.env.DB);
  // One round trip: the session with this code (an open one first) and the student, if a token came.
  const [found, students] = await db.batch([
    db
      .select({
        id: sessions.id,
        code: sessions.code,
        title: sessions.title,
        mode: sessions.mode,
        status: sessions.status,
        opensAt: sessions.opensAt,
        closesAt: sessions.closesAt,
        timeLimitSec: sessions.timeLimitSec,
        lang: sessions.lang,
        partialCredit: sessions.partialCredit,
        shuffleOptions: sessions.shuffleOptions,
        showLeaderboard: sessions.showLeaderboard,
        idSalt: sessions.idSalt,
        teacherKeyHash: sessions.teacherKeyHash,
        teacherKeyExpiresAt: sessions.teacherKeyExpiresAt,
        questionCount: sql<number>`(SELECT count(*) FROM ${sessionQuestions} WHERE ${sessionQuestions.sessionId} = ${sessions.id})`,
      })
      .from(sessions)
      .where(eq(sessions.code, parsedCode.data))
      .orderBy(sql`${sessions.status} = 'open' DESC`, desc(sessions.createdAt))
      .limit(1),
    db
      .select({
        id: participants.id,
        sessionId: participants.sessionId,
        nickname: participants.nickname,
        expiresAt: participants.expiresAt,
      })
      .from(participants)
      .where(eq(participants.tokenHash, token === undefined ? '' : hash)),
  ]);
  const session = found[0];
  if (!session) throw unknownCode();
  const now = Date.now();
  if (session.mode !== 'live')
    throw new ApiError(409, 'not_live', 'This quiz is self-paced: open it from the join page, not the live screen.');
  const status = effectiveStatus(session, now);
  if (status === 'closed') throw new ApiError(410, 'session_closed', 'This quiz has ended.');
  if (status === 'scheduled') throw new ApiError(409, 'not_open_yet', 'This quiz has not started yet.');

  const meta = {
    sessionId: session.id,
    code: session.code,
    title: session.title,
    timeLimitSec: session.timeLimitSec,
    lang: session.lang,
    partialCredit: session.partialCredit,
    shuffleOptions: session.shuffleOptions,
    showLeaderboard: session.showLeaderboard,
    questionCount: session.questionCount,
    idSalt: session.idSalt,
  };
  let identity: LiveIdentity;
  if (key !== undefined) {
    if (session.teacherKeyHash !== hash) throw new ApiError(403, 'forbidden', 'This link does not open this session.');
    if (session.teacherKeyExpiresAt < now) throw new ApiError(401, 'link_expired', 'This teacher link has expired.');
    identity = { role: 'host', session: meta };
  } else {
    const student = students[0];
    if (!student)
      throw new ApiError(401, 'unauthorized', 'This device is not in a quiz any more. Join again with the code.');
    if (student.expiresAt <= now)
      throw new ApiError(401, 'token_expired', 'Your place in this quiz has expired. Join again with the code.');
    if (student.sessionId !== session.id)
      throw new ApiError(403, 'forbidden', 'This device joined another quiz. Join this one with its code.');
    identity = { role: 'player', session: meta, participantId: student.id, nickname: student.nickname };
  }

  // A fresh request: nothing of the client's headers reaches the room but the upgrade itself.
  const room = c.env.LIVE_ROOM.get(c.env.LIVE_ROOM.idFromName(session.id));
  const res = await room.fetch('https://live-room/connect', {
    headers: { Upgrade: 'websocket', [IDENTITY_HEADER]: encodeIdentity(identity) },
  });
  // The room's response has immutable headers; the app's middleware (secure headers) adds some.
  return res.webSocket ? new Response(null, { status: 101, webSocket: res.webSocket }) : new Response(res.body, res);
});
