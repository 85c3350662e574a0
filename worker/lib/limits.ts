/**
 * Limits on what costs nothing to ask and something to answer: wrong join codes, failed sign-ins,
 * registrations (a password hash each), quick sessions (a draw from the whole bank), questions and
 * imports. Each is a token bucket per purpose and key, kept in D1 (`rate_limits`): a bucket holds
 * up to `burst` tokens, one comes back every `refillMs`, and what is refused is told how many
 * seconds to wait (429 `too_many_attempts` with `retryAfterSec` and `Retry-After`).
 *
 * Why D1 and not Cloudflare's rate-limiting binding: the binding counts per location, eventually,
 * with periods of 10 or 60 seconds only. These limits run over hours and days, and some must be
 * exact (a wrong code or a failed sign-in is counted once it has happened, and a success resets
 * it), so they need a count that every isolate sees at once. The binding stays for what its
 * semantics fit: a coarse per-address ceiling on password hashing (../routes/auth.ts).
 *
 * Keys are HMACs of the address or account under the server's key (./server-secret.ts), never the
 * address or email itself.
 */
import type { Context } from 'hono';
import { and, eq, lt, sql } from 'drizzle-orm';
import { rateLimits } from '../../db/schema';
import type { AppEnv } from '../env';
import { database, type Database } from './db';
import { ApiError } from './errors';
import { prepared } from './prepared';
import { pseudonym } from './server-secret';

export interface Limit {
  /** Names the limit's buckets in `rate_limits.purpose`. */
  purpose: string;
  /** Tokens a full bucket holds: what may be spent at once. */
  burst: number;
  /** One token comes back this often. */
  refillMs: number;
  /** How far below zero a flood of concurrent spends may drive the bucket (it then waits longer); 0 when taking checks first. */
  maxDebt: number;
  /** The 429's message for API users (screens show their own text). */
  refusal: (wait: string) => string;
}

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/**
 * Wrong join codes per address. A school's phones share one public address, so the bucket holds a
 * whole class's typos at once (two classes of 60, each student mistyping twice, and more). An
 * address without a token is refused every code, right or wrong, so that guessing learns nothing
 * while it waits.
 *
 * What a guesser gets: the code space is 31^6 = 887 503 681 codes. One address may spend the burst
 * and then one guess per 30 s, {@link GUESSES_PER_DAY} a day at most; with 10 000 sessions open at
 * once, each guess finds one with probability 10 000 / 31^6 ≈ 1.1 × 10⁻⁵, so one address finds
 * about 0.036 sessions a day: one every four weeks (README, "Join codes and seats").
 */
export const CODE_GUESSES: Limit = {
  purpose: 'code-guesses',
  burst: 300,
  refillMs: 30_000,
  maxDebt: 20,
  refusal: (wait) => `Too many wrong codes from this network. Wait ${wait} and try again.`,
};
/** The most wrong codes one address can send in a day: the burst, then the refill. */
export const GUESSES_PER_DAY = CODE_GUESSES.burst + day / CODE_GUESSES.refillMs;

/**
 * Failed sign-ins of one account from one address: counted when they fail (not every attempt), and
 * a success from that address clears them. So a stranger typing a teacher's email with wrong
 * passwords, even ten a minute, uses up only their own address's bucket: the teacher elsewhere, or
 * at the same school but signing in right, is not locked out. A guesser gets the burst, then one
 * try every 3 minutes (about 480 a day) per address.
 */
export const SIGNIN_FAILURES: Limit = {
  purpose: 'signin-failures',
  burst: 10,
  refillMs: 3 * minute,
  maxDebt: 5,
  refusal: (wait) => `Too many wrong passwords for this account from this network. Wait ${wait} and try again.`,
};

/**
 * Failed sign-ins of one account from anywhere: looser, against a guesser with many addresses.
 * When it is used up, addresses that have failed for the account lately are refused, while one
 * that has not (the teacher's own, most likely) may still try (../routes/auth.ts): each new address
 * gets a try or so, where one address alone gets hundreds.
 */
export const ACCOUNT_FAILURES: Limit = {
  purpose: 'account-failures',
  burst: 100,
  refillMs: 36_000,
  maxDebt: 20,
  refusal: (wait) => `Too many wrong passwords for this account. Wait ${wait} and try again.`,
};

/** New accounts per address: 10 an hour. A school's teachers sign up over days, not in one hour. */
export const REGISTRATIONS: Limit = {
  purpose: 'registrations',
  burst: 10,
  refillMs: 6 * minute,
  maxDebt: 0,
  refusal: (wait) => `Too many new accounts from this network. Wait ${wait} and try again.`,
};

/**
 * Quick sessions (opened without signing in) per address: 60 an hour. Each draws from the whole
 * bank and stores its questions; a school's teachers open a few each in a morning.
 */
export const QUICK_SESSIONS: Limit = {
  purpose: 'quick-sessions',
  burst: 60,
  refillMs: minute,
  maxDebt: 0,
  refusal: (wait) =>
    `Too many sessions opened without an account from this network. Sign in, or wait ${wait} and try again.`,
};

/**
 * Questions an account creates (written, imported or accepted drafts): 2 000 a day. A teacher
 * bringing a whole bank over imports a few hundred in a day; the bucket lets a big import through
 * at once and refills one question every 43 seconds.
 */
export const QUESTIONS: Limit = {
  purpose: 'questions',
  burst: 2000,
  refillMs: day / 2000,
  maxDebt: 0,
  refusal: (wait) => `You have created a great many questions today. Wait ${wait} and try again.`,
};

