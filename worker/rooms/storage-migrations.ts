/**
 * Versioned schema changes for a Durable Object's own SQLite storage (`ctx.storage.sql`).
 *
 * A room lists its steps in order; step n (counting from 1) brings its tables to version n. Each
 * object records the steps applied to its storage in a `_migrations` table, so that every step runs
 * once per object however often the object is constructed. A table, not `PRAGMA user_version`: the
 * Durable Object's SQL API refuses that pragma (SQLITE_AUTH). A table also goes with `deleteAll()`,
 * together with the tables it describes. Each step commits together with its record.
 *
 * Steps are never edited or reordered once deployed: a change is a new step at the end. Step 1 of
 * each room says `IF NOT EXISTS`, because objects created before versions were recorded have its
 * tables but no record.
 */

/** A room's schema steps, oldest first; a step may hold several statements. */
export type Migrations = readonly string[];

const RECORD = 'CREATE TABLE IF NOT EXISTS _migrations (version INTEGER PRIMARY KEY)';

/** True when the object has tables of its own (the runtime's `_cf_` tables aside). */
export function hasOwnTables(sql: SqlStorage): boolean {
  const own = "type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'";
  return sql.exec<{ n: number }>(`SELECT count(*) AS n FROM sqlite_master WHERE ${own}`).one().n > 0;
}

/** The last step applied to the object's storage; 0 when none is recorded. */
export function schemaVersion(sql: SqlStorage): number {
  const recorded = sql.exec<{ n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE name = '_migrations'");
  if (recorded.one().n === 0) return 0;
  return sql.exec<{ v: number | null }>('SELECT max(version) AS v FROM _migrations').one().v ?? 0;
}

/**
 * Applies the steps the object has not applied yet, each in one transaction with its record, and
 * returns how many ran. Storage ahead of `steps` (the code was rolled back) is left as it is rather
 * than refused: a room that stops working is worse than one that ignores what it does not know.
 */
export function migrate(storage: DurableObjectStorage, steps: Migrations): number {
  const { sql } = storage;
  const from = schemaVersion(sql);
  const pending = steps.slice(from);
  pending.forEach((step, i) =>
    storage.transactionSync(() => {
      sql.exec(RECORD);
      // One statement per call: under `wrangler dev` a call with several ran only the first.
      for (const statement of step.split(';')) if (statement.trim()) sql.exec(statement);
      sql.exec('INSERT INTO _migrations (version) VALUES (?)', from + i + 1);
    }),
  );
  return pending.length;
}

/**
 * Brings the object's tables up to date before it handles any event: call from the room's constructor.
 * `onlyIfUsed` leaves an object that has stored nothing empty (its tables then come with its first write).
 */
export function migrateOnStart(ctx: DurableObjectState, steps: Migrations, { onlyIfUsed = false } = {}): void {
  void ctx.blockConcurrencyWhile(async () => {
    if (!onlyIfUsed || hasOwnTables(ctx.storage.sql)) migrate(ctx.storage, steps);
  });
}
