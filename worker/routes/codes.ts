/**
 * Join codes, from the student's side: look a code up, join with a nickname, or, in a session of a
 * class with a roster, with one's name from the roster (./lib/roster-seats). The code is what a
 * child types, so errors here speak plainly. Guessing codes is throttled per address; a session caps
 * its players, and the players from one network address (a class passes, a bot flood does not).
 */
import { Hono, type Context } from 'hono';
import { desc, eq, sql } from 'drizzle-orm';
import * as z from 'zod';
import { participants, sessions, users } from '../../db/schema';
import type { AppEnv } from '../env';
import { CODE_ALPHABET, CODE_LENGTH, keyedHash, randomToken, sha256, shuffle } from '../lib/crypto';
import { clientAddress } from '../lib/client-address';
import { database, isUniqueViolation, type Database } from '../lib/db';
import { bucketKey, bucketOf, CODE_GUESSES, refused, spending, waitSeconds } from '../lib/limits';
import { ApiError } from '../lib/errors';
import { batch, prepared } from '../lib/prepared';
import { isBlocked, nameKey } from '../lib/nicknames';
import { parseRoster, rosterJson, rosterMatch } from '../lib/roster-seats';
import { effectiveStatus, sessionInfoColumns, toSessionInfo } from '../lib/session-info';
import { newStudentToken } from '../lib/auth';
import { validate } from '../lib/validate';
import { joinBody } from '../requests';
import { type CodeLookup, type Joined } from '../contract';

/** A student's device token stays valid this long after joining. */
export const PARTICIPANT_TOKEN_TTL_MS = 14 * 24 * 3600 * 1000;

const codeParam = z.object({
  code: z
    .string()
    .transform((s) => s.trim().toUpperCase())
    .pipe(
      z
        .string()
        .length(CODE_LENGTH)
        .regex(new RegExp(`^[${CODE_ALPHABET}]+$`)),
    ),
});

/** The most recent session with a code, an open one first. Values: code. */
const sessionByCode = prepared((db) =>
  db
    .select({
      id: sessions.id,
      shuffleQuestions: sessions.shuffleQuestions,
      maxPlayers: sessions.maxPlayers,
      seatsPerNetwork: sessions.seatsPerNetwork,
      idSalt: sessions.idSalt,
      blockedWords: users.blockedWords,
      allowGuests: sessions.allowGuests,
      roster: rosterJson,
      ...sessionInfoColumns,
    })
    .from(sessions)
    .leftJoin(users, eq(users.id, sessions.ownerId))
    .where(eq(sessions.code, sql.placeholder('code')))
    .orderBy(sql`${sessions.status} = 'open' DESC`, desc(sessions.createdAt))
    .limit(1),
);

/**
 * Finds the most recent session with this code (an open one first), and the address's bucket of
 * wrong codes, in one round trip. A wrong code spends a token (CODE_GUESSES in ../lib/limits.ts); an address
 * without one is refused right and wrong codes alike, so guessing learns nothing.
 */
async function findByCode(c: Context<AppEnv>, db: Database, rawCode: string) {
  const key = await bucketKey(c, clientAddress(c));
  const now = Date.now();
  const parsed = codeParam.safeParse({ code: rawCode });
  const [buckets, found] = await batch(db, [
    [bucketOf(db), { purpose: CODE_GUESSES.purpose, key }],
    [sessionByCode(db), { code: parsed.success ? parsed.data.code : '' }],
  ]);
  const wait = waitSeconds(CODE_GUESSES, buckets[0], now);
  if (wait > 0) throw refused(CODE_GUESSES, wait);
  const session = found[0];
  if (!session) {
    await db.batch(spending(db, CODE_GUESSES, key, now));
    throw new ApiError(
      404,
      'unknown_code',
      'We could not find a quiz with that code. Check the code with your teacher.',
    );
  }
  return { ...session, roster: parseRoster(session.roster) };
}

type FoundSession = Awaited<ReturnType<typeof findByCode>>;

/**
 * Who a new seat is: the roster name picked, or typed exactly, or a nickname of the student's own,
 * which a session with a roster takes only when it lets guests in.
 */
function seatName(
  session: FoundSession,
  body: { nickname?: string | undefined; rosterId?: string | undefined },
): { nickname: string; rosterId: string | null } {
  const entry =
    body.rosterId === undefined
      ? rosterMatch(session.roster, body.nickname!)
      : session.roster.find((r) => r.id === body.rosterId);
  if (entry) return { nickname: entry.name, rosterId: entry.id };
  if (body.rosterId !== undefined)
    throw new ApiError(404, 'roster_entry_not_found', 'That name is not on the class list any more. Look again.');
  if (session.roster.length > 0 && !session.allowGuests)
    throw new ApiError(409, 'guests_not_allowed', 'Pick your name from the class list. Not on it? Ask your teacher.');
  if (isBlocked(body.nickname!, session.blockedWords ?? []))
    throw new ApiError(400, 'nickname_not_allowed', 'That nickname is not allowed here. Pick another one.');
  return { nickname: body.nickname!, rosterId: null };
}