/** The most questions one GIFT import may create: a long unit's worth; more is a file to split. */
export const MAX_IMPORT_QUESTIONS = 500;

/** GIFT imports per account, each counted before it is parsed: 30 an hour, for a teacher mending a file too. */
export const IMPORTS: Limit = {
  purpose: 'imports',
  burst: 30,
  refillMs: 2 * minute,
  maxDebt: 0,
  refusal: (wait) => `Too many imports. Wait ${wait} and try again.`,
};

// The buckets -------------------------------------------------------------------------------

export type Bucket = { tokens: number; at: number } | undefined;

/** A bucket's row, for the caller's batch. Values: purpose, key. (Prepared once per isolate, see ./prepared.) */
export const bucketOf = prepared((db) =>
  db
    .select({ tokens: rateLimits.tokens, at: rateLimits.at })
    .from(rateLimits)
    .where(and(eq(rateLimits.purpose, sql.placeholder('purpose')), eq(rateLimits.key, sql.placeholder('key')))),
);

/** Tokens the bucket has now. */
export const tokensNow = (limit: Limit, bucket: Bucket, now: number): number =>
  bucket ? Math.min(limit.burst, bucket.tokens + (now - bucket.at) / limit.refillMs) : limit.burst;

/** Whole seconds until the bucket has `cost` tokens; 0 when it has them. */
export const waitSeconds = (limit: Limit, bucket: Bucket, now: number, cost = 1): number => {
  const tokens = tokensNow(limit, bucket, now);
  return tokens >= cost ? 0 : Math.ceil(((cost - tokens) * limit.refillMs) / 1000);
};

/** The tokens a stored bucket has at the upserted row's time, in SQL. */
const refilled = (limit: Limit) =>
  sql`min(${limit.burst}, ${rateLimits.tokens} + (excluded.at - ${rateLimits.at}) * 1.0 / ${limit.refillMs})`;

/** Deletes the limit's buckets that have been full for a while: their rows say nothing. */
const forgetFull = (db: Database, limit: Limit, now: number) =>
  db
    .delete(rateLimits)
    .where(
      and(
        eq(rateLimits.purpose, limit.purpose),
        lt(rateLimits.at, now - (limit.burst + limit.maxDebt) * limit.refillMs),
      ),
    );

/**
 * Statements that spend `cost` tokens whether the bucket has them or not (down to `-maxDebt`), each
 * concurrent spend counted: for what is counted once it has happened (a wrong code, a failed
 * sign-in) after the caller checked the bucket. For the caller's batch.
 */
export const spending = (db: Database, limit: Limit, key: string, now: number, cost = 1) =>
  [
    db
      .insert(rateLimits)
      .values({ purpose: limit.purpose, key, tokens: limit.burst - cost, at: now })
      .onConflictDoUpdate({
        target: [rateLimits.purpose, rateLimits.key],
        set: { tokens: sql`max(${-limit.maxDebt}, ${refilled(limit)} - ${cost})`, at: sql`excluded.at` },
      }),
    forgetFull(db, limit, now),
  ] as const;

/** Forgets a key's bucket (it is full again): a successful sign-in clears its failures. */
export const forgetting = (db: Database, limit: Limit, key: string) =>
  db.delete(rateLimits).where(and(eq(rateLimits.purpose, limit.purpose), eq(rateLimits.key, key)));

/**
 * Takes `cost` tokens if the bucket has them, in one atomic statement (concurrent requests cannot
 * both take the last token); otherwise takes nothing and returns the seconds to wait.
 */
export async function take(db: Database, limit: Limit, key: string, now: number, cost = 1): Promise<number> {
  if (cost > limit.burst) throw new Error(`${limit.purpose}: ${cost} tokens can never be taken`);
  const [taken] = await db.batch([
    db
      .insert(rateLimits)
      .values({ purpose: limit.purpose, key, tokens: limit.burst - cost, at: now })
      .onConflictDoUpdate({
        target: [rateLimits.purpose, rateLimits.key],
        set: { tokens: sql`${refilled(limit)} - ${cost}`, at: sql`excluded.at` },
        setWhere: sql`${refilled(limit)} >= ${cost}`,
      })
      .returning({ tokens: rateLimits.tokens }),
    forgetFull(db, limit, now),
  ]);
  if (taken.length > 0) return 0;
  const [bucket] = await bucketOf(db).all({ purpose: limit.purpose, key });
  return Math.max(1, waitSeconds(limit, bucket, now, cost));
}

// Requests ------------------------------------------------------------------------------------

/** A wait in words: seconds, or whole minutes from two minutes on, or hours from two hours on. */
const inWords = (seconds: number) =>
  seconds >= 7200
    ? `${Math.ceil(seconds / 3600)} hours`
    : seconds >= 120
      ? `${Math.ceil(seconds / 60)} minutes`
      : `${seconds} seconds`;

/** The 429 of a limit, with how long to wait. */
export const refused = (limit: Limit, seconds: number) =>
  new ApiError(429, 'too_many_attempts', limit.refusal(inWords(seconds)), { retryAfterSec: seconds });

/** The bucket key of `subject` (an address, an account, or both) under the server's key. */
export const bucketKey = (c: Context<AppEnv>, ...subject: string[]) => pseudonym(c.env, ...subject);

/** Takes `cost` tokens from the bucket of `subject` for `limit`, or throws its 429. */
export async function enforce(c: Context<AppEnv>, limit: Limit, subject: string[], cost = 1): Promise<void> {
  const wait = await take(database(c.env.DB), limit, await bucketKey(c, ...subject), Date.now(), cost);
  if (wait > 0) throw refused(limit, wait);
}
