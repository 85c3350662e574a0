/**
 * `LiveRoom`: the Durable Object that runs one live game (one object per live session, named by
 * the session id). It is the single authority for the game's state and timing: it opens and
 * closes questions on server time, scores answers, ranks students and tells every screen what to
 * show. This file wires the parts together: protocol `worker/contract/live.ts`, phases and timing
 * `host-machine.ts`, messages `messages.ts`, scoring `rules.ts`, storage `store.ts`, D1 `d1-sync.ts`.
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
 * the sync in flight, the session's ids) only matter while the object is awake and are rebuilt or
 * empty after a wake-up.
 *
 * ## Ids
 * The room keeps questions, answers and results by their bank ids, as D1 does. Screens see the
 * session's opaque ids only (`worker/questions/session-ids.ts`): questions, reveals and results
 * are translated on the way out, a student's answer on the way in, before it is graded and stored.
 *
 * ## Writes
 * An answer is graded and stored (SQLite, synchronous) before its `ack` is sent; the output gate
 * holds the ack until the write is durable. When a question closes, every student in the game has
 * a row (no answer: response NULL, 0 points); the room writes the question's rows and the new
 * totals to D1 before it broadcasts the reveal (waiting at most {@link SYNC_WAIT_MS}; a failed
 * write is retried by the alarm). A kick deletes the student from D1; the end sets `finished_at`
 * and closes the session in D1.
 *
 * ## Closing a question
 * When its deadline passes (alarm), when the teacher reveals it, or at once when every expected
 * student has answered. Expected: students connected now, plus those who dropped less than
 * {@link RECONNECT_GRACE_MS} ago without answering (a reload does not close the question under them).
 */
import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env';
import { D1Sync, hasUnsynced, readQuestions } from '../live/d1-sync';
import {
  answeringMs,
  answerRefusal,
  cleanupDue,
  ended,
  hostStep,
  nextAlarm,
  pastDeadline,
  RECONNECT_GRACE_MS,
  revealed,
  running,
  type HostEffect,
  type Refusal,
} from '../live/host-machine';
import { decodeIdentity, IDENTITY_HEADER, type LiveIdentity } from '../live/identity';
import { resultMessage } from '../live/messages';
import { rankByScore, scoreQuestion } from '../live/rules';
import { Screens } from '../live/screens';
import {
  attachmentOf,
  closeSocket,
  isOpen,
  newestPlayerSockets,
  readFrame,
  send,
  type Attachment,
} from '../live/sockets';
import type { GameState } from '../live/state';
import { LIVE_STORAGE, RoomStore } from '../live/store';
import { throttle } from '../live/throttle';
import { grade, pointsFor } from '../questions/scoring';
import { SessionIds } from '../questions/session-ids';
import { migrate, migrateOnStart } from './storage-migrations';
import { type HostMessage, LIVE_CLOSE_CODES, PING_FRAME, PONG_FRAME } from '../contract';

/** Longest the reveal waits for the D1 write before it goes out anyway (the write then continues). */
export const SYNC_WAIT_MS = 2_000;
/** Teacher connections kept at once (projector, a second screen, …); a new one beyond closes the oldest. */
export const MAX_HOSTS = 4;
/** Least time between two answer counts sent to the projector. */
export const COUNT_INTERVAL_MS = 100;

/** A refusal thrown out of a handler, to send back to the client. */
class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}

