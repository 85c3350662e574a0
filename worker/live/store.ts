/**
 * The live room's own storage: a SQLite database inside the Durable Object (`ctx.storage.sql`).
 * Everything the game needs to continue lives here, so the object can hibernate or be evicted at
 * any moment between events and carry on from storage when it wakes:
 *
 * - `meta`: two JSON rows, `session` ({@link SessionMeta}, written by the first connection) and
 *   `game` ({@link GameState}: phase, question index, server times, sync counters).
 * - `questions`: the session's questions with their answer keys, copied from D1 once (when the
 *   projector first connects in the lobby, or at `start`).
 * - `players`: every student who connected, with running totals, rank and the last result.
 * - `answers`: one row per student per question, written before the answer is acknowledged;
 *   students who did not answer get a row (response NULL) when the question closes.
 * - `tickets`: the SHA-256 of each connection ticket not yet spent, with the identity it admits.
 * - `teams`: each student's team in team mode; `hidden_answers`: open answers the teacher took out
 *   of the word cloud (or put back), and whether D1 has that yet.
 *
 * Reads and writes are synchronous (SQLite in the object's own process). A write is durable
 * before any message sent after it leaves the object: the runtime's output gate holds outgoing
 * WebSocket frames until the storage write has been confirmed, so `exec(INSERT …); ws.send(ack)`
 * never acknowledges an answer that could be lost.
 */
import type { Migrations } from '../rooms/storage-migrations';
import type { Arrival, MergedRow, ShardVerdict, TopRow } from './contest';
import type { Outcome, StoredAnswer } from './rules';
import { INITIAL_GAME, type GameState, type PlayerRow, type SessionMeta } from './state';
import type { Question } from '../contract';

/** A row of `answers`. */
export interface AnswerRow extends Record<string, SqlStorageValue> {
  question_id: string;
  participant_id: string;
  position: number;
  /** JSON of the response; NULL for no answer. */
  response: string | null;
  correct: number;
  base: number;
  bonus: number;
  time_ms: number;
  answered_at: number;
  scored: number;
  synced: number;
}

/** The room's tables, step by step (see `worker/rooms/storage-migrations.ts`). */
export const LIVE_STORAGE: Migrations = [
  `CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
   CREATE TABLE IF NOT EXISTS questions (
     idx INTEGER PRIMARY KEY, position INTEGER NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL);
   CREATE TABLE IF NOT EXISTS players (
     id TEXT PRIMARY KEY, nickname TEXT NOT NULL, joined_at INTEGER NOT NULL, kicked INTEGER NOT NULL DEFAULT 0,
     connected_at INTEGER, disconnected_at INTEGER,
     score INTEGER NOT NULL DEFAULT 0, correct INTEGER NOT NULL DEFAULT 0, streak INTEGER NOT NULL DEFAULT 0,
     answered INTEGER NOT NULL DEFAULT 0, rank INTEGER, prev_rank INTEGER, last_result TEXT,
     seq INTEGER NOT NULL DEFAULT 0);
   CREATE TABLE IF NOT EXISTS answers (
     question_id TEXT NOT NULL, participant_id TEXT NOT NULL, position INTEGER NOT NULL, response TEXT,
     correct INTEGER NOT NULL, base INTEGER NOT NULL, bonus INTEGER NOT NULL DEFAULT 0, time_ms INTEGER NOT NULL,
     answered_at INTEGER NOT NULL, scored INTEGER NOT NULL DEFAULT 0, synced INTEGER NOT NULL DEFAULT 0,
     PRIMARY KEY (question_id, participant_id));
   CREATE INDEX IF NOT EXISTS answers_unsynced ON answers (scored, synced);`,
  // Connection tickets: only the SHA-256 of each, with who it admits, until it is spent or expires
  // (IF NOT EXISTS: a room whose record of versions was lost runs every step again).
  `CREATE TABLE IF NOT EXISTS tickets (hash TEXT PRIMARY KEY, identity TEXT NOT NULL, expires_at INTEGER NOT NULL);
   CREATE INDEX IF NOT EXISTS tickets_expiry ON tickets (expires_at);`,
  // Team mode: each student's team, given when they first connect (the teacher may move them). A table of its own, not a
  // column of `players`: ALTER TABLE could not run twice, in a room whose record of versions was lost.
  `CREATE TABLE IF NOT EXISTS teams (participant_id TEXT PRIMARY KEY, team INTEGER NOT NULL);`,
  // Open answers the teacher took out of the word cloud (hidden = 1) or put back (0), and whether D1
  // has that yet; a table of its own for the same reason.
  `CREATE TABLE IF NOT EXISTS hidden_answers (
     question_id TEXT NOT NULL, participant_id TEXT NOT NULL, hidden INTEGER NOT NULL, synced INTEGER NOT NULL DEFAULT 0,
     PRIMARY KEY (question_id, participant_id));`,
];

