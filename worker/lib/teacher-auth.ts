/**
 * Teachers' sign-in sessions: a random token in an HttpOnly, SameSite=Lax cookie (Secure outside
 * localhost), stored in D1 only as its hash, with an expiry, revocable at sign-out.
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { and, eq, gt } from 'drizzle-orm';
import { userSessions, users } from '../../db/schema';
import type { Teacher } from '../contract';
import type { AppEnv } from '../env';
import { randomToken, sha256 } from './crypto';
import { database } from './db';
import { ApiError } from './errors';

export const SESSION_COOKIE = 'pg_session';
/** A sign-in lasts this long. */
export const USER_SESSION_TTL_MS = 30 * 24 * 3600 * 1000;

const isLocal = (c: Context) => ['localhost', '127.0.0.1', '[::1]'].includes(new URL(c.req.url).hostname);

/** Starts a sign-in session for `userId` and sets its cookie. */
export async function startSession(c: Context<AppEnv>, userId: string): Promise<void> {
  const token = randomToken(32);
  const now = Date.now();
  await database(c.env.DB)
    .insert(userSessions)
    .values({ tokenHash: await sha256(token), userId, createdAt: now, expiresAt: now + USER_SESSION_TTL_MS });
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: !isLocal(c),
    path: '/',
    maxAge: USER_SESSION_TTL_MS / 1000,
  });
}

/** Ends the request's sign-in session (row and cookie). */
export async function endSession(c: Context<AppEnv>): Promise<void> {
  const token = getCookie(c, SESSION_COOKIE);
  if (token)
    await database(c.env.DB)
      .delete(userSessions)
      .where(eq(userSessions.tokenHash, await sha256(token)));
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: !isLocal(c) });
}

/** The signed-in teacher, or null. One query. */
export async function currentTeacher(c: Context<AppEnv>): Promise<(Teacher & { tokenHash: string }) | null> {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token || token.length > 128) return null;
  const tokenHash = await sha256(token);
  const [row] = await database(c.env.DB)
    .select({ id: users.id, email: users.email, name: users.name })
    .from(userSessions)
    .innerJoin(users, eq(users.id, userSessions.userId))
    .where(and(eq(userSessions.tokenHash, tokenHash), gt(userSessions.expiresAt, Date.now())));
  return row ? { ...row, tokenHash } : null;
}

/** Middleware: 401 unless a teacher is signed in; sets `c.var.teacher`. */
export const requireTeacher = createMiddleware<AppEnv>(async (c, next) => {
  const teacher = await currentTeacher(c);
  if (!teacher) throw new ApiError(401, 'signed_out', 'Please sign in first.');
  c.set('teacher', { id: teacher.id, email: teacher.email, name: teacher.name });
  await next();
});