/** Why a join found no seat (asked only then): the whole session is full, or this network's share of it. */
async function whyNoSeat(
  db: Database,
  session: { id: string; maxPlayers: number; seatsPerNetwork: number },
  networkKey: string,
): Promise<ApiError> {
  const [seats] = await db
    .select({
      total: sql<number>`count(*)`,
      network: sql<number>`coalesce(sum(${participants.networkKey} = ${networkKey}), 0)`,
    })
    .from(participants)
    .where(eq(participants.sessionId, session.id));
  if (seats!.total < session.maxPlayers && seats!.network >= session.seatsPerNetwork)
    return new ApiError(
      409,
      'network_full',
      'Too many students have joined this quiz from this network. Ask your teacher.',
    );
  return new ApiError(409, 'session_full', 'This quiz is full. Ask your teacher.');
}

export const codesRoute = new Hono<AppEnv>()
  .get('/:code', async (c) => {
    const session = await findByCode(c, database(c.env.DB), c.req.param('code'));
    const info = toSessionInfo(session);
    const lookup: CodeLookup = {
      ...info,
      // Only while students can join: a closed session's code may come back, its names should not.
      roster:
        info.status === 'open' && session.roster.length > 0
          ? { names: session.roster, allowGuests: session.allowGuests }
          : null,
    };
    return c.json(lookup);
  })
  .post('/:code/participants', validate('json', joinBody), async (c) => {
    const db = database(c.env.DB);
    const session = await findByCode(c, db, c.req.param('code'));
    const now = Date.now();
    const status = effectiveStatus(session, now);
    if (status === 'closed')
      throw new ApiError(410, 'session_closed', 'This quiz has ended. Ask your teacher for a new code.');
    if (status === 'scheduled')
      throw new ApiError(409, 'not_open_yet', 'This quiz has not started yet. Try again when your teacher says so.');
    if (session.locked)
      throw new ApiError(409, 'session_locked', 'The teacher has locked this quiz: no one new can join right now.');

    const choice = c.req.valid('json');
    const { nickname, rosterId } = seatName(session, choice);
    const key = nameKey(nickname);
    const token = newStudentToken(session.id);
    const expiresAt = now + PARTICIPANT_TOKEN_TTL_MS;
    // With shuffled questions each student gets an order of their own, fixed at joining.
    const order = session.shuffleQuestions
      ? JSON.stringify(shuffle(Array.from({ length: session.questionCount }, (_, i) => i)))
      : null;
    // Stored only as keyed by the session's secret: never the address itself, and not comparable across sessions.
    const networkKey = await keyedHash(session.idSalt, `network:${clientAddress(c)}`);
    const deviceKey = choice.device === undefined ? null : await keyedHash(session.idSalt, `device:${choice.device}`);
    let inserted: D1Result;
    try {
      // Inserted only while the session, and this network's share of it, have room: the caps hold
      // even when many join at once. A roster name already taken fails the unique index, just as atomically.
      inserted = await db.run(sql`
        INSERT INTO ${participants} (id, session_id, nickname, nickname_key, token_hash, joined_at, expires_at, question_order, network_key, device_key, roster_id)
        SELECT ${randomToken(12)}, ${session.id}, ${nickname}, ${key}, ${await sha256(token)}, ${now}, ${expiresAt}, ${order}, ${networkKey}, ${deviceKey}, ${rosterId}
        WHERE (SELECT count(*) FROM ${participants} WHERE ${participants.sessionId} = ${session.id}) < ${session.maxPlayers}
          AND (SELECT count(*) FROM ${participants} WHERE ${participants.sessionId} = ${session.id} AND ${participants.networkKey} = ${networkKey}) < ${session.seatsPerNetwork}`);
    } catch (err) {
      // A roster name is taken by its seat, or by a nickname spelled the same.
      if (
        rosterId &&
        (isUniqueViolation(err, 'participants.roster_id') || isUniqueViolation(err, 'participants.nickname_key'))
      )
        throw new ApiError(409, 'name_taken', 'Someone in this quiz has already picked that name. Ask your teacher.');
      if (isUniqueViolation(err, 'participants.nickname_key'))
        throw new ApiError(409, 'nickname_taken', 'Someone in this quiz already has that nickname. Pick another one.');
      throw err;
    }
    if (inserted.meta.changes === 0) throw await whyNoSeat(db, session, networkKey);
    const body: Joined = { token, nickname, expiresAt, session: toSessionInfo(session, now) };
    return c.json(body, 201);
  });