/** A `players` row as {@link PlayerRow}: with the student's team (null without one). */
const PLAYER = 'players.*, (SELECT team FROM teams WHERE participant_id = players.id) AS team';

/** A scored answer on its way to D1, in the short keys of its JSON parameter (see `d1-sync.ts`). */
export type UnsyncedAnswer = {
  p: string;
  q: string;
  n: number;
  r: string | null;
  c: number;
  pts: number;
  t: number;
  at: number;
  /** 1 when the teacher took the (open) answer out of the word cloud. */
  h: number;
};

/** A hide or show of an answer on its way to D1 (`h`: 1 hidden, 0 shown again). */
export type HideChange = { p: string; q: string; h: number };

/** A student's answer to an open question, as the word cloud and the teacher's list read it. */
export interface OpenAnswerRow extends Record<string, SqlStorageValue> {
  participant_id: string;
  nickname: string;
  /** JSON of the response (`{ text }`). */
  response: string;
  answered_at: number;
  hidden: number;
}

/** A student's totals on their way to D1 (`kicked`: to delete instead), in the short keys of the JSON parameter. */
export type ChangedPlayer = { id: string; kicked: number; s: number; c: number; n: number };

/** Typed access to the room's SQLite storage (its tables are created by {@link LIVE_STORAGE}). */
export class RoomStore {
  private questionCache = new Map<number, { question: Question; position: number }>();
  /** The last text read of each meta row and its parsed value (see {@link getMeta}). */
  private readonly parsed = new Map<string, { text: string; value: unknown }>();

  constructor(
    private readonly sql: SqlStorage,
    private readonly storage: DurableObjectStorage,
  ) {}

  /** Runs `fn` as one transaction (all or nothing). */
  transaction<T>(fn: () => T): T {
    return this.storage.transactionSync(fn);
  }

  /**
   * A meta row, parsed. The row is read every time (tests and the alarm may change it between
   * events), but parsed again only when its text changed: the game and the session are read several
   * times per answer, and parsing them was a fifth of an answer's CPU. Callers get a value they must
   * not change (the accessors below copy it).
   */
  private getMeta<T>(key: string): T | null {
    const row = this.sql.exec<{ v: string }>('SELECT v FROM meta WHERE k = ?', key).toArray()[0];
    if (!row) return null;
    const known = this.parsed.get(key);
    if (known?.text === row.v) return known.value as T;
    const value = JSON.parse(row.v) as T;
    this.parsed.set(key, { text: row.v, value });
    return value;
  }

  private setMeta(key: string, value: unknown): void {
    this.sql.exec(
      'INSERT INTO meta (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v',
      key,
      JSON.stringify(value),
    );
  }

  session(): SessionMeta | null {
    const session = this.getMeta<SessionMeta>('session');
    // Rooms that recorded their session before contests (or teams) existed are one room, without teams.
    return session && Object.assign({ shards: 1, shard: null, teams: 0 }, session);
  }

  /** The session, for a room in use (every connection records it first). */
  requireSession(): SessionMeta {
    const session = this.session();
    if (!session) throw new Error('live room used before its session was recorded');
    return session;
  }

