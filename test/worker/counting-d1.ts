/**
 * A D1 binding that counts what reaches the database, for the cost budgets: every call
 * that crosses to D1 is one round trip (`batch()` once however many statements it carries;
 * `first()`, `all()`, `run()`, `raw()` of a prepared statement; `exec()`), and the rows each
 * statement read (`meta.rows_read`, which local D1 reports like production) are summed.
 *
 * `raw()` (what drizzle's selects use) returns bare arrays without `meta`. To still count its rows,
 * the wrapper runs the same statement once more with `all()` *outside the count*, only to read its
 * `meta`: `raw()` is only ever used for reads, so the shadow run has no effect on the data.
 */

export interface D1Counts {
  /** Calls that reached D1. */
  roundTrips: number;
  /** Sum of `meta.rows_read` over every statement. */
  rowsRead: number;
  /** Sum of `meta.rows_written`. */
  rowsWritten: number;
  /** Every statement, in order (a batch's statements each appear once) with the rows it read and wrote, for failure messages. */
  statements: { sql: string; rowsRead: number; rowsWritten?: number }[];
  /** The SQL of each round trip, in order (a batch's statements together). */
  trips: string[][];
}

export interface CountingD1 {
  db: D1Database;
  counts: D1Counts;
  reset(): void;
}

type Meta = { rows_read?: number; rows_written?: number } | undefined;

/** Wraps `inner`; the counts start at zero and grow with every call through `db`. */
export function countingD1(inner: D1Database): CountingD1 {
  const counts: D1Counts = { roundTrips: 0, rowsRead: 0, rowsWritten: 0, statements: [], trips: [] };
  const addMeta = (sql: string, meta: Meta) => {
    counts.rowsRead += meta?.rows_read ?? 0;
    counts.rowsWritten += meta?.rows_written ?? 0;
    counts.statements.push({ sql, rowsRead: meta?.rows_read ?? 0, rowsWritten: meta?.rows_written ?? 0 });
  };

  /** A prepared statement that remembers its SQL and the real statement it stands for. */
  class Statement {
    constructor(
      readonly sql: string,
      readonly real: D1PreparedStatement,
    ) {}

    bind(...values: unknown[]): Statement {
      return new Statement(this.sql, this.real.bind(...values));
    }

    private trip() {
      counts.roundTrips++;
      counts.trips.push([this.sql]);
    }

    async first(column?: string): Promise<unknown> {
      this.trip();
      // `first()` carries no meta either: read the rows of a shadow `all()`, uncounted.
      addMeta(this.sql, (await this.real.all()).meta as Meta);
      return column === undefined ? this.real.first() : this.real.first(column);
    }

    async run(): Promise<D1Result> {
      this.trip();
      const result = await this.real.run();
      addMeta(this.sql, result.meta as Meta);
      return result;
    }

    async all(): Promise<D1Result> {
      this.trip();
      const result = await this.real.all();
      addMeta(this.sql, result.meta as Meta);
      return result;
    }

    async raw(options?: { columnNames?: boolean }): Promise<unknown[]> {
      this.trip();
      const rows = await (this.real.raw as (o?: { columnNames?: boolean }) => Promise<unknown[]>)(options);
      addMeta(this.sql, (await this.real.all()).meta as Meta);
      return rows;
    }
  }

  const db = {
    prepare: (sql: string) => new Statement(sql, inner.prepare(sql)),
    async batch(statements: Statement[]) {
      counts.roundTrips++;
      counts.trips.push(statements.map((s) => s.sql));
      const results = await inner.batch(statements.map((s) => s.real));
      results.forEach((r, i) => addMeta(statements[i]!.sql, r.meta as Meta));
      return results;
    },
    async exec(sql: string) {
      counts.roundTrips++;
      counts.trips.push([sql]);
      counts.statements.push({ sql, rowsRead: 0 });
      return inner.exec(sql);
    },
    withSession() {
      throw new Error('countingD1: withSession is not counted yet; extend the wrapper before using it');
    },
    dump: () => inner.dump(),
  };

  return {
    db: db as unknown as D1Database,
    counts,
    reset() {
      counts.roundTrips = 0;
      counts.rowsRead = 0;
      counts.rowsWritten = 0;
      counts.statements = [];
      counts.trips = [];
    },
  };
}
