/**
 * Teacher accounts: register, sign in and out, who am I, change password; the account's settings,
 * its export and its deletion.
 */
import { Hono, type Context } from 'hono';
import { and, eq, ne, sql } from 'drizzle-orm';
import { sessions, userSessions, users } from '../../db/schema';
import { nicknameKey, type AccountSettings, type Teacher } from '../contract';
import type { AppEnv } from '../env';
import { deleteAccount, exportAccount } from '../lib/account';
import { clientAddress } from '../lib/client-address';
import { randomToken } from '../lib/crypto';
import { database, isUniqueViolation } from '../lib/db';
import { ApiError } from '../lib/errors';
import {
  ACCOUNT_FAILURES,
  bucketKey,
  bucketOf,
  enforce,
  forgetting,
  refused,
  REGISTRATIONS,
  SIGNIN_FAILURES,
  spending,
  tokensNow,
  waitSeconds,
} from '../lib/limits';
import { DEFAULT_BLOCKED_WORDS } from '../lib/nicknames';
import { hashPassword, NO_ACCOUNT, verifyPassword } from '../lib/password';
import { changed } from '../lib/play-rooms';
import { batch, prepared } from '../lib/prepared';
import { currentTeacher, endSession, requireTeacher, startSession } from '../lib/teacher-auth';
import { validate } from '../lib/validate';
import {
  accountSettingsBody,
  blocklistBody,
  deleteAccountBody,
  passwordBody,
  registerBody,
  signInBody,
} from '../requests';

/**
 * A coarse ceiling on password hashing per address, at ≈ 15 ms of CPU a hash: every registration,
 * sign-in and password change hashes once. Cloudflare's rate-limiting binding (60 a minute, see
 * wrangler.toml) counts per location and only eventually, which is good enough for a flood guard
 * and costs no D1 write; the exact limits (failures, registrations) are kept in D1 (../lib/limits).
 */
async function limitHashing(c: Context<AppEnv>) {
  const { success } = await c.env.SIGNIN_LIMITER.limit({ key: await bucketKey(c, 'hashing', clientAddress(c)) });
  if (!success)
    throw new ApiError(429, 'too_many_attempts', 'Too many requests from this network. Wait a minute and try again.', {
      retryAfterSec: 60,
    });
}

/** An account by its (lower-cased) email. Values: email. */
const userByEmail = prepared((db) =>
  db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      hash: users.passwordHash,
      salt: users.passwordSalt,
      iterations: users.passwordIterations,
    })
    .from(users)
    .where(eq(users.email, sql.placeholder('email'))),
);

/**
 * Checks a password for the account of `email`, counting failures rather than attempts: per account
 * and address (SIGNIN_FAILURES), and per account from anywhere (ACCOUNT_FAILURES, which refuses only
 * addresses that have failed for the account lately, so the teacher's own still gets in). A success
 * clears its address's failures. An unknown email is checked against a hash of no account, so it
 * costs what a known one does and the answer's time does not tell whether the account exists.
 * Returns the account when the password is right.
 */
async function checkPassword(c: Context<AppEnv>, email: string, password: string) {
  const db = database(c.env.DB);
  const now = Date.now();
  const [pairKey, accountKey] = await Promise.all([bucketKey(c, email, clientAddress(c)), bucketKey(c, email)]);
  const [pairs, accounts, found] = await batch(db, [
    [bucketOf(db), { purpose: SIGNIN_FAILURES.purpose, key: pairKey }],
    [bucketOf(db), { purpose: ACCOUNT_FAILURES.purpose, key: accountKey }],
    [userByEmail(db), { email }],
  ]);
  const pairWait = waitSeconds(SIGNIN_FAILURES, pairs[0], now);
  if (pairWait > 0) throw refused(SIGNIN_FAILURES, pairWait);
  const accountWait = waitSeconds(ACCOUNT_FAILURES, accounts[0], now);
  if (accountWait > 0 && tokensNow(SIGNIN_FAILURES, pairs[0], now) < SIGNIN_FAILURES.burst)
    throw refused(ACCOUNT_FAILURES, accountWait);
  const user = found[0];
  const right = await verifyPassword(password, user ?? NO_ACCOUNT);
  if (user && right) {
    if (pairs[0]) await forgetting(db, SIGNIN_FAILURES, pairKey);
    return user;
  }
  await db.batch([...spending(db, SIGNIN_FAILURES, pairKey, now), ...spending(db, ACCOUNT_FAILURES, accountKey, now)]);
  return undefined;
}