  /**
   * Records the session on the first connection. Later connections (the Worker reads D1 afresh
   * each time) update only what a teacher may change during a game: the title and whether students
   * see rankings. Timing, language and scoring stay as they were when the game began. The id salt
   * never changes; taking it here too fills it in for a room that recorded its session without one.
   */
  initSession(meta: SessionMeta): SessionMeta {
    const existing = this.session();
    if (!existing) {
      this.setMeta('session', meta);
      return meta;
    }
    const { title, showLeaderboard, idSalt } = meta;
    if (existing.title === title && existing.showLeaderboard === showLeaderboard && existing.idSalt === idSalt)
      return existing;
    const updated = { ...existing, title, showLeaderboard, idSalt };
    this.setMeta('session', updated);
    return updated;
  }

  /** The game's state, read from storage every time (tests and the alarm may change it between events). */
  game(): GameState {
    return { ...INITIAL_GAME, ...this.getMeta<Partial<GameState>>('game') };
  }

  setGame(game: GameState): void {
    this.setMeta('game', game);
  }

  /** Takes the next change number, for a player row about to change. */
  nextSeq(): number {
    const game = this.game();
    this.setGame({ ...game, seq: game.seq + 1 });
    return game.seq + 1;
  }

  // Questions ----------------------------------------------------------------------------------

  questionCount(): number {
    return this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM questions').one().n;
  }

  saveQuestions(rows: { position: number; question: Question }[]): void {
    rows.forEach((r, idx) =>
      this.sql.exec(
        'INSERT OR REPLACE INTO questions (idx, position, id, data) VALUES (?, ?, ?, ?)',
        idx,
        r.position,
        r.question.id,
        JSON.stringify(r.question),
      ),
    );
  }

  /** Every question, in game order. */
  questions(): Question[] {
    return Array.from({ length: this.questionCount() }, (_, idx) => this.requireQuestion(idx).question);
  }

  /** The question at game index `idx` (cached: questions never change once stored). */
  question(idx: number): { question: Question; position: number } | null {
    const cached = this.questionCache.get(idx);
    if (cached) return cached;
    const row = this.sql
      .exec<{ position: number; data: string }>('SELECT position, data FROM questions WHERE idx = ?', idx)
      .toArray()[0];
    if (!row) return null;
    const entry = { question: JSON.parse(row.data) as Question, position: row.position };
    this.questionCache.set(idx, entry);
    return entry;
  }

  /** The question at game index `idx`, which the game state says exists. */
  requireQuestion(idx: number): { question: Question; position: number } {
    const entry = this.question(idx);
    if (!entry) throw new Error(`live room: no question at index ${idx}`);
    return entry;
  }

  // Tickets ------------------------------------------------------------------------------------

  /** Stores a new ticket's hash with the identity (JSON) it admits, and drops tickets expired by `now`. */
  addTicket(hash: string, identity: string, expiresAt: number, now: number): void {
    this.sql.exec('DELETE FROM tickets WHERE expires_at < ?', now);
    this.sql.exec('INSERT INTO tickets (hash, identity, expires_at) VALUES (?, ?, ?)', hash, identity, expiresAt);
  }

  /** Spends the ticket with this hash: deletes it and returns its identity (JSON), or null when unknown or expired. */
  takeTicket(hash: string, now: number): string | null {
    const row = this.sql
      .exec<{
        identity: string;
        expires_at: number;
      }>('DELETE FROM tickets WHERE hash = ? RETURNING identity, expires_at', hash)
      .toArray()[0];
    return row && row.expires_at >= now ? row.identity : null;
  }

  /** When the room last saw a student: an answer, a connection or a drop (null when none). */
  lastStudentActivity(): number | null {
    return (
      this.sql
        .exec<{ t: number | null }>(
          `SELECT max(coalesce((SELECT max(answered_at) FROM answers WHERE response IS NOT NULL), 0),
                    coalesce((SELECT max(max(coalesce(connected_at, 0), coalesce(disconnected_at, 0))) FROM players), 0)) AS t`,
        )
        .one().t || null
    );
  }

  // Players ------------------------------------------------------------------------------------

  player(id: string): PlayerRow | null {
    return this.sql.exec<PlayerRow>(`SELECT ${PLAYER} FROM players WHERE id = ?`, id).toArray()[0] ?? null;
  }

