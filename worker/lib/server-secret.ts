/**
 * The key that client addresses and accounts are hashed with before they are stored (limits'
 * buckets): an HMAC under a secret of the server's, so that a stored value cannot be matched to an
 * address by hashing the 2³² IPv4 addresses, as a plain SHA-256 could.
 *
 * The `ADDRESS_KEY` secret is used when set (`wrangler secret put ADDRESS_KEY`). Without it, the
 * Worker makes a random key on first use and keeps it in D1 (`server_secrets`), so neither local
 * runs nor a deploy need a manual step. Concurrent first uses agree on one key: the first insert
 * wins and everyone reads what is stored.
 */
import { eq } from 'drizzle-orm';
import { serverSecrets } from '../../db/schema';
import type { Env } from '../env';
import { keyedHash, randomToken } from './crypto';
import { database } from './db';

const NAME = 'address-key';

/** Per isolate and D1 binding: read once, then from memory (a failed read is tried again next time). */
const cache = new WeakMap<D1Database, Promise<string>>();

async function storedKey(d1: D1Database): Promise<string> {
  const db = database(d1);
  const [, rows] = await db.batch([
    db
      .insert(serverSecrets)
      .values({ name: NAME, value: randomToken(32), createdAt: Date.now() })
      .onConflictDoNothing(),
    db.select({ value: serverSecrets.value }).from(serverSecrets).where(eq(serverSecrets.name, NAME)),
  ]);
  return rows[0]!.value;
}

/** The server's key for hashing addresses and accounts. */
export function addressKey(env: Pick<Env, 'DB' | 'ADDRESS_KEY'>): Promise<string> {
  if (env.ADDRESS_KEY) return Promise.resolve(env.ADDRESS_KEY);
  let key = cache.get(env.DB);
  if (!key) {
    key = storedKey(env.DB);
    cache.set(env.DB, key);
    key.catch(() => cache.delete(env.DB));
  }
  return key;
}

/** A stable pseudonym of `parts` (an address, an email, or both) under the server's key. */
export async function pseudonym(env: Pick<Env, 'DB' | 'ADDRESS_KEY'>, ...parts: string[]): Promise<string> {
  return keyedHash(await addressKey(env), parts.join('\n'));
}
