/**
 * Join codes, from the student's side: look a code up, join with a nickname. The code is what a
 * child types, so errors here speak plainly.
 */
import { Hono } from 'hono';
import { desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { participants, sessions } from '../../db/schema';
import type { Joined } from '../api-types';
import type { AppEnv } from '../env';
import { CODE_ALPHABET, CODE_LENGTH, randomToken, sha256, shuffle } from '../lib/crypto';
import { database, isUniqueViolation, type Database } from '../lib/db';
import { ApiError } from '../lib/errors';
import { effectiveStatus, sessionInfoColumns, toSessionInfo } from '../lib/session-info';
import { validate } from '../lib/validate';

/** A student's device token stays valid this long after joining. */
export const PARTICIPANT_TOKEN_TTL_MS = 14 * 24 * 3600 * 1000;

const codeParam = z.object({
  code: z
    .string()
    .transform((s) => s.trim().toUpperCase())
    .pipe(z.string().length(CODE_LENGTH).regex(new RegExp(`^[${CODE_ALPHABET}]+$`))),
});

// Control characters, bidirectional overrides and invisible spaces would let a name hide or impersonate.
const hidden = /[\p{Cc}\u200B\u200E\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/u;

/** A nickname: 1–20 characters after trimming, nothing invisible. */
export const nicknameSchema = z
  .string()
  .transform((s) => s.normalize('NFC').trim())
  .pipe(
    z
      .string()
      .min(1, 'Type a nickname.')
      .refine((s) => [...s].length <= 20, 'A nickname has at most 20 characters.')
      .refine((s) => !hidden.test(s), 'A nickname cannot contain control or invisible characters.'),
  );

/** Folds a nickname so that names differing only in width or case are the same name. */
export const nicknameKey = (nickname: string): string => nickname.normalize('NFKC').toLowerCase();

const unknownCode = (): never => {
  throw new ApiError(404, 'unknown_code', 'We could not find a quiz with that code. Check the code with your teacher.');
};

/** The most recent session with this code (an open one first): one query. */
async function findByCode(db: Database, code: string) {
  const [row] = await db
    .select({ id: sessions.id, shuffleQuestions: sessions.shuffleQuestions, ...sessionInfoColumns })
    .from(sessions)
    .where(eq(sessions.code, code))
    .orderBy(sql`${sessions.status} = 'open' DESC`, desc(sessions.createdAt))
    .limit(1);
  return row ?? unknownCode();
}

export const codesRoute = new Hono<AppEnv>()
  .get('/:code', async (c) => {
    const parsed = codeParam.safeParse(c.req.param());
    if (!parsed.success) return unknownCode();
    const row = await findByCode(database(c.env.DB), parsed.data.code);
    return c.json(toSessionInfo(row));
  })
  .post('/:code/participants', validate('json', z.strictObject({ nickname: nicknameSchema })), async (c) => {
    const parsed = codeParam.safeParse(c.req.param());
    if (!parsed.success) return unknownCode();
    const db = database(c.env.DB);
    const session = await findByCode(db, parsed.data.code);
    const now = Date.now();
    const status = effectiveStatus(session, now);
    if (status === 'closed') throw new ApiError(410, 'session_closed', 'This quiz has ended. Ask your teacher for a new code.');
    if (status === 'scheduled') throw new ApiError(409, 'not_open_yet', 'This quiz has not started yet. Try again when your teacher says so.');
    if (session.locked) throw new ApiError(409, 'session_locked', 'The teacher has locked this quiz: no one new can join right now.');

    const { nickname } = c.req.valid('json');
    const token = randomToken(32);
    const expiresAt = now + PARTICIPANT_TOKEN_TTL_MS;
    try {
      await db.insert(participants).values({
        id: randomToken(12),
        sessionId: session.id,
        nickname,
        nicknameKey: nicknameKey(nickname),
        tokenHash: await sha256(token),
        joinedAt: now,
        expiresAt,
        // With shuffled questions each student gets an order of their own, fixed at joining.
        questionOrder: session.shuffleQuestions ? shuffle(Array.from({ length: session.questionCount }, (_, i) => i)) : null,
      });
    } catch (err) {
      if (isUniqueViolation(err, 'participants.nickname_key')) throw new ApiError(409, 'nickname_taken', 'Someone in this quiz already has that nickname. Pick another one.');
      throw err;
    }
    const body: Joined = { token, nickname, expiresAt, session: toSessionInfo(session, now) };
    return c.json(body, 201);
  });