export class LiveRoom extends DurableObject<Env> {
  private readonly store: RoomStore;
  /** Cache: participant id → their open socket. Rebuilt from the runtime's list after hibernation. */
  private sockets: Map<string, WebSocket> | null = null;
  /** Serializes state changes that await (D1), so their broadcasts never interleave. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly d1: D1Sync;
  private readonly screens: Screens;
  private readonly reportAnswerCount = throttle(() => this.screens.answerCount(), COUNT_INTERVAL_MS);
  /** The session's ids, once built ({@link ready}). */
  private ids: SessionIds | null = null;
  private building: Promise<unknown> | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    migrateOnStart(ctx, LIVE_STORAGE);
    this.store = new RoomStore(ctx.storage.sql, ctx.storage);
    this.d1 = new D1Sync(
      this.store,
      () => this.env.DB,
      () => this.scheduleAlarm(),
    );
    this.screens = new Screens(
      ctx,
      this.store,
      () => this.players(),
      () => this.sessionIds(),
    );
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING_FRAME, PONG_FRAME));
  }

  // Connections ------------------------------------------------------------------------------

  /** A WebSocket upgrade forwarded by the Worker (`worker/routes/live.ts`), identity in a header. */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket')
      return new Response('Expected a WebSocket upgrade.', { status: 426 });
    const identity = decodeIdentity(request.headers.get(IDENTITY_HEADER));
    if (!identity) return new Response('Missing or malformed identity.', { status: 400 });
    const session = this.store.initSession(identity.session);
    if (session.sessionId !== identity.session.sessionId)
      return new Response('This room belongs to another session.', { status: 409 });
    await this.ready();

    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    if (identity.role === 'host') this.acceptHost(server);
    else this.acceptPlayer(server, identity);
    return new Response(null, { status: 101, webSocket: client });
  }

  private acceptHost(ws: WebSocket): void {
    const hosts = this.ctx.getWebSockets('host').filter(isOpen);
    if (hosts.length >= MAX_HOSTS) {
      const oldest = hosts.sort((a, b) => (attachmentOf(a)?.at ?? 0) - (attachmentOf(b)?.at ?? 0))[0]!;
      closeSocket(oldest, LIVE_CLOSE_CODES.replaced, 'The game was opened on another screen.');
    }
    this.ctx.acceptWebSocket(ws, ['host']);
    const attachment: Attachment = { role: 'host', connId: crypto.randomUUID(), at: Date.now() };
    ws.serializeAttachment(attachment);
    this.screens.snapshot(ws);
    // Fetch the questions while the class is joining, so that `start` does not wait for D1.
    if (this.store.game().phase === 'lobby' && this.store.questionCount() === 0)
      this.ctx.waitUntil(
        this.serial(() => (this.store.questionCount() === 0 ? this.loadQuestions() : undefined)).catch((err: unknown) =>
          console.error('live room: preloading questions failed', err),
        ),
      );
  }

  private acceptPlayer(ws: WebSocket, identity: Extract<LiveIdentity, { role: 'player' }>): void {
    const { participantId } = identity;
    const now = Date.now();
    const row = this.store.player(participantId);
    if (row?.kicked) {
      // Not a hibernatable socket: it only carries the refusal.
      ws.accept();
      return this.screens.expel(ws);
    }
    const sockets = this.players();
    const previous = sockets.get(participantId);
    if (previous) {
      sockets.delete(participantId);
      closeSocket(previous, LIVE_CLOSE_CODES.replaced, 'Connected again from another tab or device.');
    }
    if (row) this.store.markConnected(participantId, now);
    else this.store.addPlayer(participantId, identity.nickname, now);

    const nickname = row?.nickname ?? identity.nickname;
    this.ctx.acceptWebSocket(ws, ['player']);
    const attachment: Attachment = { role: 'player', connId: crypto.randomUUID(), at: now, participantId, nickname };
    ws.serializeAttachment(attachment);
    sockets.set(participantId, ws);
    const player = { participantId, nickname, connected: true };
    this.screens.toHosts({ type: 'player', player, playerCount: this.store.activeCount() });
    this.screens.snapshot(ws);
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.dropped(ws);
    closeSocket(ws, code === 1005 || code === 1006 ? 1000 : code, reason);
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
    const player = { participantId: row.id, nickname: row.nickname, connected: false };
    this.screens.toHosts({ type: 'player', player, playerCount: this.store.activeCount() });
    // The student stays expected for the grace period; the alarm checks again when it ends.
    if (this.store.game().phase === 'question') void this.scheduleAlarm();
  }

  /** Open student sockets by participant id (rebuilt from the runtime's list after hibernation). */
  private players(): Map<string, WebSocket> {
    this.sockets ??= newestPlayerSockets(this.ctx.getWebSockets('player'));
    return this.sockets;
  }

  // Messages in ------------------------------------------------------------------------------

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const who = attachmentOf(ws);
    if (!who) return;
    await this.ready();
    const refuse = ({ code, message }: Refusal) => send(ws, { type: 'error', code, message });
    const frame = readFrame(raw);
    if ('refusal' in frame) return refuse(frame.refusal);
    const { msg } = frame;
    try {
      switch (msg.type) {
        case 'ping':
          return send(ws, { type: 'pong' });
        case 'sync':
          return this.screens.snapshot(ws);
        case 'answer':
          if (who.role !== 'player') throw new Refused({ code: 'forbidden', message: 'Only students answer.' });
          return await this.onAnswer(ws, who, msg.questionId, msg.response);
        default:
          if (who.role !== 'host') throw new Refused({ code: 'forbidden', message: 'Only the teacher runs the game.' });
          return await this.serial(() => this.onHostCommand(msg));
      }
    } catch (err) {
      if (err instanceof Refused) return refuse(err.refusal);
      console.error('live room: message failed', err);
      return refuse({ code: 'internal', message: 'Something went wrong on our side; the game goes on.' });
    }
  }

  /** Runs `fn` after every state change queued before it (the chain survives a failing step). */
  private serial<T>(fn: () => T | Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async onAnswer(
    ws: WebSocket,
    who: Extract<Attachment, { role: 'player' }>,
    questionId: string,
    response: unknown,
  ): Promise<void> {
    const now = Date.now();
    const game = this.store.game();
    const pid = who.participantId;
    // Undefined for an id this session never gave out (or before the questions are loaded).
    const bankId = this.ids?.bankId(questionId);
    const previous = bankId === undefined ? null : this.store.answer(bankId, pid);
    if (previous && previous.response !== null) return send(ws, { type: 'ack', questionId, repeated: true });
    const refusal = answerRefusal(game, questionId, (index) =>
      this.sessionIds().questionId(this.store.requireQuestion(index).question.id),
    );
    if (refusal) throw new Refused(refusal);
    if (this.store.player(pid)?.kicked !== 0)
      throw new Refused({ code: 'unknown_player', message: 'You are no longer in this game.' });
    const { question: q, position } = this.store.requireQuestion(game.index);
    const session = this.store.requireSession();
    const given = this.sessionIds().toBank(q, response);
    const verdict = grade(q, given, { partialCredit: session.partialCredit });
    if (!verdict.ok) throw new Refused({ code: 'invalid_answer', message: verdict.message });
    const timeMs = answeringMs(game, now);
    this.store.addAnswer({
      question_id: q.id,
      participant_id: pid,
      position,
      response: JSON.stringify(given),
      correct: verdict.correct ? 1 : 0,
      base: pointsFor(verdict.credit, timeMs, session.timeLimitSec * 1000),
      time_ms: timeMs,
      answered_at: now,
    });
    // Sent after the write: the output gate releases it only once the answer is durable.
    send(ws, { type: 'ack', questionId, repeated: false });
    const answered = this.store.answerCount(q.id);
    this.reportAnswerCount();
    if (pastDeadline(game, now) || this.allAnswered(q.id, now, answered))
      await this.serial(() => this.closeIfDue(game.index));
  }

  private async onHostCommand(msg: HostMessage): Promise<void> {
    if (msg.type === 'kick') return this.kick(msg.participantId);
    // `start` needs the questions; the projector's connection has usually fetched them already.
    if (msg.type === 'start' && this.store.questionCount() === 0) await this.loadQuestions();
    // The clock reads after the load: a question opened by `start` starts when it is sent.
    const now = Date.now();
    const limitMs = this.store.requireSession().timeLimitSec * 1000;
    const at = { now, questionCount: this.store.questionCount(), limitMs };
    const step = hostStep(this.store.game(), msg.type, at);
    if ('refusal' in step) throw new Refused(step.refusal);
    for (const effect of step.effects) await this.apply(effect, now);
  }

  // Game steps (run inside `serial`) -----------------------------------------------------------

  private async apply(effect: HostEffect, now: number): Promise<void> {
    switch (effect.type) {
      case 'open':
        this.store.setGame(effect.game);
        this.screens.question(effect.game, now);
        return this.scheduleAlarm();
      case 'leaderboard':
        this.store.setGame(effect.game);
        return this.screens.leaderboard();
      case 'pause':
      case 'resume': {
        const { game, remainingMs } = effect;
        this.store.setGame(game);
        const questionId = this.sessionIds().questionId(this.store.requireQuestion(game.index).question.id);
        this.screens.toAll(
          effect.type === 'pause'
            ? { type: 'paused', questionId, remainingMs }
            : { type: 'resumed', questionId, remainingMs, endsAt: game.endsAt, serverTime: now },
        );
        return this.scheduleAlarm();
      }
      case 'skip': {
        const { id } = this.store.requireQuestion(effect.index).question;
        this.store.deleteAnswers(id);
        return this.screens.toAll({
          type: 'skipped',
          position: effect.index,
          questionId: this.sessionIds().questionId(id),
        });
      }
      case 'close':
        return this.closeQuestion(effect.index);
      case 'end':
        return this.endGame();
    }
  }

  /** Copies the session's questions (answer keys included) from D1 into the room, once, and builds their ids. */
  private async loadQuestions(): Promise<void> {
    const rows = await readQuestions(this.env.DB, this.store.requireSession().sessionId);
    this.store.transaction(() => this.store.saveQuestions(rows));
    await this.ready();
  }

  /**
   * Builds the session's ids once the questions are in the room: when they are loaded, and at the
   * first event after a wake-up (hibernation empties memory). Every event that may send a question
   * or take an answer awaits this first; the events of one wake-up share one build, in order.
   */
  private async ready(): Promise<void> {
    if (this.ids || this.store.questionCount() === 0) return;
    this.building ??= SessionIds.create(this.store.requireSession().idSalt, this.store.questions())
      .then((ids) => (this.ids = ids))
      .finally(() => (this.building = null));
    await this.building;
  }

  private sessionIds(): SessionIds {
    if (!this.ids) throw new Error('live room: session ids used before the questions were loaded');
    return this.ids;
  }

  /** Closes the open question if it is still open and due (deadline passed or everyone answered). */
  private async closeIfDue(index: number): Promise<void> {
    const game = this.store.game();
    if (game.index !== index || !running(game)) return;
    const now = Date.now();
    if (pastDeadline(game, now) || this.allAnswered(this.store.requireQuestion(index).question.id, now))
      await this.closeQuestion(index);
  }

  /** Scores the open question, writes the results to D1, then reveals it to everyone. */
  private async closeQuestion(index: number): Promise<void> {
    const game = this.store.game();
    if (game.phase !== 'question' || game.index !== index) return;
    this.scoreQuestion(game, Date.now());
    await this.syncWithin(SYNC_WAIT_MS);
    this.screens.reveal();
    await this.scheduleAlarm();
  }

  /**
   * One transaction: a no-answer row for every student in the game who did not answer, points
   * with the streak bonus, new totals and ranks, each student's result, and the phase `reveal`.
   */
  private scoreQuestion(game: GameState, now: number): void {
    const session = this.store.requireSession();
    const { question: q, position } = this.store.requireQuestion(game.index);
    const seq = game.seq + 1;
    this.store.transaction(() => {
      this.store.addMissingAnswers(q.id, position, answeringMs(game, now), now);
      const entries = this.store.answersToScore(q.id);
      const { scored, distribution } = scoreQuestion(q, entries, session.timeLimitSec * 1000);
      const shown = { showLeaderboard: session.showLeaderboard, playerCount: scored.length };
      for (const s of scored) {
        const result = JSON.stringify(resultMessage(game.index, this.sessionIds().questionId(q.id), s, shown));
        this.store.saveScore(q.id, s.before.id, s.outcome, s.rank, result, seq);
      }
      this.store.dropUnscoredAnswers(q.id);
      this.store.setGame(revealed(game, distribution, seq));
    });
  }

  /** Finishes the game: scores an open question, final ranks, D1 (`finished_at`, session closed), the podium. */
  private async endGame(): Promise<void> {
    const now = Date.now();
    if (this.store.game().phase === 'question') this.scoreQuestion(this.store.game(), now);
    const game = this.store.game();
    this.store.transaction(() => {
      const seq = game.seq + 1;
      this.rerank();
      // Every student's row goes to D1 again, now with finished_at.
      this.store.markAllChanged(seq);
      this.store.setGame(ended(game, now, seq));
    });
    await this.syncWithin(SYNC_WAIT_MS);
    this.screens.final();
    await this.scheduleAlarm();
  }

  /** Recomputes ranks from scores (after a kick, or at the end). */
  private rerank(): void {
    this.store.setRanks(rankByScore(this.store.activePlayers()));
  }

  /** Removes a student: closes their socket, deletes them from D1 (results included), then tells the hosts. */
  private async kick(participantId: string): Promise<void> {
    const row = this.store.player(participantId);
    if (!row || row.kicked)
      throw new Refused({ code: 'unknown_player', message: 'There is no such student in this game.' });
    this.store.transaction(() => {
      this.store.kick(participantId);
      if (this.store.game().phase !== 'lobby') this.rerank();
    });
    const ws = this.players().get(participantId);
    this.players().delete(participantId);
    if (ws) this.screens.expel(ws);
    await this.syncWithin(SYNC_WAIT_MS);
    this.screens.toHosts({ type: 'playerRemoved', participantId, playerCount: this.store.activeCount() });
    // The one student still to answer may have been the one removed.
    const game = this.store.game();
    if (running(game) && this.allAnswered(this.store.requireQuestion(game.index).question.id, Date.now()))
      await this.closeQuestion(game.index);
  }

  /**
   * RPC for other parts of the Worker (`env.LIVE_ROOM.get(id).removeStudent(participantId)`): a
   * student removed elsewhere (say, from the teacher's participant list) leaves the live game the
   * same way as with `kick`. Unknown or already removed students are ignored (false).
   */
  async removeStudent(participantId: string): Promise<boolean> {
    await this.ready();
    return this.serial(async () => {
      const row = this.store.player(participantId);
      if (!row || row.kicked) return false;
      await this.kick(participantId);
      return true;
    });
  }

  /**
   * RPC: deletes everything the room stores (players, nicknames, answers, the game) and closes
   * every socket as `deleted`: for a session whose results were deleted (retention, a deleted
   * account). Call it after the D1 rows are gone. The room's tables come back empty, so that a
   * teacher who opens the session again finds a new lobby.
   */
  async forget(): Promise<void> {
    await this.serial(async () => {
      for (const ws of this.ctx.getWebSockets()) closeSocket(ws, LIVE_CLOSE_CODES.deleted, 'session data deleted');
      this.sockets = null;
      this.ids = null;
      await this.ctx.storage.deleteAlarm();
      await this.ctx.storage.deleteAll();
      migrate(this.ctx.storage, LIVE_STORAGE);
    });
  }

  /** RPC: the students who have answered something, answers not yet in D1 included (the rest may be removed as idle seats). */
  async answering(): Promise<string[]> {
    return this.serial(async () => this.store.answeringIds());
  }

  /** True when every expected student (see the class comment) has answered; false when nobody is expected. */
  private allAnswered(questionId: string, now: number, answeredCount?: number): boolean {
    const sockets = this.players();
    const answered = answeredCount ?? this.store.answerCount(questionId);
    if (answered === 0 || answered < sockets.size) return false;
    const ids = this.store.answeredIds(questionId);
    for (const id of sockets.keys()) if (!ids.has(id)) return false;
    return this.store.droppedSince(now - RECONNECT_GRACE_MS).every((id) => sockets.has(id) || ids.has(id));
  }

  // Alarm and D1 ----------------------------------------------------------------------------

  /** The single alarm: a question's deadline, a grace period ending, a D1 retry, or the cleanup. */
  override async alarm(): Promise<void> {
    await this.ready();
    await this.serial(async () => {
      const game = this.store.game();
      if (game.phase === 'question') await this.closeIfDue(game.index);
    });
    if (hasUnsynced(this.store)) await this.d1.run();
    if (cleanupDue(this.store.game(), Date.now()) && !hasUnsynced(this.store)) {
      await this.ctx.storage.deleteAlarm();
      await this.ctx.storage.deleteAll();
      return;
    }
    await this.scheduleAlarm();
  }

  /** Sets the alarm to the earliest thing due, or clears it. */
  private async scheduleAlarm(): Promise<void> {
    const game = this.store.game();
    const open = running(game) ? this.store.requireQuestion(game.index).question.id : null;
    const drop = open === null ? null : this.store.firstDropWithoutAnswer(open, Date.now() - RECONNECT_GRACE_MS);
    const at = nextAlarm(game, drop);
    if (at === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(at);
  }

  /** Waits for the D1 write, but no longer than `ms` (it goes on in the background). */
  private async syncWithin(ms: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const write = this.d1.run();
    this.ctx.waitUntil(write);
    await Promise.race([write, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
    if (timer !== undefined) clearTimeout(timer);
  }
}
