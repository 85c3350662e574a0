/** The drizzle handle over the request's D1 binding. */
import type { BatchItem } from 'drizzle-orm/batch';
import { drizzle } from 'drizzle-orm/d1';
import * as schema from '../../db/schema';

const open = (d1: D1Database) => drizzle(d1, { schema });
export type Database = ReturnType<typeof open>;

/**
 * Performance: `drizzle(d1, { schema })` walks the whole schema to build its relational
 * config, ≈ 50 µs of CPU, on every call. The binding object is the same for every request an
 * isolate serves, so the handle is built once per binding and kept (a WeakMap: a binding that
 * goes away takes its handle with it; tests that wrap the binding get a handle of their own).
 */
const handles = new WeakMap<D1Database, Database>();

/** The drizzle database over `d1`, typed with the app's schema; one per binding. */
export function database(d1: D1Database): Database {
  let db = handles.get(d1);
  if (!db) handles.set(d1, (db = open(d1)));
  return db;
}

/** True when `err` (or its cause, as drizzle wraps D1's errors) is a UNIQUE constraint failure on `target` (e.g. "sessions.code"). */
export function isUniqueViolation(err: unknown, target: string): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    const message = String((e as { message?: unknown }).message ?? e);
    if (message.includes('UNIQUE constraint failed') && message.includes(target)) return true;
  }
  return false;
}

/** Runs a list of statements built at run time as one D1 batch (all or nothing); nothing when it is empty. */
export async function batchAll(db: Database, statements: BatchItem<'sqlite'>[]): Promise<void> {
  if (statements.length) await db.batch(statements as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
}
