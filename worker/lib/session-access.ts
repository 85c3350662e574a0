/**
 * Who may manage a session: the signed-in teacher who owns it, or whoever holds its secret
 * teacher link (the key, as `Authorization: Bearer`). Anything else is 401 (nobody) or 404.
 */
import type { Context } from 'hono';
import { eq } from 'drizzle-orm';
import { sessions } from '../../db/schema';
import type { AppEnv } from '../env';
import { sha256 } from './crypto';
import { database } from './db';
import { ApiError } from './errors';
import { currentTeacher } from './teacher-auth';

const notFound = () =>
  new ApiError(404, 'session_not_found', 'This session does not exist (it may have been deleted).');

/** The session with this id, if the request may manage it. */
export async function managedSession(c: Context<AppEnv>, id: string) {
  const db = database(c.env.DB);
  const header = c.req.header('Authorization');
  const session = await db.query.sessions.findFirst({ where: eq(sessions.id, id) });
  if (header) {
    const key = /^Bearer ([A-Za-z0-9_-]{16,128})$/.exec(header)?.[1];
    if (!session) throw notFound();
    if (!key || session.teacherKeyHash !== (await sha256(key)))
      throw new ApiError(403, 'forbidden', 'This link does not open this session.');
    if (session.teacherKeyExpiresAt < Date.now())
      throw new ApiError(401, 'link_expired', 'This teacher link has expired.');
    return session;
  }
  const teacher = await currentTeacher(c);
  if (!teacher) throw new ApiError(401, 'unauthorized', 'Sign in, or open the private teacher link of this session.');
  // Another teacher's session is indistinguishable from one that does not exist.
  if (!session || session.ownerId !== teacher.id) throw notFound();
  return session;
}
