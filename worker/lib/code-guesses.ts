/**
 * Wrong join codes per client address, as a token bucket kept in D1 (`code_guesses`).
 *
 * A school's phones share one public address, so the bucket holds enough for a whole class's
 * typos at once (two classes of 60, each student mistyping twice, and more), and tokens come back
 * one every {@link REFILL_MS}. An address without a token is refused every code, right or wrong,
 * so that guessing learns nothing while it waits; it is told how many seconds to wait.
 *
 * What a guesser gets: the code space is 31^6 = 887 503 681 codes. One address may spend the
 * burst and then one guess per 30 s, {@link GUESSES_PER_DAY} a day at most; with 10 000 sessions
 * open at once, each guess finds one with probability 10 000 / 31^6 ≈ 1.1 × 10⁻⁵, so one
 * address finds about 0.036 sessions a day: one every four weeks (README, "Join codes and seats").
 */
import { eq, sql } from 'drizzle-orm';
import { codeGuesses } from '../../db/schema';
import type { Database } from './db';
import { prepared } from './prepared';

/** Wrong codes an address may send at once. */
export const BURST = 300;
/** One wrong code comes back this often. */
export const REFILL_MS = 30_000;
/** The most wrong codes one address can send in a day: the burst, then the refill. */
export const GUESSES_PER_DAY = BURST + (24 * 3600 * 1000) / REFILL_MS;
/** How far below zero a flood of concurrent wrong codes can drive the bucket (it then waits longer). */
const MAX_DEBT = 20;
/** A bucket untouched this long is full again: its row says nothing and is deleted. */
export const FULL_AFTER_MS = (BURST + MAX_DEBT) * REFILL_MS;

export type Bucket = { tokens: number; at: number } | undefined;

/** The bucket's row of an address, for the caller's batch. Values: ipHash. (Prepared once per isolate, see ./prepared.) */
export const bucketOf = prepared((db) =>
  db
    .select({ tokens: codeGuesses.tokens, at: codeGuesses.at })
    .from(codeGuesses)
    .where(eq(codeGuesses.ipHash, sql.placeholder('ipHash'))),
);

/** Tokens the address has now. */
export const tokensNow = (bucket: Bucket, now: number): number =>
  bucket ? Math.min(BURST, bucket.tokens + (now - bucket.at) / REFILL_MS) : BURST;

/** Whole seconds until the address has a token again; 0 when it has one. */
export const waitSeconds = (bucket: Bucket, now: number): number => {
  const tokens = tokensNow(bucket, now);
  return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) * REFILL_MS) / 1000);
};

/**
 * Spends a token for a wrong code, in one atomic statement (concurrent wrong codes each spend one),
 * and forgets buckets that have been full for a while.
 */
export async function spend(db: Database, ipHash: string, now: number): Promise<void> {
  await db.batch([
    db
      .insert(codeGuesses)
      .values({ ipHash, tokens: BURST - 1, at: now })
      .onConflictDoUpdate({
        target: codeGuesses.ipHash,
        set: {
          tokens: sql`max(${-MAX_DEBT}, min(${BURST}, ${codeGuesses.tokens} + (excluded.at - ${codeGuesses.at}) * 1.0 / ${REFILL_MS}) - 1)`,
          at: sql`excluded.at`,
        },
      }),
    db.delete(codeGuesses).where(sql`${codeGuesses.at} < ${now - FULL_AFTER_MS}`),
  ]);
}
