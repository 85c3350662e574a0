/**
 * Which session a join code names, without D1 on the way of a class joining. The first request
 * with a code reads D1 once (the session, and the address's bucket of wrong codes, in one round
 * trip); the isolate then remembers the code's session, and every further join or lookup with it
 * goes straight to the session's room, which knows whether it still takes students. A room that
 * says its session has closed, or no longer has that code, sends the request back to D1 once.
 *
 * Wrong codes always reach D1, where each spends a token (CODE_GUESSES in ./limits.ts), and an
 * address without tokens is refused right codes as well as wrong ones, so that guessing learns
 * nothing while it waits. A remembered code keeps that: the isolate remembers the addresses it
 * saw refused, and refuses them a remembered code too. An address refused in another isolate only
 * gets the one guess it takes this isolate to find out from D1.
 */
import type { Context } from 'hono';
import { desc, eq, sql } from 'drizzle-orm';
import * as z from 'zod';
import { sessions } from '../../db/schema';
import type { AppEnv } from '../env';
import { CODE_ALPHABET, CODE_LENGTH } from './crypto';
import { clientAddress } from './client-address';
import { database } from './db';
import { ApiError } from './errors';
import { bucketKey, bucketOf, CODE_GUESSES, refused, spending, waitSeconds } from './limits';
import { batch, prepared } from './prepared';

/** How long an isolate trusts what it learnt of a code (the room is asked anyway, and knows better). */
const REMEMBER_MS = 10 * 60_000;
/** Codes and refused addresses remembered per isolate, the oldest forgotten first. */
const MAX_REMEMBERED = 10_000;

const codeParam = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .pipe(
    z
      .string()
      .length(CODE_LENGTH)
      .regex(new RegExp(`^[${CODE_ALPHABET}]+$`)),
  );

/** The most recent session with a code, an open one first. Values: code. */
const sessionByCode = prepared((db) =>
  db
    .select({ id: sessions.id, status: sessions.status })
    .from(sessions)
    .where(eq(sessions.code, sql.placeholder('code')))
    .orderBy(sql`${sessions.status} = 'open' DESC`, desc(sessions.createdAt))
    .limit(1),
);

/** Code → the open session that has it, as this isolate last read it. */
const sessionOfCode = new Map<string, { sessionId: string; until: number }>();
/** Bucket key of an address → until when its wrong codes were refused. */
const refusedUntil = new Map<string, number>();
/** Address → its bucket key: a class joins from one address, whose key is an HMAC worth computing once. */
const bucketKeys = new Map<string, string>();

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_REMEMBERED) map.delete(map.keys().next().value!);
}

/** A code as typed, normalised; null when it cannot be a code at all (it then counts as a wrong one). */
export function normalCode(raw: string): string | null {
  const parsed = codeParam.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** The session a code names: `cached` when the isolate knew it without asking D1. */
export interface Found {
  sessionId: string;
  cached: boolean;
}

/**
 * The session of `code` (as {@link normalCode} made it, or null), or the API error: 404
 * `unknown_code` (a token spent), 429 while the address may not guess. With `fresh`, D1 is asked
 * even for a remembered code.
 */
export async function findSession(c: Context<AppEnv>, code: string | null, fresh = false): Promise<Found> {
  const address = clientAddress(c);
  let key = bucketKeys.get(address);
  if (key === undefined) remember(bucketKeys, address, (key = await bucketKey(c, address)));
  const now = Date.now();
  const known = code === null || fresh ? undefined : sessionOfCode.get(code);
  if (known && known.until > now) {
    const until = refusedUntil.get(key) ?? 0;
    if (until > now) throw refused(CODE_GUESSES, Math.ceil((until - now) / 1000));
    return { sessionId: known.sessionId, cached: true };
  }
  const db = database(c.env.DB);
  const [buckets, found] = await batch(db, [
    [bucketOf(db), { purpose: CODE_GUESSES.purpose, key }],
    [sessionByCode(db), { code: code ?? '' }],
  ]);
  const wait = waitSeconds(CODE_GUESSES, buckets[0], now);
  if (wait > 0) {
    remember(refusedUntil, key, now + wait * 1000);
    throw refused(CODE_GUESSES, wait);
  }
  refusedUntil.delete(key);
  const session = found[0];
  if (!session || code === null) {
    await db.batch(spending(db, CODE_GUESSES, key, now));
    throw new ApiError(
      404,
      'unknown_code',
      'We could not find a quiz with that code. Check the code with your teacher.',
    );
  }
  if (session.status === 'open') remember(sessionOfCode, code, { sessionId: session.id, until: now + REMEMBER_MS });
  else sessionOfCode.delete(code);
  return { sessionId: session.id, cached: false };
}

/** Forgets what the isolate knew of a code (its room said it is not that code's session any more). */
export function forgetCode(code: string): void {
  sessionOfCode.delete(code);
}
