/**
 * The live room's traffic with D1. In: the session's questions, copied into the room once.
 * Out: the room's results, copied into D1, the database the reports and class leaderboards read:
 * the same `answers` table as self-paced play (one row per student per question; `points`
 * includes the streak bonus) and the `participants` totals (`score`, `correct_count`, `position`
 * = questions played, `finished_at` at the end). At the end the session is closed in D1.
 *
 * Each sync sends everything not yet synced in one atomic D1 batch of at most a handful of
 * statements, whatever the number of students (rows travel as one JSON parameter each, expanded
 * with `json_each`). Every statement is idempotent (inserts `ON CONFLICT DO NOTHING`, totals set to
 * absolute values, deletes by id), so a sync that failed half-way or was repeated is harmless: the
 * room marks rows synced only after D1 answered, and retries the rest later.
 */
import { question as questionSchema } from '../questions/schema';
import type { HideChange, RoomStore } from './store';
import type { Question } from '../contract';

/**
 * The session's questions with their answer keys, in session order. A stored question that no longer
 * fits the schema is left out (and logged) rather than stopping the game.
 */
export async function readQuestions(
  db: D1Database,
  sessionId: string,
): Promise<{ position: number; question: Question }[]> {
  const { results } = await db
    .prepare(
      `SELECT sq.position AS position, q.data AS data
       FROM session_questions sq JOIN questions q ON q.id = sq.question_id
       WHERE sq.session_id = ? ORDER BY sq.position`,
    )
    .bind(sessionId)
    .all<{ position: number; data: string }>();
  const rows: { position: number; question: Question }[] = [];
  for (const r of results) {
    const parsed = questionSchema.safeParse(JSON.parse(r.data));
    if (parsed.success) rows.push({ position: r.position, question: parsed.data });
    else console.error(`live room: question at position ${r.position} does not fit the schema; left out`);
  }
  return rows;
}

/** Rows per JSON parameter (keeps each parameter far below D1's size limits). */
const CHUNK = 1000;

/** Splits rows into JSON parameters of at most {@link CHUNK} rows. */
export const chunks = <T>(items: T[]): T[][] =>
  Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));

/** Inserts answers given as one JSON array (?2) for session ?1, once each, skipping students no longer in D1. */
export const INSERT_ANSWERS = `INSERT INTO answers (participant_id, question_id, session_id, position, response, correct, points, time_ms, answered_at, hidden)
SELECT json_extract(j.value, '$.p'), json_extract(j.value, '$.q'), ?1, json_extract(j.value, '$.n'), json_extract(j.value, '$.r'),
       json_extract(j.value, '$.c'), json_extract(j.value, '$.pts'), json_extract(j.value, '$.t'), json_extract(j.value, '$.at'),
       coalesce(json_extract(j.value, '$.h'), 0)
FROM json_each(?2) AS j
WHERE EXISTS (SELECT 1 FROM participants p WHERE p.id = json_extract(j.value, '$.p') AND p.session_id = ?1)
ON CONFLICT DO NOTHING`;

// The unary `+` keeps SQLite from driving the join through the session index (a scan of the
// session's participants × the JSON array: 250 000 rows read for 500 students); with it, the plan is
// one primary-key lookup per JSON row (2 000 rows read, 25× faster locally).
const UPDATE_PARTICIPANTS = `UPDATE participants
SET score = json_extract(j.value, '$.s'), correct_count = json_extract(j.value, '$.c'), position = json_extract(j.value, '$.n'),
    finished_at = coalesce(participants.finished_at, json_extract(j.value, '$.f'))
FROM json_each(?2) AS j
WHERE participants.id = json_extract(j.value, '$.id') AND +participants.session_id = ?1`;

const DELETE_PARTICIPANTS = `DELETE FROM participants WHERE session_id = ?1 AND id IN (SELECT value FROM json_each(?2))`;

/** Sets whether open answers (JSON array ?2 of `{ p, q, h }`) of session ?1 are hidden from the word cloud. */
const UPDATE_HIDDEN = `UPDATE answers SET hidden = json_extract(j.value, '$.h')
FROM json_each(?2) AS j
WHERE answers.participant_id = json_extract(j.value, '$.p') AND answers.question_id = json_extract(j.value, '$.q')
  AND answers.session_id = ?1`;

const CLOSE_SESSION = `UPDATE sessions SET status = 'closed', closed_at = coalesce(closed_at, ?2) WHERE id = ?1`;

/** What one sync sends, and what to mark synced once D1 has it. */
interface SyncPlan {
  statements: D1PreparedStatement[];
  /** Questions whose scored answers were sent. */
  questionIds: string[];
  /** Hides and shows of open answers sent. */
  hides: HideChange[];
  /** Player changes up to this number were sent. */
  targetSeq: number;
  closesSession: boolean;
  /** For logs and tests. */
  counts: { answers: number; players: number; removed: number };
}

