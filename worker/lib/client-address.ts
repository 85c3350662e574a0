/**
 * Who a request comes from, for the limits kept per address (./limits.ts) and the seats per network
 * (../routes/codes.ts).
 *
 * Behind Cloudflare, `CF-Connecting-IP` is always there: the edge sets it from the connection and
 * overwrites whatever the client sent. `wrangler dev` (Miniflare) sets it from the socket as well.
 * A Worker has no other way to learn the connection's remote address (the runtime exposes none), so
 * a request without the header comes from outside both: the test pool, or a script calling the
 * handler. Such requests must not all share one key (one client would use up everyone's limits),
 * so they are told apart by, in order:
 * - the first hop of `X-Forwarded-For`, which a local proxy in front adds. It is trusted only here,
 *   where no Cloudflare edge is in front (any client could write it, but in production it is never read);
 * - the `User-Agent` and `Accept-Language` headers, as a last resort: they tell apart browsers and
 *   tools, not people, and a client can change them at will, so without Cloudflare in front the
 *   limits only keep honest clients from sharing one bucket, they do not stop an attacker.
 */
import type { Context } from 'hono';

export function clientAddress(c: Context): string {
  const connecting = c.req.header('CF-Connecting-IP');
  if (connecting) return connecting;
  const forwarded = c.req.header('X-Forwarded-For')?.split(',')[0]?.trim();
  if (forwarded) return `forwarded:${forwarded}`;
  return `agent:${c.req.header('User-Agent') ?? ''}\n${c.req.header('Accept-Language') ?? ''}`;
}
