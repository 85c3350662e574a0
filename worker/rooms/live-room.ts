/**
 * `LiveRoom`: the Durable Object that runs one live game (one object per live session, named by
 * the session id). It is the single authority for the game's state and timing: it opens and
 * closes questions on server time, scores answers, ranks students and tells every screen what to
 * show. Protocol: `worker/live/protocol.ts`. Storage: `worker/live/store.ts`. D1: `worker/live/d1-sync.ts`.
 *
 * ## Hibernation safety
 * The object uses the WebSocket Hibernation API (`ctx.acceptWebSocket`), so the runtime may evict
 * it from memory between any two events while the sockets stay open. Nothing that matters lives
 * only in memory:
 * - the game (phase, question index, server start time and deadline, pause) and every player's
 *   totals, streak, rank and last result are rows of the object's SQLite storage, read on every event;
 * - each socket's identity (role, participant id, nickname, connection id) is its serialized
 *   attachment; the in-memory map from participant id to socket is only a cache rebuilt from
 *   `ctx.getWebSockets()` after a wake-up;
 * - deadlines are storage alarms (no `setInterval`, no timer carries state): the alarm re-reads
 *   the game and closes the question if it is due;
 * - keep-alive pings are answered by the runtime (`setWebSocketAutoResponse`) without waking the object.
 * The other in-memory fields (a promise chain that serializes state changes, a question cache,
 * the sync in flight) only matter while the object is awake and are rebuilt or empty after a wake-up.
 *
 * ## Writes
 * An answer is graded and stored (SQLite, synchronous) before its `ack` is sent; the output gate
 * holds the ack until the write is durable. When a question closes, every student in the game has
 * a row (no answer: response NULL, 0 points); the room writes the question's rows and the new
 * totals to D1 ({@link planSync}) before it broadcasts the reveal (waiting at most
 * {@link SYNC_WAIT_MS}; a failed write is retried by the alarm every {@link SYNC_RETRY_MS}). A kick
 * deletes the student from D1; the end sets `finished_at` and closes the session in D1.
 *
 * ## Scoring (server time only)
 * `pointsFor(credit, now − question start, limit)` from `worker/questions/scoring.ts`, exactly as in
 * self-paced play (0 after the deadline; full points when untimed), plus the streak bonus of
 * `worker/live/rules.ts` for a right answer in time (+100 at 2 in a row … +500 at 6 or more; a
 * wrong, late or missing answer resets the streak). Pauses do not count as answering time. Ranks:
 * by score, ties shared.
 *
 * ## Closing a question
 * When its deadline passes (alarm), when the teacher reveals it, or at once when every expected
 * student has answered. Expected: students connected now, plus those who dropped less than
 * {@link RECONNECT_GRACE_MS} ago without answering (a reload does not close the question under them).
 */
import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env';
import { describeIssues } from '../lib/validate';
import { hasUnsynced, markSynced, planSync } from '../live/d1-sync';
import { decodeIdentity, IDENTITY_HEADER, type LiveIdentity } from '../live/identity';
import {
  clientMessageSchema,
  LIVE_CLOSE_CODES,
  MAX_CLIENT_FRAME,
  PING_FRAME,
  PONG_FRAME,
  type FinalMessage,
  type HostMessage,
  type LeaderboardMessage,
  type LiveErrorCode,
  type LobbyPlayer,
  type PlayerStanding,
  type QuestionMessage,
  type RankedPlayer,
  type ResultMessage,
  type RevealMessage,
  type ServerMessage,
  type WelcomeMessage,
} from '../live/protocol';
import { distribution, rankByScore, scoreAnswer } from '../live/rules';
import type { GameState, PlayerRow, SessionMeta } from '../live/state';
import { LIVE_STORAGE, RoomStore } from '../live/store';
import { reveal, toStudent } from '../questions/present';
import { question as questionSchema, type Question } from '../questions/schema';
import { grade, pointsFor } from '../questions/scoring';
import { migrateOnStart } from './storage-migrations';

/** A dropped student still counts as expected to answer for this long (time to reload). */
export const RECONNECT_GRACE_MS = 10_000;
/** Longest the reveal waits for the D1 write before it goes out anyway (the write then continues). */
export const SYNC_WAIT_MS = 2_000;
/** Delay before a failed D1 write is tried again. */
export const SYNC_RETRY_MS = 5_000;
/** A finished game's storage is deleted this long after the end, once D1 has everything. */
export const CLEANUP_AFTER_MS = 7 * 24 * 3600 * 1000;
/** Teacher connections kept at once (projector, a second screen, …); a new one beyond closes the oldest. */
export const MAX_HOSTS = 4;
/** Least time between two answer counts sent to the projector. */
export const COUNT_INTERVAL_MS = 100;
/** Size of the top list after each question. */
const TOP = 5;

