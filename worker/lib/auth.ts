/** Bearer tokens: students' device tokens and teachers' secret keys travel in `Authorization`. */
import type { Context } from 'hono';
import { ApiError } from './errors';
import { sha256 } from './crypto';

/** SHA-256 of the request's bearer token; 401 when there is none. */
export async function bearerHash(c: Context): Promise<string> {
  const header = c.req.header('Authorization') ?? '';
  const match = /^Bearer ([A-Za-z0-9_-]{16,128})$/.exec(header);
  if (!match) throw new ApiError(401, 'unauthorized', 'Sign-in token missing: join the quiz again with its code.');
  return sha256(match[1]!);
}
