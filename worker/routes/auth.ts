/**
 * Teacher accounts: register, sign in and out, who am I, change password; the account's settings,
 * its export and its deletion.
 */
import { Hono, type Context } from 'hono';
import { and, eq, ne } from 'drizzle-orm';
import { userSessions, users } from '../../db/schema';
import { nicknameKey, type AccountSettings, type Teacher } from '../contract';
import type { AppEnv } from '../env';
import { deleteAccount, exportAccount } from '../lib/account';
import { randomToken } from '../lib/crypto';
import { database, isUniqueViolation } from '../lib/db';
import { ApiError } from '../lib/errors';
import { DEFAULT_BLOCKED_WORDS } from '../lib/nicknames';
import { hashPassword, verifyPassword } from '../lib/password';
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

/** Rate-limits sign-in attempts per IP and per account: 429 with Retry-After when over. */
async function limitSignIn(c: Context<AppEnv>, account: string) {
  const ip = c.req.header('CF-Connecting-IP') ?? 'local';
  const [byIp, byAccount] = await Promise.all([
    c.env.SIGNIN_LIMITER.limit({ key: `ip:${ip}` }),
    c.env.SIGNIN_LIMITER.limit({ key: `account:${account}` }),
  ]);
  if (!byIp.success || !byAccount.success) {
    throw new ApiError(429, 'too_many_attempts', 'Too many sign-in attempts. Wait a minute and try again.', {
      retryAfterSec: 60,
    });
  }
}

/** The signed-in teacher's password, asked again before the account is deleted: 403 when wrong (rate-limited like a sign-in). */
async function checkPassword(c: Context<AppEnv>, password: string): Promise<void> {
  const user = (await database(c.env.DB).query.users.findFirst({ where: eq(users.id, c.get('teacher').id) }))!;
  await limitSignIn(c, user.email);
  if (
    !(await verifyPassword(password, {
      hash: user.passwordHash,
      salt: user.passwordSalt,
      iterations: user.passwordIterations,
    }))
  )
    throw new ApiError(403, 'wrong_password', 'The current password is not right.');
}

export const authRoute = new Hono<AppEnv>()
  .post('/register', validate('json', registerBody), async (c) => {
    const body = c.req.valid('json');
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
    await limitSignIn(c, body.email);
    const user = await database(c.env.DB).query.users.findFirst({ where: eq(users.email, body.email) });
    const ok =
      user !== undefined &&
      (await verifyPassword(body.password, {
        hash: user.passwordHash,
        salt: user.passwordSalt,
        iterations: user.passwordIterations,
      }));
    if (!ok || !user) throw new ApiError(401, 'wrong_credentials', 'That email and password do not match an account.');
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
    await database(c.env.DB)
      .update(users)
      .set({ blockedWords: words })
      .where(eq(users.id, c.get('teacher').id));
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
    await checkPassword(c, c.req.valid('json').password);
    await deleteAccount(c.env, c.get('teacher').id);
    await endSession(c);
    return c.body(null, 204);
  })
  .post('/password', requireTeacher, validate('json', passwordBody), async (c) => {
    const body = c.req.valid('json');
    const db = database(c.env.DB);
    const me = c.get('teacher');
    const user = (await db.query.users.findFirst({ where: eq(users.id, me.id) }))!;
    await limitSignIn(c, user.email);
    if (
      !(await verifyPassword(body.current, {
        hash: user.passwordHash,
        salt: user.passwordSalt,
        iterations: user.passwordIterations,
      }))
    )
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