  /** Players still in the game, in join order. */
  activePlayers(): PlayerRow[] {
    return this.sql.exec<PlayerRow>(`SELECT ${PLAYER} FROM players WHERE kicked = 0 ORDER BY joined_at, id`).toArray();
  }

  /** Players who gave at least one answer (a time-out without one does not count). */
  answeringIds(): string[] {
    return this.sql
      .exec<{ id: string }>('SELECT DISTINCT participant_id AS id FROM answers WHERE response IS NOT NULL')
      .toArray()
      .map((r) => r.id);
  }

  activeCount(): number {
    return this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM players WHERE kicked = 0').one().n;
  }

  /** A student's first connection; `team` in team mode, else null. */
  addPlayer(id: string, nickname: string, now: number, team: number | null): void {
    this.sql.exec(
      'INSERT INTO players (id, nickname, joined_at, connected_at, seq) VALUES (?, ?, ?, ?, ?)',
      id,
      nickname,
      now,
      now,
      this.nextSeq(),
    );
    if (team !== null) this.sql.exec('INSERT INTO teams (participant_id, team) VALUES (?, ?)', id, team);
  }

  /** Team mode: the teacher moves a student to `team`. */
  setTeam(id: string, team: number): void {
    this.sql.exec(
      'INSERT INTO teams (participant_id, team) VALUES (?, ?) ON CONFLICT (participant_id) DO UPDATE SET team = excluded.team',
      id,
      team,
    );
  }

  /** Members in the game of each team that has any, by team number. */
  teamSizes(): Map<number, number> {
    const rows = this.sql.exec<{ team: number; n: number }>(
      'SELECT t.team, count(*) AS n FROM teams t JOIN players p ON p.id = t.participant_id WHERE p.kicked = 0 GROUP BY t.team',
    );
    return new Map(rows.toArray().map((r) => [r.team, r.n]));
  }

  markConnected(id: string, now: number): void {
    this.sql.exec('UPDATE players SET connected_at = ?, disconnected_at = NULL WHERE id = ?', now, id);
  }

  markDisconnected(id: string, now: number): void {
    this.sql.exec('UPDATE players SET disconnected_at = ? WHERE id = ?', now, id);
  }

  kick(id: string): void {
    this.sql.exec('UPDATE players SET kicked = 1, seq = ? WHERE id = ?', this.nextSeq(), id);
  }

  /** Students in the game who dropped after `since`. */
  droppedSince(since: number): string[] {
    return this.sql
      .exec<{ id: string }>('SELECT id FROM players WHERE kicked = 0 AND disconnected_at > ?', since)
      .toArray()
      .map((r) => r.id);
  }

  /** When the first student in the game who dropped after `since` without answering `questionId` dropped. */
  firstDropWithoutAnswer(questionId: string, since: number): number | null {
    return this.sql
      .exec<{ t: number | null }>(
        `SELECT min(disconnected_at) AS t FROM players WHERE kicked = 0 AND disconnected_at > ?
         AND id NOT IN (SELECT participant_id FROM answers WHERE question_id = ?)`,
        since,
        questionId,
      )
      .one().t;
  }

  /** Each student's last `result` (JSON), by id, for the students in the game. */
  lastResults(): Map<string, string | null> {
    const rows = this.sql.exec<{ id: string; last_result: string | null }>(
      'SELECT id, last_result FROM players WHERE kicked = 0',
    );
    return new Map(rows.toArray().map((r) => [r.id, r.last_result]));
  }

  /** Students in the game with a rank, best first (ties in join order); the first `limit` when given. */
  ranking(limit?: number): PlayerRow[] {
    // LIMIT -1: no limit.
    return this.sql
      .exec<PlayerRow>(
        `SELECT ${PLAYER} FROM players WHERE kicked = 0 AND rank IS NOT NULL ORDER BY rank, joined_at, id LIMIT ?`,
        limit ?? -1,
      )
      .toArray();
  }

  setRanks(ranks: readonly { id: string; rank: number }[]): void {
    for (const p of ranks) this.sql.exec('UPDATE players SET rank = ? WHERE id = ?', p.rank, p.id);
  }