export const authRoute = new Hono<AppEnv>()
  .post('/register', validate('json', registerBody), async (c) => {
    const body = c.req.valid('json');
    await limitHashing(c);
    await enforce(c, REGISTRATIONS, [clientAddress(c)]);
    const db = database(c.env.DB);
    const id = randomToken(12);
    const hashed = await hashPassword(body.password);
    try {
      await db.insert(users).values({
        id,
        email: body.email,
        name: body.name,
        passwordHash: hashed.hash,
        passwordSalt: hashed.salt,
        passwordIterations: hashed.iterations,
        createdAt: Date.now(),
      });
    } catch (err) {
      if (isUniqueViolation(err, 'users.email'))
        throw new ApiError(409, 'email_taken', 'An account with this email exists already. Sign in instead.');
      throw err;
    }
    await startSession(c, id);
    return c.json({ teacher: { id, email: body.email, name: body.name } satisfies Teacher }, 201);
  })
  .post('/signin', validate('json', signInBody), async (c) => {
    const body = c.req.valid('json');
    await limitHashing(c);
    const user = await checkPassword(c, body.email, body.password);
    if (!user) throw new ApiError(401, 'wrong_credentials', 'That email and password do not match an account.');
    await startSession(c, user.id);
    return c.json({ teacher: { id: user.id, email: user.email, name: user.name } satisfies Teacher });
  })
  .post('/signout', async (c) => {
    await endSession(c);
    return c.body(null, 204);
  })
  .get('/me', async (c) => {
    const teacher = await currentTeacher(c);
    if (!teacher) throw new ApiError(401, 'signed_out', 'Not signed in.');
    c.header('Cache-Control', 'no-store');
    return c.json({ teacher: { id: teacher.id, email: teacher.email, name: teacher.name } satisfies Teacher });
  })
  .get('/blocklist', requireTeacher, async (c) => {
    const user = await database(c.env.DB).query.users.findFirst({ where: eq(users.id, c.get('teacher').id) });
    return c.json({ defaults: DEFAULT_BLOCKED_WORDS, words: user?.blockedWords ?? [] });
  })
  .put('/blocklist', requireTeacher, validate('json', blocklistBody), async (c) => {
    // Stored folded, as nicknames are compared.
    const words = [...new Set(c.req.valid('json').words.map(nicknameKey))];
    const db = database(c.env.DB);
    await db
      .update(users)
      .set({ blockedWords: words })
      .where(eq(users.id, c.get('teacher').id));
    // The rooms of the teacher's open sessions check the next nicknames against the new list.
    const open = await db
      .select({ id: sessions.id })
      .from(sessions)
      .where(and(eq(sessions.ownerId, c.get('teacher').id), eq(sessions.status, 'open')));
    await Promise.all(open.map((s) => changed(c.env, s)));
    return c.json({ defaults: DEFAULT_BLOCKED_WORDS, words });
  })
  .get('/account', requireTeacher, async (c) => {
    const user = await database(c.env.DB).query.users.findFirst({ where: eq(users.id, c.get('teacher').id) });
    return c.json({ keepResultsDays: user!.keepResultsDays } satisfies AccountSettings);
  })
  .put('/account', requireTeacher, validate('json', accountSettingsBody), async (c) => {
    const { keepResultsDays } = c.req.valid('json');
    await database(c.env.DB)
      .update(users)
      .set({ keepResultsDays })
      .where(eq(users.id, c.get('teacher').id));
    return c.json({ keepResultsDays } satisfies AccountSettings);
  })
  .get('/account/export', requireTeacher, async (c) => {
    const data = await exportAccount(c.env, c.get('teacher').id);
    const day = data.exportedAt.slice(0, 10);
    return c.body(JSON.stringify(data, null, 2), 200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="pomegranate-account-${day}.json"`,
    });
  })
  .delete('/account', requireTeacher, validate('json', deleteAccountBody), async (c) => {
    const me = c.get('teacher');
    // The password again, so that a browser left signed in cannot delete the account.
    await limitHashing(c);
    if (!(await checkPassword(c, me.email, c.req.valid('json').password)))
      throw new ApiError(403, 'wrong_password', 'The current password is not right.');
    await deleteAccount(c.env, me.id);
    await endSession(c);
    return c.body(null, 204);
  })
  .post('/password', requireTeacher, validate('json', passwordBody), async (c) => {
    const body = c.req.valid('json');
    const db = database(c.env.DB);
    const me = c.get('teacher');
    await limitHashing(c);
    if (!(await checkPassword(c, me.email, body.current)))
      throw new ApiError(403, 'wrong_password', 'The current password is not right.');
    const hashed = await hashPassword(body.next);
    const current = (await currentTeacher(c))!;
    // A new password signs out every other browser.
    await db.batch([
      db
        .update(users)
        .set({ passwordHash: hashed.hash, passwordSalt: hashed.salt, passwordIterations: hashed.iterations })
        .where(eq(users.id, me.id)),
      db.delete(userSessions).where(and(eq(userSessions.userId, me.id), ne(userSessions.tokenHash, current.tokenHash))),
    ]);
    return c.body(null, 204);
  });
