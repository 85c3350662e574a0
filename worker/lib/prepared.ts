/**
 * Prepared queries for the hot paths.
 *
 * Building a drizzle query (select → SQL text and parameter list) is not free: the student's
 * answer route built ≈ 1.3 ms worth of CPU of query objects on every request, more than its D1
 * round trips cost the Worker. A prepared query is built once, with `sql.placeholder('name')` where
 * the request's values go, and each request only binds the values. drizzle's `.prepare()` ties the
 * query to a D1 binding, so prepared queries are kept per database handle (one per binding and
 * isolate, see `database()` in ./db).
 *
 * `batch()` runs several prepared queries in one D1 round trip. drizzle's own `db.batch()` takes
 * query builders only; this does what it does (bind each statement, one `D1Database.batch`, map
 * each result with the query's own mapper) for prepared queries. It uses two members drizzle marks
 * internal (`stmt`, `mapResult`), pinned by the exact drizzle-orm version in package.json and
 * covered by the worker tests of every route that uses it.
 */
import { fillPlaceholders } from 'drizzle-orm';
import type { SQLitePreparedQuery } from 'drizzle-orm/sqlite-core';
import type { Database } from './db';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyPrepared = SQLitePreparedQuery<any>;
/** Values for a prepared query's placeholders, by name. */
export type Values = Record<string, unknown>;
/** What a prepared query yields (rows for a select, D1's result for a write). */
type ResultOf<Q> = Q extends { execute(values?: Values): Promise<infer R> } ? R : never;

/** A query built once per database handle, on first use; `build` must put placeholders where values vary. */
export function prepared<Q extends AnyPrepared>(build: (db: Database) => { prepare(): Q }): (db: Database) => Q {
  const cache = new WeakMap<Database, Q>();
  return (db) => {
    let query = cache.get(db);
    if (!query) cache.set(db, (query = build(db).prepare()));
    return query;
  };
}

interface Internals {
  stmt: D1PreparedStatement;
  mapResult(result: unknown, isFromBatch: boolean): unknown;
}

/** Runs prepared queries, each with its values, in one D1 batch (one round trip, atomic); results in order. */
export async function batch<const T extends readonly (readonly [AnyPrepared, Values])[]>(
  db: Database,
  items: T,
): Promise<{ -readonly [K in keyof T]: ResultOf<T[K][0]> }> {
  const statements = items.map(([query, values]) =>
    (query as unknown as Internals).stmt.bind(...fillPlaceholders(query.getQuery().params, values)),
  );
  const results = await db.$client.batch(statements);
  return results.map((result, i) => (items[i]![0] as unknown as Internals).mapResult(result, true)) as {
    -readonly [K in keyof T]: ResultOf<T[K][0]>;
  };
}
