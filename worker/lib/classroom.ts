/**
 * Classroom mode: `npm run classroom` (scripts/classroom.ts) serves the product from a teacher's
 * laptop to the phones on the school's Wi-Fi and sets `JOIN_ORIGIN` to the laptop's address there
 * (`http://192.168.1.20:8787`). Empty on the cloud, where none of this applies.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv, Env } from '../env';
import { ApiError } from './errors';
import type { JoinOrigin } from '../contract';

/** Names of the laptop itself: the teacher may open the pages there. */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The address the phones use, or null outside classroom mode. */
export const joinOrigin = (env: Pick<Env, 'JOIN_ORIGIN'>): string | null => env.JOIN_ORIGIN || null;

/** Whether a request's `Host` header names this server in classroom mode: its join address or the laptop itself. */
export function ownHost(host: string | undefined, origin: string): boolean {
  if (!host) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
  return LOOPBACK.has(hostname) || hostname === new URL(origin).hostname;
}

/**
 * Refuses, in classroom mode, API requests sent to this server under another name. A page of any
 * web site a phone or the laptop visits could otherwise reach the API by pointing a name of its own
 * at the laptop's address (DNS rebinding) and read what a session's token or the teacher's cookie
 * opens. The browser sends the name the page used as `Host`, so the check needs no cooperation.
 */
export const onlyOwnHost: MiddlewareHandler<AppEnv> = async (c, next) => {
  const origin = joinOrigin(c.env);
  if (origin && !ownHost(c.req.header('Host'), origin))
    throw new ApiError(421, 'unknown_host', `This server answers at ${origin} only.`);
  await next();
};

/** `GET /api/join-origin`: the address to show in join links and QR codes (null: the page's own origin). */
export const joinOriginBody = (env: Pick<Env, 'JOIN_ORIGIN'>): JoinOrigin => ({ origin: joinOrigin(env) });