  /** Gives every student in the game the change number `seq`, so that their rows go to D1 again. */
  markAllChanged(seq: number): void {
    this.sql.exec('UPDATE players SET seq = ? WHERE kicked = 0', seq);
  }

  // Answers ------------------------------------------------------------------------------------

  answer(questionId: string, participantId: string): AnswerRow | null {
    const sql = 'SELECT * FROM answers WHERE question_id = ? AND participant_id = ?';
    return this.sql.exec<AnswerRow>(sql, questionId, participantId).toArray()[0] ?? null;
  }

  addAnswer(a: Omit<AnswerRow, 'bonus' | 'scored' | 'synced'>): void {
    this.sql.exec(
      `INSERT INTO answers (question_id, participant_id, position, response, correct, base, time_ms, answered_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      a.question_id,
      a.participant_id,
      a.position,
      a.response,
      a.correct,
      a.base,
      a.time_ms,
      a.answered_at,
    );
  }

  answerCount(questionId: string): number {
    return this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM answers WHERE question_id = ?', questionId).one().n;
  }

  answeredIds(questionId: string): Set<string> {
    const sql = 'SELECT participant_id AS p FROM answers WHERE question_id = ?';
    return new Set(
      this.sql
        .exec<{ p: string }>(sql, questionId)
        .toArray()
        .map((r) => r.p),
    );
  }

  deleteAnswers(questionId: string): void {
    this.sql.exec('DELETE FROM answers WHERE question_id = ?', questionId);
    this.sql.exec('DELETE FROM hidden_answers WHERE question_id = ?', questionId);
  }

  /** The answers given to `questionId` by students still in the game, newest first, with whether each is hidden. */
  openAnswers(questionId: string): OpenAnswerRow[] {
    return this.sql
      .exec<OpenAnswerRow>(
        `SELECT a.participant_id, pl.nickname, a.response, a.answered_at,
                EXISTS (SELECT 1 FROM hidden_answers h WHERE h.question_id = a.question_id AND h.participant_id = a.participant_id AND h.hidden = 1) AS hidden
         FROM answers a JOIN players pl ON pl.id = a.participant_id AND pl.kicked = 0
         WHERE a.question_id = ? AND a.response IS NOT NULL
         ORDER BY a.answered_at DESC, a.participant_id`,
        questionId,
      )
      .toArray();
  }

  /** Takes an answer out of the word cloud, or puts it back; D1 gets the change with the next sync. */
  setHidden(questionId: string, participantId: string, hidden: boolean): void {
    this.sql.exec(
      `INSERT INTO hidden_answers (question_id, participant_id, hidden) VALUES (?, ?, ?)
       ON CONFLICT DO UPDATE SET hidden = excluded.hidden, synced = 0`,
      questionId,
      participantId,
      hidden ? 1 : 0,
    );
  }

  // What D1 does not have yet (see `d1-sync.ts`) ----------------------------------------------

  /** Scored answers of students still in the game, not yet in D1, as D1's sync reads them. */
  unsyncedAnswers(): UnsyncedAnswer[] {
    return this.sql
      .exec<UnsyncedAnswer>(
        `SELECT a.participant_id AS p, a.question_id AS q, a.position AS n, a.response AS r, a.correct AS c,
                a.base + a.bonus AS pts, a.time_ms AS t, a.answered_at AS at,
                EXISTS (SELECT 1 FROM hidden_answers h WHERE h.question_id = a.question_id AND h.participant_id = a.participant_id AND h.hidden = 1) AS h
         FROM answers a JOIN players pl ON pl.id = a.participant_id AND pl.kicked = 0
         WHERE a.scored = 1 AND a.synced = 0`,
      )
      .toArray();
  }

  /** Hides and shows of scored answers not yet in D1, in the short keys of the JSON parameter. */
  unsyncedHides(): HideChange[] {
    return this.sql
      .exec<HideChange>(
        `SELECT h.participant_id AS p, h.question_id AS q, h.hidden AS h FROM hidden_answers h
         JOIN answers a ON a.question_id = h.question_id AND a.participant_id = h.participant_id AND a.scored = 1
         WHERE h.synced = 0`,
      )
      .toArray();
  }

  /** Marks these changes as in D1, unless the teacher changed their mind since they were read. */
  markHidesSynced(changes: readonly HideChange[]): void {
    for (const c of changes)
      this.sql.exec(
        'UPDATE hidden_answers SET synced = 1 WHERE question_id = ? AND participant_id = ? AND hidden = ?',
        c.q,
        c.p,
        c.h,
      );
  }

  /** Questions with scored answers not yet in D1 (those of removed students included). */
  unsyncedQuestionIds(): string[] {
    return this.sql
      .exec<{ q: string }>('SELECT DISTINCT question_id AS q FROM answers WHERE scored = 1 AND synced = 0')
      .toArray()
      .map((r) => r.q);
  }

  unsyncedAnswerCount(): number {
    return this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM answers WHERE scored = 1 AND synced = 0').one().n;
  }

  /** Students whose row changed after change number `seq` (removed ones included), with their totals. */
  playersChangedAfter(seq: number): ChangedPlayer[] {
    return this.sql
      .exec<ChangedPlayer>('SELECT id, kicked, score AS s, correct AS c, answered AS n FROM players WHERE seq > ?', seq)
      .toArray();
  }

  markAnswersSynced(questionIds: readonly string[]): void {
    if (!questionIds.length) return;
    this.sql.exec(
      'UPDATE answers SET synced = 1 WHERE scored = 1 AND question_id IN (SELECT value FROM json_each(?))',
      JSON.stringify(questionIds),
    );
  }

  // Scoring a closed question (inside one transaction) -----------------------------------------

  /** A no-answer row (response NULL, 0 points) for every student in the game who did not answer. */
  addMissingAnswers(questionId: string, position: number, timeMs: number, now: number): void {
    this.sql.exec(
      `INSERT INTO answers (question_id, participant_id, position, response, correct, base, time_ms, answered_at)
       SELECT ?1, id, ?2, NULL, 0, 0, ?3, ?4 FROM players
       WHERE kicked = 0 AND id NOT IN (SELECT participant_id FROM answers WHERE question_id = ?1)`,
      questionId,
      position,
      timeMs,
      now,
    );
  }

  /** Every student in the game with their answer to `questionId`, in join order. */
  answersToScore(questionId: string): { before: PlayerRow; answer: StoredAnswer }[] {
    type Row = PlayerRow & { a_response: string | null; a_correct: number; a_base: number; a_time: number };
    const rows = this.sql.exec<Row>(
      `SELECT ${PLAYER}, a.response AS a_response, a.correct AS a_correct, a.base AS a_base, a.time_ms AS a_time
       FROM players JOIN answers a ON a.participant_id = players.id AND a.question_id = ?
       WHERE players.kicked = 0 ORDER BY players.joined_at, players.id`,
      questionId,
    );
    return rows.toArray().map(({ a_response, a_correct, a_base, a_time, ...before }) => ({
      before,
      answer: {
        response: a_response === null ? null : (JSON.parse(a_response) as unknown),
        correct: a_correct === 1,
        base: a_base,
        timeMs: a_time,
      },
    }));
  }

  /** Stores a student's scored answer, new totals and rank (the old one kept for rank changes) and `result`. */
  saveScore(questionId: string, playerId: string, outcome: Outcome, rank: number, result: string, seq: number): void {
    const { totals } = outcome;
    this.sql.exec(
      'UPDATE answers SET bonus = ?, scored = 1 WHERE question_id = ? AND participant_id = ?',
      outcome.bonus,
      questionId,
      playerId,
    );
    this.sql.exec(
      `UPDATE players SET score = ?, correct = ?, streak = ?, answered = ?, prev_rank = rank, rank = ?,
       last_result = ?, seq = ? WHERE id = ?`,
      totals.score,
      totals.correct,
      totals.streak,
      totals.answered,
      rank,
      result,
      seq,
      playerId,
    );
  }

  // Contests (see `contest.ts`) -------------------------------------------------------------

  /** How many of a shard's students have each score. */
  scoreCounts(): { score: number; n: number }[] {
    return this.sql
      .exec<{ score: number; n: number }>('SELECT score, count(*) AS n FROM players WHERE kicked = 0 GROUP BY score')
      .toArray();
  }

  /** A shard's best students, in one room's order (score, join time, id). */
  topRows(limit: number): TopRow[] {
    return this.sql
      .exec<TopRow>(
        `SELECT id, nickname, joined_at, score, correct, streak, prev_rank FROM players WHERE kicked = 0
         ORDER BY score DESC, joined_at, id LIMIT ?`,
        limit,
      )
      .toArray();
  }

  /** A shard takes the contest's rank of each score (`[score, rank]`) for its students. */
  setRanksByScore(ranks: readonly [number, number][]): void {
    for (const [score, rank] of ranks)
      this.sql.exec('UPDATE players SET rank = ? WHERE kicked = 0 AND score = ?', rank, score);
  }

  /** Rewrites each student's stored `result` of question `position` with `edit` (their row as it is now). */
  rewriteResults(position: number, edit: (result: string, row: PlayerRow) => string | null): void {
    for (const row of this.activePlayers()) {
      if (row.last_result === null) continue;
      const result = edit(row.last_result, row);
      if (result !== null) this.sql.exec('UPDATE players SET last_result = ? WHERE id = ?', result, row.id);
    }
  }

  /** The merged standings a shard last got from its coordinator (without the ranks it applied). */
  contestStandings(): Omit<ShardVerdict, 'ranks'> | null {
    return this.getMeta('contest');
  }

  setContestStandings(standings: Omit<ShardVerdict, 'ranks'>): void {
    this.setMeta('contest', standings);
  }

  /**
   * The coordinator's list of the contest's students, as the shards report them (no answers, no
   * scores; those stay in the shards).
   */
  addArrivals(arrivals: readonly Arrival[], now: number): void {
    for (const a of arrivals)
      this.sql.exec(
        `INSERT INTO players (id, nickname, joined_at, connected_at, disconnected_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET connected_at = coalesce(excluded.connected_at, players.connected_at),
           disconnected_at = excluded.disconnected_at`,
        a.id,
        a.nickname,
        a.joinedAt,
        a.connected ? now : null,
        a.connected ? null : now,
      );
  }

  /**
   * The coordinator takes a student off its list. Unlike {@link kick}, no change number: the shard
   * that removed them has deleted them from D1 already, so the coordinator has nothing to copy.
   */
  unlist(id: string): void {
    this.sql.exec('UPDATE players SET kicked = 1 WHERE id = ?', id);
  }

  /**
   * Students whose row says connected: for a coordinator, its list as the shards report it; for a
   * room with sockets, also those whose socket was lost without a close event (a restart).
   */
  connectedIds(): Set<string> {
    const sql = 'SELECT id FROM players WHERE kicked = 0 AND connected_at IS NOT NULL AND disconnected_at IS NULL';
    return new Set(
      this.sql
        .exec<{ id: string }>(sql)
        .toArray()
        .map((r) => r.id),
    );
  }

  /** The coordinator keeps the merged top rows, ranked; every other student of its list has no rank. */
  setMergedTop(top: readonly MergedRow[]): void {
    this.sql.exec('UPDATE players SET rank = NULL WHERE rank IS NOT NULL');
    for (const r of top)
      this.sql.exec(
        `INSERT INTO players (id, nickname, joined_at, score, correct, streak, rank, prev_rank) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET score = excluded.score, correct = excluded.correct, streak = excluded.streak,
           rank = excluded.rank, prev_rank = excluded.prev_rank`,
        r.id,
        r.nickname,
        r.joined_at,
        r.score,
        r.correct,
        r.streak,
        r.rank,
        r.prev_rank,
      );
  }

  /** Drops what was not scored: the answers of students removed before the question closed. */
  dropUnscoredAnswers(questionId: string): void {
    this.sql.exec('DELETE FROM answers WHERE question_id = ? AND scored = 0', questionId);
  }
}
