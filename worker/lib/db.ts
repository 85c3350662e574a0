/** The drizzle handle over the request's D1 binding. */
import { drizzle } from 'drizzle-orm/d1';
import * as schema from '../../db/schema';

/** A drizzle database over `d1`, typed with the app's schema. */
export const database = (d1: D1Database) => drizzle(d1, { schema });
export type Database = ReturnType<typeof database>;

/** True when `err` (or its cause, as drizzle wraps D1's errors) is a UNIQUE constraint failure on `target` (e.g. "sessions.code"). */
export function isUniqueViolation(err: unknown, target: string): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    const message = String((e as { message?: unknown }).message ?? e);
    if (message.includes('UNIQUE constraint failed') && message.includes(target)) return true;
  }
  return false;
}