/** What a socket's attachment holds (at most 2 KB, survives hibernation). */
type Attachment =
  | { role: 'host'; connId: string; at: number }
  | { role: 'player'; connId: string; at: number; participantId: string; nickname: string };

/** A refusal to send back to the client. */
class Refusal extends Error {
  constructor(
    readonly code: LiveErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const attachmentOf = (ws: WebSocket): Attachment | null => (ws.deserializeAttachment() as Attachment | null) ?? null;

const OPEN = 1;

export class LiveRoom extends DurableObject<Env> {
  private readonly store: RoomStore;
  /** Cache: participant id → their open socket. Rebuilt from the runtime's list after hibernation. */
  private sockets: Map<string, WebSocket> | null = null;
  /** Serializes state changes that await (D1), so their broadcasts never interleave. */
  private queue: Promise<unknown> = Promise.resolve();
  private syncing: Promise<boolean> | null = null;
  private syncAgain = false;
  /** Throttle of the projector's answer count (display only). */
  private countTimer: ReturnType<typeof setTimeout> | null = null;
  private lastCountAt = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    migrateOnStart(ctx, LIVE_STORAGE);
    this.store = new RoomStore(ctx.storage.sql, ctx.storage);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING_FRAME, PONG_FRAME));
  }

  // Connections ------------------------------------------------------------------------------

  /** A WebSocket upgrade forwarded by the Worker (`worker/routes/live.ts`), identity in a header. */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket') return new Response('Expected a WebSocket upgrade.', { status: 426 });
    const identity = decodeIdentity(request.headers.get(IDENTITY_HEADER));
    if (!identity) return new Response('Missing or malformed identity.', { status: 400 });
    const session = this.store.initSession(identity.session);
    if (session.sessionId !== identity.session.sessionId) return new Response('This room belongs to another session.', { status: 409 });

    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    if (identity.role === 'host') this.acceptHost(server);
    else this.acceptPlayer(server, identity);
    return new Response(null, { status: 101, webSocket: client });
  }

  private acceptHost(ws: WebSocket): void {
    const hosts = this.ctx.getWebSockets('host').filter((h) => h.readyState === OPEN);
    if (hosts.length >= MAX_HOSTS) {
      const oldest = hosts.sort((a, b) => (attachmentOf(a)?.at ?? 0) - (attachmentOf(b)?.at ?? 0))[0]!;
      this.closeSocket(oldest, LIVE_CLOSE_CODES.replaced, 'The game was opened on another screen.');
    }
    this.ctx.acceptWebSocket(ws, ['host']);
    ws.serializeAttachment({ role: 'host', connId: crypto.randomUUID(), at: Date.now() } satisfies Attachment);
    this.sendSnapshot(ws);
    // Fetch the questions while the class is joining, so that `start` does not wait for D1.
    if (this.store.game().phase === 'lobby' && this.store.questionCount() === 0)
      this.ctx.waitUntil(
        this.serial(() => (this.store.questionCount() === 0 ? this.loadQuestions() : undefined)).catch((err: unknown) => console.error('live room: preloading questions failed', err)),
      );
  }

  private acceptPlayer(ws: WebSocket, identity: Extract<LiveIdentity, { role: 'player' }>): void {
    const { participantId, nickname } = identity;
    const now = Date.now();
    const row = this.store.player(participantId);
    if (row?.kicked) {
      // Not a hibernatable socket: it only carries the refusal.
      ws.accept();
      this.send(ws, { type: 'kicked', message: 'Your teacher removed you from this game.' });
      this.closeSocket(ws, LIVE_CLOSE_CODES.kicked, 'removed by the teacher');
      return;
    }
    const sockets = this.players();
    const previous = sockets.get(participantId);
    if (previous) {
      sockets.delete(participantId);
      this.closeSocket(previous, LIVE_CLOSE_CODES.replaced, 'Connected again from another tab or device.');
    }
    if (row) this.store.markConnected(participantId, now);
    else this.store.addPlayer(participantId, nickname, now);

    this.ctx.acceptWebSocket(ws, ['player']);
    ws.serializeAttachment({ role: 'player', connId: crypto.randomUUID(), at: now, participantId, nickname: row?.nickname ?? nickname } satisfies Attachment);
    sockets.set(participantId, ws);
    this.toHosts({ type: 'player', player: { participantId, nickname: row?.nickname ?? nickname, connected: true }, playerCount: this.store.activeCount() });
    this.sendSnapshot(ws);
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.dropped(ws);
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
    } catch {
      // Already closed.
    }
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.dropped(ws);
  }

  /** A socket closed: if it was a student's current connection, they are now disconnected. */
  private dropped(ws: WebSocket): void {
    const who = attachmentOf(ws);
    if (who?.role !== 'player') return;
    const sockets = this.players();
    const current = sockets.get(who.participantId);
    // A newer connection of the same student replaced this one: they are still here. (After a
    // wake-up the rebuilt map no longer lists the closing socket, hence no check for its presence.)
    if (current && attachmentOf(current)?.connId !== who.connId) return;
    sockets.delete(who.participantId);
    const row = this.store.player(who.participantId);
    if (!row || row.kicked) return;
    this.store.markDisconnected(who.participantId, Date.now());
    this.toHosts({ type: 'player', player: { participantId: row.id, nickname: row.nickname, connected: false }, playerCount: this.store.activeCount() });
    // The student stays expected for the grace period; the alarm checks again when it ends.
    if (this.store.game().phase === 'question') void this.scheduleAlarm();
  }

  /** Open student sockets by participant id (rebuilt from the runtime's list after hibernation). */
  private players(): Map<string, WebSocket> {
    if (this.sockets) return this.sockets;
    const newest = new Map<string, { ws: WebSocket; at: number }>();
    for (const ws of this.ctx.getWebSockets('player')) {
      const who = attachmentOf(ws);
      if (who?.role !== 'player' || ws.readyState !== OPEN) continue;
      const seen = newest.get(who.participantId);
      if (!seen || seen.at < who.at) newest.set(who.participantId, { ws, at: who.at });
    }
    this.sockets = new Map([...newest].map(([id, { ws }]) => [id, ws]));
    return this.sockets;
  }

  // Messages ---------------------------------------------------------------------------------

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const who = attachmentOf(ws);
    if (!who) return;
    const refuse = (code: LiveErrorCode, message: string) => this.send(ws, { type: 'error', code, message });
    if (typeof raw !== 'string') return refuse('malformed', 'Send JSON text frames.');
    if (raw.length > MAX_CLIENT_FRAME) return refuse('malformed', 'That message is too large.');
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch {
      return refuse('malformed', 'That message is not JSON.');
    }
    const parsed = clientMessageSchema.safeParse(data);
    if (!parsed.success) return refuse('malformed', `That message is not part of the live protocol: ${describeIssues(parsed.error)}`);
    const msg = parsed.data;
    try {
      switch (msg.type) {
        case 'ping':
          return this.send(ws, { type: 'pong' });
        case 'sync':
          return this.sendSnapshot(ws);
        case 'answer':
          if (who.role !== 'player') throw new Refusal('forbidden', 'Only students answer.');
          return await this.onAnswer(ws, who, msg.questionId, msg.response);
        default:
          if (who.role !== 'host') throw new Refusal('forbidden', 'Only the teacher runs the game.');
          return await this.serial(() => this.onHostCommand(msg));
      }
    } catch (err) {
      if (err instanceof Refusal) return refuse(err.code, err.message);
      console.error('live room: message failed', err);
      return refuse('internal', 'Something went wrong on our side; the game goes on.');
    }
  }

  /** Runs `fn` after every state change queued before it (the chain survives a failing step). */
  private serial<T>(fn: () => T | Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async onAnswer(ws: WebSocket, who: Extract<Attachment, { role: 'player' }>, questionId: string, response: unknown): Promise<void> {
    const now = Date.now();
    const game = this.store.game();
    const pid = who.participantId;
    const previous = this.store.answer(questionId, pid);
    if (previous && previous.response !== null) return this.send(ws, { type: 'ack', questionId, repeated: true });
    if (game.phase !== 'question') {
      throw game.phase === 'lobby' ? new Refusal('not_now', 'The game has not started yet.') : new Refusal('question_closed', 'Too late: this question is closed.');
    }
    const { question: q, position } = this.current(game);
    if (questionId !== q.id) throw new Refusal('not_current_question', 'That is not the open question.');
    if (game.pausedAt !== null) throw new Refusal('paused', 'The game is paused; answer when it goes on.');
    if (this.store.player(pid)?.kicked !== 0) throw new Refusal('unknown_player', 'You are no longer in this game.');
    const session = this.session();
    const verdict = grade(q, response, { partialCredit: session.partialCredit });
    if (!verdict.ok) throw new Refusal('invalid_answer', verdict.message);
    const timeMs = now - game.startedAt!;
    this.store.addAnswer({
      question_id: q.id,
      participant_id: pid,
      position,
      response: JSON.stringify(response),
      correct: verdict.correct ? 1 : 0,
      base: pointsFor(verdict.credit, timeMs, session.timeLimitSec * 1000),
      time_ms: timeMs,
      answered_at: now,
    });
    // Sent after the write: the output gate releases it only once the answer is durable.
    this.send(ws, { type: 'ack', questionId, repeated: false });
    const answered = this.store.answerCount(q.id);
    this.reportAnswerCount();
    const due = game.endsAt !== null && now >= game.endsAt;
    if (due || this.allAnswered(q.id, now, answered)) await this.serial(() => this.closeIfDue(game.index));
  }

  private async onHostCommand(msg: HostMessage): Promise<void> {
    const game = this.store.game();
    const now = Date.now();
    const notNow = (message: string) => new Refusal('not_now', message);
    switch (msg.type) {
      case 'start': {
        if (game.phase !== 'lobby') throw notNow('The game has already started.');
        if (this.store.questionCount() === 0) await this.loadQuestions();
        if (this.store.questionCount() === 0) throw new Refusal('no_questions', 'This session has no questions.');
        // The clock starts now, after the questions were loaded.
        return this.openQuestion(0, Date.now());
      }
      case 'next': {
        if (game.phase === 'reveal') {
          if (game.index + 1 >= this.store.questionCount()) return this.endGame();
          this.store.setGame({ ...game, phase: 'leaderboard' });
          return this.broadcastLeaderboard();
        }
        if (game.phase === 'leaderboard') return this.openQuestion(game.index + 1, now);
        throw notNow(game.phase === 'question' ? 'Reveal or skip the open question first.' : 'There is no next step now.');
      }
      case 'reveal':
        if (game.phase !== 'question') throw notNow('No question is open.');
        return this.closeQuestion(game.index);
      case 'pause': {
        if (game.phase !== 'question' || game.pausedAt !== null) throw notNow('Only an open question can be paused.');
        const remainingMs = game.endsAt === null ? null : Math.max(0, game.endsAt - now);
        this.store.setGame({ ...game, pausedAt: now, pausedRemainingMs: remainingMs, endsAt: null });
        this.broadcast({ type: 'paused', questionId: this.current(game).question.id, remainingMs });
        return this.scheduleAlarm();
      }
      case 'resume': {
        if (game.phase !== 'question' || game.pausedAt === null) throw notNow('The game is not paused.');
        const remainingMs = game.pausedRemainingMs;
        const endsAt = remainingMs === null ? null : now + remainingMs;
        // Answering time excludes the pause: the start moves forward by its length.
        this.store.setGame({ ...game, startedAt: game.startedAt! + (now - game.pausedAt), endsAt, pausedAt: null, pausedRemainingMs: null });
        this.broadcast({ type: 'resumed', questionId: this.current(game).question.id, remainingMs, endsAt, serverTime: now });
        return this.scheduleAlarm();
      }
      case 'skip': {
        if (game.phase !== 'question') throw notNow('No question is open.');
        const { question: q } = this.current(game);
        this.store.deleteAnswers(q.id);
        this.broadcast({ type: 'skipped', position: game.index, questionId: q.id });
        if (game.index + 1 >= this.store.questionCount()) return this.endGame();
        return this.openQuestion(game.index + 1, now);
      }
      case 'end':
        if (game.phase === 'ended') throw notNow('The game is over already.');
        return this.endGame();
      case 'kick':
        return this.kick(msg.participantId);
    }
  }

  // Game steps (run inside `serial`) -----------------------------------------------------------

  /** Copies the session's questions (answer keys included) from D1 into the room, once (when the projector first connects, else at `start`). */
  private async loadQuestions(): Promise<void> {
    const { results } = await this.env.DB.prepare(
      'SELECT sq.position AS position, q.data AS data FROM session_questions sq JOIN questions q ON q.id = sq.question_id WHERE sq.session_id = ? ORDER BY sq.position',
    )
      .bind(this.session().sessionId)
      .all<{ position: number; data: string }>();
    const rows: { position: number; question: Question }[] = [];
    for (const r of results) {
      const parsed = questionSchema.safeParse(JSON.parse(r.data));
      if (parsed.success) rows.push({ position: r.position, question: parsed.data });
      else console.error(`live room: question at position ${r.position} does not fit the schema; left out`);
    }
    this.store.transaction(() => this.store.saveQuestions(rows));
  }

  private async openQuestion(index: number, now: number): Promise<void> {
    const limitMs = this.session().timeLimitSec * 1000;
    const game = this.store.setGame({
      ...this.store.game(),
      phase: 'question',
      index,
      startedAt: now,
      endsAt: limitMs > 0 ? now + limitMs : null,
      pausedAt: null,
      pausedRemainingMs: null,
      distribution: null,
    });
    this.broadcastQuestion(game, now);
    await this.scheduleAlarm();
  }

  /** Closes the open question if it is still open and due (deadline passed or everyone answered). */
  private async closeIfDue(index: number): Promise<void> {
    const game = this.store.game();
    if (game.phase !== 'question' || game.index !== index || game.pausedAt !== null) return;
    const now = Date.now();
    const due = game.endsAt !== null && now >= game.endsAt;
    if (due || this.allAnswered(this.current(game).question.id, now)) await this.closeQuestion(index);
  }

  /** Scores the open question, writes the results to D1, then reveals it to everyone. */
  private async closeQuestion(index: number): Promise<void> {
    const game = this.store.game();
    if (game.phase !== 'question' || game.index !== index) return;
    this.scoreQuestion(game, Date.now());
    await this.syncWithin(SYNC_WAIT_MS);
    this.broadcastReveal();
    await this.scheduleAlarm();
  }

  /**
   * One transaction: a no-answer row for every student in the game who did not answer, points
   * with the streak bonus, new totals and ranks, each student's result, and the phase `reveal`.
   */
  private scoreQuestion(game: GameState, now: number): void {
    const session = this.session();
    const { question: q, position } = this.current(game);
    const limitMs = session.timeLimitSec * 1000;
    const elapsed = (game.pausedAt ?? now) - game.startedAt!;
    const { sql } = this.store;
    this.store.transaction(() => {
      sql.exec(
        `INSERT INTO answers (question_id, participant_id, position, response, correct, base, time_ms, answered_at)
         SELECT ?1, id, ?2, NULL, 0, 0, ?3, ?4 FROM players
         WHERE kicked = 0 AND id NOT IN (SELECT participant_id FROM answers WHERE question_id = ?1)`,
        q.id,
        position,
        elapsed,
        now,
      );
      const rows = sql
        .exec<PlayerRow & { a_response: string | null; a_correct: number; a_base: number; a_time: number }>(
          `SELECT p.*, a.response AS a_response, a.correct AS a_correct, a.base AS a_base, a.time_ms AS a_time
           FROM players p JOIN answers a ON a.participant_id = p.id AND a.question_id = ?
           WHERE p.kicked = 0 ORDER BY p.joined_at, p.id`,
          q.id,
        )
        .toArray();
      const scored = rows.map((row) => {
        const response = row.a_response === null ? null : (JSON.parse(row.a_response) as unknown);
        const outcome = scoreAnswer(row, { response, correct: row.a_correct === 1, base: row.a_base, timeMs: row.a_time }, limitMs);
        return { row, response, outcome, score: outcome.totals.score };
      });
      const seq = game.seq + 1;
      const playerCount = scored.length;
      for (const s of rankByScore(scored)) {
        const { row, outcome } = s;
        const rank = session.showLeaderboard ? s.rank : null;
        const result: ResultMessage = {
          type: 'result',
          position: game.index,
          questionId: q.id,
          answered: outcome.answered,
          correct: outcome.answered && row.a_correct === 1,
          late: outcome.late,
          points: outcome.points,
          bonus: outcome.bonus,
          streak: outcome.totals.streak,
          score: outcome.totals.score,
          rank,
          rankChange: rank !== null && row.rank !== null ? row.rank - s.rank : null,
          playerCount,
        };
        sql.exec('UPDATE answers SET bonus = ?, scored = 1 WHERE question_id = ? AND participant_id = ?', outcome.bonus, q.id, row.id);
        sql.exec(
          'UPDATE players SET score = ?, correct = ?, streak = ?, answered = ?, prev_rank = rank, rank = ?, last_result = ?, seq = ? WHERE id = ?',
          outcome.totals.score,
          outcome.totals.correct,
          outcome.totals.streak,
          outcome.totals.answered,
          s.rank,
          JSON.stringify(result),
          seq,
          row.id,
        );
      }
      const dist = distribution(
        q,
        scored.map((s) => ({ response: s.response, correct: s.row.a_correct === 1, late: s.outcome.late })),
      );
      // Answers of kicked students for this question are dropped with them.
      sql.exec('DELETE FROM answers WHERE question_id = ? AND scored = 0', q.id);
      this.store.setGame({ ...game, phase: 'reveal', endsAt: null, pausedAt: null, pausedRemainingMs: null, distribution: dist, seq });
    });
  }

  /** Finishes the game: scores an open question, final ranks, D1 (`finished_at`, session closed), the podium. */
  private async endGame(): Promise<void> {
    let game = this.store.game();
    const now = Date.now();
    if (game.phase === 'question') {
      this.scoreQuestion(game, now);
      game = this.store.game();
    }
    this.store.transaction(() => {
      const seq = game.seq + 1;
      this.rerank(false);
      // Every student's row goes to D1 again, now with finished_at.
      this.store.sql.exec('UPDATE players SET seq = ? WHERE kicked = 0', seq);
      this.store.setGame({ ...this.store.game(), phase: 'ended', endedAt: now, endsAt: null, pausedAt: null, pausedRemainingMs: null, seq });
    });
    await this.syncWithin(SYNC_WAIT_MS);
    this.broadcastFinal();
    await this.scheduleAlarm();
  }

  /** Recomputes ranks from scores (after a kick, or at the end); `shift` keeps the previous rank for rank changes. */
  private rerank(shift: boolean): void {
    const ranked = rankByScore(this.store.activePlayers());
    for (const p of ranked) {
      if (shift) this.store.sql.exec('UPDATE players SET prev_rank = rank, rank = ? WHERE id = ?', p.rank, p.id);
      else this.store.sql.exec('UPDATE players SET rank = ? WHERE id = ?', p.rank, p.id);
    }
  }

  /** Removes a student: closes their socket, deletes them from D1 (results included), then tells the hosts. */
  private async kick(participantId: string): Promise<void> {
    const row = this.store.player(participantId);
    if (!row || row.kicked) throw new Refusal('unknown_player', 'There is no such student in this game.');
    this.store.transaction(() => {
      this.store.kick(participantId);
      if (this.store.game().phase !== 'lobby') this.rerank(false);
    });
    const ws = this.players().get(participantId);
    this.players().delete(participantId);
    if (ws) {
      this.send(ws, { type: 'kicked', message: 'Your teacher removed you from this game.' });
      this.closeSocket(ws, LIVE_CLOSE_CODES.kicked, 'removed by the teacher');
    }
    await this.syncWithin(SYNC_WAIT_MS);
    this.toHosts({ type: 'playerRemoved', participantId, playerCount: this.store.activeCount() });
    // The one student still to answer may have been the one removed.
    const game = this.store.game();
    if (game.phase === 'question' && game.pausedAt === null && this.allAnswered(this.current(game).question.id, Date.now())) await this.closeQuestion(game.index);
  }

  /**
   * RPC for other parts of the Worker (`env.LIVE_ROOM.get(id).removeStudent(participantId)`): a
   * student removed elsewhere (say, from the teacher's participant list) leaves the live game the
   * same way as with `kick`. Unknown or already removed students are ignored (false).
   */
  async removeStudent(participantId: string): Promise<boolean> {
    return this.serial(async () => {
      const row = this.store.player(participantId);
      if (!row || row.kicked) return false;
      await this.kick(participantId);
      return true;
    });
  }

  /**
   * Sends the projector the open question's answer count, at most every {@link COUNT_INTERVAL_MS}:
   * at once when the last count is older, else once at the end of the interval with the latest
   * figure. A burst of 500 answers then costs the projector about ten messages, not 500. (The
   * timer only delays a display update; a reconnecting projector gets the count in its snapshot.)
   */
  private reportAnswerCount(): void {
    if (this.countTimer) return;
    const wait = this.lastCountAt + COUNT_INTERVAL_MS - Date.now();
    if (wait <= 0) return this.sendAnswerCount();
    this.countTimer = setTimeout(() => {
      this.countTimer = null;
      this.sendAnswerCount();
    }, wait);
  }

  private sendAnswerCount(): void {
    this.lastCountAt = Date.now();
    const game = this.store.game();
    if (game.phase !== 'question') return;
    const { question: q } = this.current(game);
    this.toHosts({ type: 'answerCount', questionId: q.id, answered: this.store.answerCount(q.id), expected: this.players().size });
  }

  /** True when every expected student (see the class comment) has answered; false when nobody is expected. */
  private allAnswered(questionId: string, now: number, answeredCount?: number): boolean {
    const sockets = this.players();
    const answered = answeredCount ?? this.store.answerCount(questionId);
    if (answered === 0 || answered < sockets.size) return false;
    const ids = this.store.answeredIds(questionId);
    for (const id of sockets.keys()) if (!ids.has(id)) return false;
    const recentlyDropped = this.store.sql
      .exec<{ id: string }>('SELECT id FROM players WHERE kicked = 0 AND disconnected_at > ?', now - RECONNECT_GRACE_MS)
      .toArray();
    return recentlyDropped.every((p) => sockets.has(p.id) || ids.has(p.id));
  }

  // Alarm and D1 ----------------------------------------------------------------------------

  /** The single alarm: a question's deadline, a grace period ending, a D1 retry, or the cleanup. */
  override async alarm(): Promise<void> {
    await this.serial(async () => {
      const game = this.store.game();
      if (game.phase === 'question') await this.closeIfDue(game.index);
    });
    if (hasUnsynced(this.store)) await this.sync();
    const game = this.store.game();
    if (game.phase === 'ended' && game.endedAt !== null && Date.now() >= game.endedAt + CLEANUP_AFTER_MS && !hasUnsynced(this.store)) {
      await this.ctx.storage.deleteAlarm();
      await this.ctx.storage.deleteAll();
      return;
    }
    await this.scheduleAlarm();
  }

  /** Sets the alarm to the earliest thing due, or clears it. */
  private async scheduleAlarm(): Promise<void> {
    const game = this.store.game();
    const times: number[] = [];
    if (game.phase === 'question' && game.pausedAt === null) {
      if (game.endsAt !== null) times.push(game.endsAt);
      const qid = this.current(game).question.id;
      const dropped = this.store.sql
        .exec<{ t: number | null }>(
          'SELECT min(disconnected_at) AS t FROM players WHERE kicked = 0 AND disconnected_at > ? AND id NOT IN (SELECT participant_id FROM answers WHERE question_id = ?)',
          Date.now() - RECONNECT_GRACE_MS,
          qid,
        )
        .one().t;
      if (dropped !== null) times.push(dropped + RECONNECT_GRACE_MS + 1);
    }
    if (game.syncRetryAt !== null) times.push(game.syncRetryAt);
    if (game.phase === 'ended' && game.endedAt !== null) times.push(game.endedAt + CLEANUP_AFTER_MS);
    if (times.length) await this.ctx.storage.setAlarm(Math.min(...times));
    else await this.ctx.storage.deleteAlarm();
  }

  /** Writes everything not yet in D1; one write at a time, repeated while new changes arrive. */
  private sync(): Promise<boolean> {
    if (this.syncing) {
      this.syncAgain = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      let ok = true;
      do {
        this.syncAgain = false;
        ok = await this.syncOnce();
      } while (ok && this.syncAgain);
      return ok;
    })().finally(() => {
      this.syncing = null;
    });
    return this.syncing;
  }

  private async syncOnce(): Promise<boolean> {
    const plan = planSync(this.store, this.env.DB);
    if (!plan) return true;
    try {
      if (plan.statements.length) await this.env.DB.batch(plan.statements);
      markSynced(this.store, plan);
      return true;
    } catch (err) {
      console.error('live room: D1 write failed; retrying', err);
      this.store.setGame({ ...this.store.game(), syncRetryAt: Date.now() + SYNC_RETRY_MS });
      await this.scheduleAlarm();
      return false;
    }
  }

  /** Waits for the D1 write, but no longer than `ms` (it goes on in the background). */
  private async syncWithin(ms: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const write = this.sync();
    this.ctx.waitUntil(write);
    await Promise.race([write, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
    if (timer !== undefined) clearTimeout(timer);
  }

  // Messages out ------------------------------------------------------------------------------

  private session(): SessionMeta {
    const session = this.store.session();
    if (!session) throw new Error('live room used before its session was recorded');
    return session;
  }

  private current(game: GameState): { question: Question; position: number } {
    const entry = this.store.question(game.index);
    if (!entry) throw new Error(`live room: no question at index ${game.index}`);
    return entry;
  }

  private send(ws: WebSocket, msg: ServerMessage | string): void {
    try {
      ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
    } catch {
      // The socket closed meanwhile; its close event will follow.
    }
  }

  private closeSocket(ws: WebSocket, code: number, reason: string): void {
    try {
      ws.close(code, reason);
    } catch {
      // Already closed.
    }
  }

  private toHosts(msg: ServerMessage): void {
    const frame = JSON.stringify(msg);
    for (const ws of this.ctx.getWebSockets('host')) this.send(ws, frame);
  }

  /** Same frame to every host and student. */
  private broadcast(msg: ServerMessage): void {
    const frame = JSON.stringify(msg);
    this.toHosts(msg);
    for (const ws of this.players().values()) this.send(ws, frame);
  }

  private standing(row: PlayerRow): PlayerStanding {
    return {
      participantId: row.id,
      nickname: row.nickname,
      score: row.score,
      correct: row.correct,
      streak: row.streak,
      rank: this.session().showLeaderboard ? row.rank : null,
    };
  }

  private welcome(ws: WebSocket): WelcomeMessage {
    const who = attachmentOf(ws)!;
    const game = this.store.game();
    const session = this.session();
    const base: WelcomeMessage = {
      type: 'welcome',
      role: who.role,
      serverTime: Date.now(),
      session: {
        code: session.code,
        title: session.title,
        questionCount: this.store.questionCount() || session.questionCount,
        timeLimitSec: session.timeLimitSec,
        lang: session.lang,
        showLeaderboard: session.showLeaderboard,
      },
      phase: game.phase,
      position: game.index < 0 ? null : game.index,
      playerCount: this.store.activeCount(),
    };
    if (who.role === 'host') {
      const sockets = this.players();
      base.players = this.store.activePlayers().map((p): LobbyPlayer => ({ participantId: p.id, nickname: p.nickname, connected: sockets.has(p.id) }));
    } else {
      const row = this.store.player(who.participantId);
      if (row) base.me = this.standing(row);
    }
    return base;
  }

  private questionMessage(game: GameState, seed: string, now: number): QuestionMessage {
    const session = this.session();
    const { question: q } = this.current(game);
    const paused = game.pausedAt !== null;
    return {
      type: 'question',
      position: game.index,
      total: this.store.questionCount(),
      question: toStudent(q, seed, { shuffleOptions: session.shuffleOptions }),
      limitMs: session.timeLimitSec * 1000,
      remainingMs: paused ? game.pausedRemainingMs : game.endsAt === null ? null : Math.max(0, game.endsAt - now),
      endsAt: paused ? null : game.endsAt,
      serverTime: now,
      paused,
    };
  }

  /** True when students see the question differently (items shuffled per student). */
  private perStudent(q: Question): boolean {
    return q.type === 'ordering' || q.type === 'matching' || ((q.type === 'single' || q.type === 'multi') && this.session().shuffleOptions);
  }

  private broadcastQuestion(game: GameState, now: number): void {
    const { question: q } = this.current(game);
    this.toHosts(this.questionMessage(game, 'projector', now));
    this.toHosts({ type: 'answerCount', questionId: q.id, answered: 0, expected: this.players().size });
    const shared = this.perStudent(q) ? null : JSON.stringify(this.questionMessage(game, '', now));
    for (const [pid, ws] of this.players()) this.send(ws, shared ?? this.questionMessage(game, pid, now));
  }

  private revealMessage(game: GameState): RevealMessage {
    const { question: q } = this.current(game);
    return {
      type: 'reveal',
      position: game.index,
      questionId: q.id,
      ...reveal(q),
      distribution: game.distribution ?? distribution(q, []),
    };
  }

  private broadcastReveal(): void {
    const game = this.store.game();
    const frame = JSON.stringify(this.revealMessage(game));
    for (const ws of this.ctx.getWebSockets('host')) this.send(ws, frame);
    const results = new Map(
      this.store.sql
        .exec<{ id: string; last_result: string | null }>('SELECT id, last_result FROM players WHERE kicked = 0')
        .toArray()
        .map((r) => [r.id, r.last_result]),
    );
    for (const [pid, ws] of this.players()) {
      this.send(ws, frame);
      const result = results.get(pid);
      if (result) this.send(ws, result);
    }
  }

  private ranked(forHost: boolean, limit?: number): RankedPlayer[] {
    const rows = this.store.sql
      .exec<PlayerRow>(`SELECT * FROM players WHERE kicked = 0 AND rank IS NOT NULL ORDER BY rank, joined_at, id${limit ? ` LIMIT ${limit}` : ''}`)
      .toArray();
    return rows.map((r) => ({
      rank: r.rank!,
      nickname: r.nickname,
      score: r.score,
      correct: r.correct,
      change: r.prev_rank === null ? null : r.prev_rank - r.rank!,
      ...(forHost ? { participantId: r.id } : {}),
    }));
  }

  private leaderboardMessage(forHost: boolean): LeaderboardMessage {
    return { type: 'leaderboard', position: this.store.game().index, top: this.ranked(forHost, TOP), playerCount: this.store.activeCount() };
  }

  private broadcastLeaderboard(): void {
    this.toHosts(this.leaderboardMessage(true));
    if (!this.session().showLeaderboard) return;
    const frame = JSON.stringify(this.leaderboardMessage(false));
    for (const ws of this.players().values()) this.send(ws, frame);
  }

  private finalMessage(forHost: boolean, me?: PlayerRow): FinalMessage {
    const showToStudents = this.session().showLeaderboard;
    const podium = forHost || showToStudents ? this.ranked(forHost, 3) : [];
    return {
      type: 'final',
      podium,
      ...(forHost ? { ranking: this.ranked(true) } : {}),
      ...(me ? { me: this.standing(me) } : {}),
      playerCount: this.store.activeCount(),
    };
  }

  private broadcastFinal(): void {
    this.toHosts(this.finalMessage(true));
    const rows = new Map(this.store.activePlayers().map((r) => [r.id, r]));
    const podium = this.finalMessage(false).podium;
    const playerCount = rows.size;
    for (const [pid, ws] of this.players()) {
      const row = rows.get(pid);
      this.send(ws, { type: 'final', podium, ...(row ? { me: this.standing(row) } : {}), playerCount });
    }
  }

  /** `welcome`, then what a client that had been connected all along would show now. */
  private sendSnapshot(ws: WebSocket): void {
    const who = attachmentOf(ws);
    if (!who) return;
    const game = this.store.game();
    const now = Date.now();
    this.send(ws, this.welcome(ws));
    const host = who.role === 'host';
    switch (game.phase) {
      case 'lobby':
        return;
      case 'question': {
        const { question: q } = this.current(game);
        this.send(ws, this.questionMessage(game, host ? 'projector' : this.perStudent(q) ? who.participantId : '', now));
        if (host) this.send(ws, { type: 'answerCount', questionId: q.id, answered: this.store.answerCount(q.id), expected: this.players().size });
        else if (this.store.answer(q.id, who.participantId)) this.send(ws, { type: 'ack', questionId: q.id, repeated: true });
        return;
      }
      case 'reveal': {
        this.send(ws, this.revealMessage(game));
        if (host) return;
        const row = this.store.player(who.participantId);
        if (row?.last_result && (JSON.parse(row.last_result) as ResultMessage).position === game.index) this.send(ws, row.last_result);
        return;
      }
      case 'leaderboard':
        if (host || this.session().showLeaderboard) this.send(ws, this.leaderboardMessage(host));
        return;
      case 'ended': {
        const row = host ? undefined : (this.store.player(who.participantId) ?? undefined);
        this.send(ws, this.finalMessage(host, row));
        return;
      }
    }
  }
}