/** Plans a sync of everything not yet in D1; null when D1 is up to date. */
function planSync(store: RoomStore, db: D1Database): SyncPlan | null {
  const session = store.session();
  if (!session) return null;
  const game = store.game();

  const answers = store.unsyncedAnswers();
  const hides = store.unsyncedHides();
  const questionIds = store.unsyncedQuestionIds();
  const players = store.playersChangedAfter(game.syncedSeq);
  const removed = players.filter((p) => p.kicked).map((p) => p.id);
  const finishedAt = game.phase === 'ended' ? game.endedAt : null;
  const active = players.filter((p) => !p.kicked).map(({ kicked: _k, ...p }) => ({ ...p, f: finishedAt }));
  const closesSession = game.phase === 'ended' && !game.sessionClosedSynced;

  const statements: D1PreparedStatement[] = [
    ...chunks(removed).map((ids) => db.prepare(DELETE_PARTICIPANTS).bind(session.sessionId, JSON.stringify(ids))),
    ...chunks(answers).map((rows) => db.prepare(INSERT_ANSWERS).bind(session.sessionId, JSON.stringify(rows))),
    // After the inserts: a hide may concern an answer inserted by this very batch.
    ...chunks(hides).map((rows) => db.prepare(UPDATE_HIDDEN).bind(session.sessionId, JSON.stringify(rows))),
    ...chunks(active).map((rows) => db.prepare(UPDATE_PARTICIPANTS).bind(session.sessionId, JSON.stringify(rows))),
    ...(closesSession ? [db.prepare(CLOSE_SESSION).bind(session.sessionId, game.endedAt ?? Date.now())] : []),
  ];
  if (statements.length === 0 && questionIds.length === 0 && game.syncedSeq === game.seq) return null;
  const counts = { answers: answers.length, players: active.length, removed: removed.length };
  return { statements, questionIds, hides, targetSeq: game.seq, closesSession, counts };
}

/** Marks what `plan` sent as synced (after D1 confirmed the batch). */
function markSynced(store: RoomStore, plan: SyncPlan): void {
  store.transaction(() => {
    store.markAnswersSynced(plan.questionIds);
    store.markHidesSynced(plan.hides);
    const game = store.game();
    store.setGame({
      ...game,
      syncedSeq: Math.max(game.syncedSeq, plan.targetSeq),
      sessionClosedSynced: game.sessionClosedSynced || plan.closesSession,
      syncRetryAt: null,
    });
  });
}

/** True when some result has not reached D1 yet. */
export function hasUnsynced(store: RoomStore): boolean {
  const game = store.game();
  if (game.seq > game.syncedSeq || (game.phase === 'ended' && !game.sessionClosedSynced)) return true;
  return store.unsyncedAnswerCount() > 0 || store.unsyncedHides().length > 0;
}

/** Delay before a failed D1 write is tried again. */
const SYNC_RETRY_MS = 5_000;

/**
 * Runs the room's syncs one at a time. A sync asked for while one is on its way makes that one go
 * round again once done: D1 never gets two batches of the same room at once, and no change is left
 * behind. A failed write is left to the alarm ({@link SYNC_RETRY_MS}).
 */
export class D1Sync {
  private running: Promise<boolean> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly store: RoomStore,
    /** The binding, read at every write (tests swap it). */
    private readonly db: () => D1Database,
    /** Called after a failed write, once the retry time is stored: the room sets its alarm. */
    private readonly failed: () => Promise<void>,
    /**
     * Called before each write; false fails it. The students' seats are copied to D1 by the
     * session's play room, and a result is only written for a seat D1 has.
     */
    private readonly seatsInD1: () => Promise<boolean>,
  ) {}

  /**
   * No sync starts from now on (the session is being deleted: D1 must not get rows of it after
   * its own are gone); the one on its way, if any, finishes ({@link idle}).
   */
  stop(): void {
    this.stopped = true;
  }

  /** Resolves once no sync is on its way. */
  async idle(): Promise<void> {
    await this.running;
  }

  /** Writes everything not yet in D1; false when a write failed (or syncs were stopped). */
  run(): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let ok = true;
      do {
        this.again = false;
        ok = await this.once();
      } while (ok && this.again && !this.stopped);
      return ok;
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async once(): Promise<boolean> {
    const db = this.db();
    const plan = planSync(this.store, db);
    if (!plan) return true;
    try {
      if (!(await this.seatsInD1())) throw new Error('the seats are not in D1 yet');
      if (plan.statements.length) await db.batch(plan.statements);
      markSynced(this.store, plan);
      return true;
    } catch (err) {
      console.error('live room: D1 write failed; retrying', err);
      this.store.setGame({ ...this.store.game(), syncRetryAt: Date.now() + SYNC_RETRY_MS });
      await this.failed();
      return false;
    }
  }
}
