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
 * {@link RECONNECT_GRACE_MS} ago without answering (a reload does not close the question under them);
 * after a restart, whose lost sockets send no close event, the students who were connected count as
 * dropped when the room comes back ({@link LiveRoom.dropLostSockets}).
 *
 * ## Teams
 * A session created with teams (never a contest) places each student, at their first connection,
 * in the team with the fewest members in the game (`placeInTeam`), kept in the `teams` table for the
 * rest of the game. Teams are ranked by their members' average score (`rankTeams`), from the rows of
 * the students still in the game, whenever the screens show a ranking: no team totals are stored.
 *
 * ## Connections and limits
 * A connection needs a ticket the room issued ({@link LiveRoom.issueTicket}, called by the Worker
 * after it checked the credential in D1): single use, {@link LIVE_TICKET_TTL_SEC} seconds, only its
 * SHA-256 stored, with the identity it admits (a student, or the teacher's `projector` or `remote`
 * screen). One socket per student (a newer one replaces the older); up to {@link MAX_HOSTS} per kind
 * of teacher's screen (the newest replaces the oldest of its kind); every teacher's screen is told
 * which screens are connected (`hosts`). Each socket has a frame budget (`FRAME_LIMIT`, in memory):
 * beyond it that socket alone is closed (`flooding`).
 *
 * ## The end of the room
 * - `end` (or the last `next`): the podium, results and `finished_at` to D1, the session closed in
 *   D1 (no new tickets); the sockets stay open.
 * - Idle: a game nobody touched for `IDLE_END_MS` (no command, ticket, answer, connection or drop)
 *   is ended the same way by the alarm, a lobby never started included.
 * - Close ({@link LiveRoom.closeSession}, from `POST /api/sessions/:id/close`): the game ends, D1
 *   gets the results before the route answers, every screen gets `closed` and its socket closes;
 *   the room is shut (no ticket, connection or answer). Reopen ({@link LiveRoom.reopenSession})
 *   lifts that: screens may connect to the finished game again, which is not played again.
 * - Delete ({@link LiveRoom.deleteSession}, from `DELETE /api/sessions/:id`, before D1 loses the
 *   session): no more D1 writes, every screen gets `closed` (`deleted`), the alarm and the storage go.
 * - Cleanup: a finished game's storage is deleted `CLEANUP_AFTER_MS` after the end, once D1 has
 *   everything.
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
  idleDue,
  nextAlarm,
  opened,
  pastDeadline,
  RECONNECT_GRACE_MS,
  revealed,
  running,
  type HostEffect,
  type Refusal,
} from '../live/host-machine';
import {
  asPlayerRow,
  CONTEST_TOP,
  mergeStandings,
  roomName,
  SHARD_REPORT_MS,
  shardOf,
  verdictFor,
  type Arrival,
  type ShardCount,
  type ShardReport,
  type ShardStandings,
  type ShardVerdict,
} from '../live/contest';
import { decodeIdentity, encodeIdentity, type LiveIdentity } from '../live/identity';
import { lobbyPlayer, restandResult, resultMessage } from '../live/messages';
import { distribution, placeInTeam, rankByScore, rankTeams, scoreQuestion } from '../live/rules';
import { Screens, type Figures } from '../live/screens';
import {
  attachmentOf,
  closeSocket,
  FrameBudget,
  isOpen,
  newestPlayerSockets,
  readFrame,
  send,
  type Attachment,
} from '../live/sockets';
import type { GameState, SessionMeta } from '../live/state';
import { LIVE_STORAGE, RoomStore } from '../live/store';
import { throttle } from '../live/throttle';
import { grade, pointsFor, storedResponse } from '../questions/scoring';
import { SessionIds } from '../questions/session-ids';
import { migrate, migrateOnStart } from './storage-migrations';
import { randomToken, sha256 } from '../lib/crypto';
import {
  type ErrorCode,
  type HostMessage,
  LIVE_CLOSE_CODES,
  LIVE_TICKET_TTL_SEC,
  type LiveScreen,
  PING_FRAME,
  PONG_FRAME,
} from '../contract';

/** Longest the reveal waits for the D1 write before it goes out anyway (the write then continues). */
export const SYNC_WAIT_MS = 2_000;
/** Teacher connections kept at once per kind of screen; a new one beyond closes the oldest of its kind. */
export const MAX_HOSTS = 4;
/** The header in which the Worker passes a ticket to the room (`worker/routes/live.ts`). */
export const TICKET_HEADER = 'X-Live-Ticket';

/** The room's answer to a ticket request: the ticket, or why not (an API error). */
export type TicketOutcome =
  | { ok: true; ticket: string; expiresInSec: number }
  | { ok: false; status: 401 | 404 | 409 | 410; code: ErrorCode; message: string };

/** A refusal of the upgrade, as the JSON the Worker turns into the API's error. */
const refuseUpgrade = (status: 401 | 404 | 409 | 410 | 426, code: ErrorCode, message: string) =>
  Response.json({ code, message }, { status });
const badTicket = () =>
  refuseUpgrade(401, 'ticket_invalid', 'This live link is not valid any more: ask for a new one and connect again.');
/** Least time between two answer counts sent to the projector. */
export const COUNT_INTERVAL_MS = 100;

/** A step of a contest's game that the coordinator sends every shard, at the coordinator's time `at`. */
export type ShardStep =
  | { type: 'open'; index: number; at: number }
  | { type: 'leaderboard'; at: number }
  | { type: 'pause' | 'resume'; at: number }
  | { type: 'skip'; index: number; at: number };

/** A live room's part in its game: the one room, or a contest's coordinator or shard. */
type Role = 'single' | 'coordinator' | 'shard';

/** Attempts at a call from a coordinator to a shard before the step fails. */
const SHARD_CALL_ATTEMPTS = 3;

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
  private readonly budget = new FrameBudget();
  /**
   * True once the session was deleted ({@link deleteSession}): the storage is being emptied or is
   * empty, and the room answers nothing and writes nothing until it leaves memory.
   */
  private gone = false;
  /** True when this instance emptied a storage that held no session (see {@link fetch}): its tables are gone. */
  private emptied = false;
  /**
   * A coordinator's latest count from each shard. Kept in memory only: after a restart, the shards'
   * next reports (or the deadline, or the teacher) close the question.
   */
  private readonly counts = new Map<number, ShardCount>();
  private countsAsked = false;
  /** This room's part, once its session is recorded ({@link role}). */
  private knownRole: Role | null = null;
  /** A shard's students who came or went, and those removed, not yet reported to its coordinator. */
  private readonly arrivals = new Map<string, Arrival>();
  private readonly removals = new Set<string>();
  private readonly reportSoon = throttle(() => void this.report(), SHARD_REPORT_MS);

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    migrateOnStart(ctx, LIVE_STORAGE);
    this.store = new RoomStore(ctx.storage.sql, ctx.storage);
    this.d1 = new D1Sync(
      this.store,
      () => this.env.DB,
      () => this.scheduleAlarm(),
      () => this.playRoom().flush(),
    );
    const merged = () => (this.role() === 'shard' ? this.store.contestStandings() : null);
    const figures: Figures = {
      answered: (questionId) =>
        this.role() === 'coordinator' ? this.contestAnswered() : this.store.answerCount(questionId),
      connected: () => (this.role() === 'coordinator' ? this.store.connectedIds() : this.players()),
      playerCount: () => merged()?.playerCount ?? this.store.activeCount(),
      ranking: (limit) => merged()?.top.slice(0, limit).map(asPlayerRow) ?? this.store.ranking(limit),
      distribution: (game) => {
        const standings = merged();
        return standings?.position === game.index && game.phase !== 'question'
          ? standings.distribution
          : game.distribution;
      },
    };
    this.screens = new Screens(
      ctx,
      this.store,
      () => this.players(),
      () => this.sessionIds(),
      figures,
    );
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING_FRAME, PONG_FRAME));
    void ctx.blockConcurrencyWhile(() => this.dropLostSockets());
  }

  // Connections ------------------------------------------------------------------------------

  /**
   * RPC from the Worker (`worker/routes/live.ts`), which has checked the credential against D1: a
   * single-use ticket for `identity`. Only its SHA-256 is stored, with the identity and its expiry.
   * The identity's session facts are recorded too (the first ticket creates the room's session).
   */
  async issueTicket(input: LiveIdentity, sessionClosed = false): Promise<TicketOutcome> {
    const identity = decodeIdentity(input);
    if (!identity) throw new Error('live room: malformed identity');
    // In a contest the teacher's screens belong to the coordinator, each student to their shard.
    const { shards, shard } = identity.session;
    if (shards > 1 && (identity.role === 'host') !== (shard === null))
      throw new Error('live room: a ticket for the wrong room of a contest');
    if (this.gone) return { ok: false, status: 404, code: 'session_not_found', message: 'This quiz was deleted.' };
    const ended = { ok: false, status: 410, code: 'session_closed', message: 'This quiz has ended.' } as const;
    // A closed session: only the screens of a game that ended by itself come back, to its podium.
    if (sessionClosed && (!this.hasSession() || this.store.game().phase !== 'ended')) return ended;
    if (this.emptied) {
      migrate(this.ctx.storage, LIVE_STORAGE);
      this.emptied = false;
    }
    const session = this.store.initSession(identity.session);
    if (session.sessionId !== identity.session.sessionId)
      return { ok: false, status: 409, code: 'forbidden', message: 'This room belongs to another session.' };
    const game = this.store.game();
    if (game.shut) return ended;
    // The room's name first: the Worker hands the upgrade to the room the ticket names.
    const ticket = `${roomName(session.sessionId, session.shard)}.${randomToken(32)}`;
    const hash = await sha256(ticket);
    const now = Date.now();
    this.store.transaction(() => {
      this.store.addTicket(hash, encodeIdentity(identity), now + LIVE_TICKET_TTL_SEC * 1000, now);
      this.store.setGame({ ...this.store.game(), activeAt: now });
    });
    // The idle end (see IDLE_END_MS) needs an alarm, even in a room whose ticket is never used.
    if ((await this.ctx.storage.getAlarm()) === null) await this.scheduleAlarm();
    return { ok: true, ticket, expiresInSec: LIVE_TICKET_TTL_SEC };
  }

  /**
   * A WebSocket upgrade forwarded by the Worker with a ticket ({@link TICKET_HEADER}). The ticket is
   * spent whatever follows; an unknown, spent or expired one is refused before the upgrade.
   */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket')
      return refuseUpgrade(426, 'upgrade_required', 'This address is the live game: open it as a WebSocket.');
    const ticket = request.headers.get(TICKET_HEADER);
    if (this.gone || !ticket) return badTicket();
    if (!this.hasSession()) {
      await this.leaveNothing();
      return badTicket();
    }
    const hash = await sha256(ticket);
    const identity = decodeIdentity(this.store.takeTicket(hash, Date.now()));
    const session = this.store.requireSession();
    if (!identity || identity.session.sessionId !== session.sessionId) return badTicket();
    await this.ready();
    // Checked last: the teacher may have closed the session while the ticket was on its way.
    if (this.gone) return badTicket();
    if (this.store.game().shut) return refuseUpgrade(410, 'session_closed', 'This quiz has ended.');

    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    if (identity.role === 'host') this.acceptHost(server, identity.screen);
    else this.acceptPlayer(server, identity);
    return new Response(null, { status: 101, webSocket: client });
  }

  private acceptHost(ws: WebSocket, screen: LiveScreen): void {
    const same = this.ctx.getWebSockets('host').filter((h) => {
      const who = attachmentOf(h);
      return isOpen(h) && who?.role === 'host' && who.screen === screen;
    });
    if (same.length >= MAX_HOSTS) {
      const oldest = same.sort((a, b) => (attachmentOf(a)?.at ?? 0) - (attachmentOf(b)?.at ?? 0))[0]!;
      closeSocket(oldest, LIVE_CLOSE_CODES.replaced, 'The game was opened on another screen.');
    }
    this.ctx.acceptWebSocket(ws, ['host']);
    const attachment: Attachment = { role: 'host', connId: crypto.randomUUID(), at: Date.now(), screen };
    ws.serializeAttachment(attachment);
    this.screens.snapshot(ws);
    this.screens.hosts({ except: ws });
    // A coordinator back after a restart learns its shards' counts (it may then close the question).
    const game = this.store.game();
    if (this.role() === 'coordinator' && running(game))
      this.ctx.waitUntil(
        this.askCounts()
          .then(() => (this.contestDone() ? this.serial(() => this.closeIfDue(game.index)) : undefined))
          .catch((err: unknown) => console.error('live room: asking the shards for their counts failed', err)),
      );
    // Fetch the questions while the class is joining, so that `start` does not wait for D1 (in a
    // contest, every shard does the same).
    if (this.store.game().phase === 'lobby' && this.store.questionCount() === 0)
      this.ctx.waitUntil(
        this.serial(() => (this.store.questionCount() === 0 ? this.loadQuestions() : undefined))
          .then(async () => {
            if (this.role() === 'coordinator') await this.fanOut((room, meta) => room.shardPrepare(meta));
          })
          .catch((err: unknown) => console.error('live room: preloading questions failed', err)),
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
    else {
      // A team is given once, at the first connection, and kept when the student reconnects.
      const { teams } = this.store.requireSession();
      const team = teams > 0 ? placeInTeam(this.store.teamSizes(), teams) : null;
      this.store.addPlayer(participantId, identity.nickname, now, team);
    }

    const player = row ?? this.store.player(participantId)!;
    this.ctx.acceptWebSocket(ws, ['player']);
    const attachment: Attachment = {
      role: 'player',
      connId: crypto.randomUUID(),
      at: now,
      participantId,
      nickname: player.nickname,
    };
    ws.serializeAttachment(attachment);
    sockets.set(participantId, ws);
    this.screens.toHosts({ type: 'player', player: lobbyPlayer(player, true), playerCount: this.store.activeCount() });
    this.screens.snapshot(ws);
    this.arrived(player, true);
  }

  /**
   * At construction: students whose row says connected but who have no socket here lost it without
   * a close event, so the room was restarted (a crash, a deploy), not woken from hibernation (sockets
   * outlive that). They are dropped as of now, so that they stay expected for the reconnect grace
   * period, as after a reload. Otherwise nobody waits for them: the first students back, having
   * answered, would close the question (a contest's shard would report itself done) before the rest
   * could reconnect and answer. A coordinator holds no students' sockets, only its list.
   */
  private async dropLostSockets(): Promise<void> {
    if (!this.hasSession() || this.role() === 'coordinator') return;
    const open = this.players();
    const lost = [...this.store.connectedIds()].filter((id) => !open.has(id));
    if (!lost.length) return;
    const now = Date.now();
    // All marked before any is reported: a shard's report counts who is expected.
    this.store.transaction(() => {
      for (const id of lost) this.store.markDisconnected(id, now);
    });
    for (const id of lost) this.arrived(this.store.player(id)!, false);
    // The end of their grace period may close the question (a shard's alarm reports it).
    if (this.store.game().phase === 'question') await this.scheduleAlarm();
  }

  /** In a contest, a shard tells its coordinator who came or went (in its next report). */
  private arrived(row: { id: string; nickname: string; joined_at: number }, connected: boolean): void {
    if (this.role() !== 'shard') return;
    this.arrivals.set(row.id, { id: row.id, nickname: row.nickname, joinedAt: row.joined_at, connected });
    this.reportSoon();
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
    if (!who || this.gone) return;
    this.budget.forget(who.connId);
    if (who.role === 'host') return this.screens.hosts({ leaving: ws });
    const sockets = this.players();
    const current = sockets.get(who.participantId);
    // A newer connection of the same student replaced this one: they are still here. (After a
    // wake-up the rebuilt map no longer lists the closing socket, hence no check for its presence.)
    if (current && attachmentOf(current)?.connId !== who.connId) return;
    sockets.delete(who.participantId);
    const row = this.store.player(who.participantId);
    if (!row || row.kicked) return;
    this.store.markDisconnected(who.participantId, Date.now());
    this.screens.toHosts({ type: 'player', player: lobbyPlayer(row, false), playerCount: this.store.activeCount() });
    this.arrived(row, false);
    // The student stays expected for the grace period; the alarm checks again when it ends.
    if (this.store.game().phase === 'question') void this.scheduleAlarm();
  }

  /**
   * For a call to a room that never issued a ticket (a made-up session id, a session deleted, a
   * live session closed before anyone connected): keeps nothing of the visit, not even the empty
   * tables the constructor made. A later ticket makes them again.
   */
  private async leaveNothing(): Promise<void> {
    if (this.gone || this.emptied) return;
    await this.ctx.storage.deleteAll();
    this.emptied = true;
  }

  /** The room has a session (a ticket was issued here) and its storage is there. */
  private hasSession(): boolean {
    return !this.gone && !this.emptied && this.store.session() !== null;
  }

  /** The session's play room, which takes the joins and holds the seats. */
  private playRoom() {
    const id = this.store.requireSession().sessionId;
    return this.env.PLAY_ROOM.get(this.env.PLAY_ROOM.idFromName(id));
  }

  /** Open student sockets by participant id (rebuilt from the runtime's list after hibernation). */
  private players(): Map<string, WebSocket> {
    this.sockets ??= newestPlayerSockets(this.ctx.getWebSockets('player'));
    return this.sockets;
  }

  // Messages in ------------------------------------------------------------------------------

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const who = attachmentOf(ws);
    // A socket the room is closing (flooding, replaced, kicked) is not heard any more.
    if (!who || this.gone || !isOpen(ws)) return;
    // Counted before anything else is read (exact pings never get here: the runtime answers them).
    // The empty bucket stays until the socket's close event, so nothing it still sends is read.
    if (!this.budget.take(who.connId, Date.now()))
      return closeSocket(ws, LIVE_CLOSE_CODES.flooding, 'Too many messages.');
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
      response: JSON.stringify(storedResponse(q, given)),
      correct: verdict.correct ? 1 : 0,
      base: pointsFor(verdict.credit, timeMs, session.timeLimitSec * 1000),
      time_ms: timeMs,
      answered_at: now,
    });
    // Sent after the write: the output gate releases it only once the answer is durable.
    send(ws, { type: 'ack', questionId, repeated: false });
    // A shard counts for its coordinator, which closes the question when every shard is done.
    if (this.role() === 'shard') return this.reportSoon();
    const answered = this.store.answerCount(q.id);
    this.reportAnswerCount();
    if (pastDeadline(game, now) || this.allAnswered(q.id, now, answered))
      await this.serial(() => this.closeIfDue(game.index));
  }

  private async onHostCommand(msg: HostMessage): Promise<void> {
    this.store.setGame({ ...this.store.game(), activeAt: Date.now() });
    if (msg.type === 'kick') return this.kick(msg.participantId);
    if (msg.type === 'team') return this.moveToTeam(msg.participantId, msg.team);
    if (msg.type === 'hide') return this.hide(msg);
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

  /**
   * Carries out a step. A contest's coordinator has every shard take it too, at the same time `now`
   * (so every student has the same time to answer, whatever their shard); closing a question and
   * the end merge the shards' standings ({@link closeContestQuestion}, {@link endContest}).
   */
  private async apply(effect: HostEffect, now: number): Promise<void> {
    if (this.role() !== 'coordinator') return this.applyHere(effect, now);
    if (effect.type === 'close') return this.closeContestQuestion(effect.index);
    if (effect.type === 'end') return this.endContest();
    const step: ShardStep =
      effect.type === 'open'
        ? { type: 'open', index: effect.game.index, at: now }
        : effect.type === 'skip'
          ? { type: 'skip', index: effect.index, at: now }
          : { type: effect.type, at: now };
    // The students' frames go out while the projector gets its own.
    const [counts] = await Promise.all([
      this.fanOut((room, meta) => room.shardStep(meta, step)),
      this.applyHere(effect, now),
    ]);
    if (effect.type === 'open') {
      this.counts.clear();
      counts.forEach((count, k) => this.counts.set(k, count));
      this.reportAnswerCount();
    }
  }

  private async applyHere(effect: HostEffect, now: number): Promise<void> {
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
    if (this.role() === 'coordinator') return this.closeContestQuestion(index);
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
      const teams =
        session.teams > 0 ? rankTeams(scored.map((s) => ({ team: s.before.team, score: s.outcome.totals.score }))) : [];
      const shown = { showLeaderboard: session.showLeaderboard, playerCount: scored.length, teams };
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
    if (this.role() === 'coordinator') return this.endContest();
    this.finish(Date.now());
    await this.syncWithin(SYNC_WAIT_MS);
    this.screens.final();
    await this.scheduleAlarm();
  }

  /** The end in storage: an open question scored, the final ranks, and every student's row marked for D1. */
  private finish(now: number): void {
    if (this.store.game().phase === 'question') this.scoreQuestion(this.store.game(), now);
    const game = this.store.game();
    this.store.transaction(() => {
      const seq = game.seq + 1;
      this.rerank();
      // Every student's row goes to D1 again, now with finished_at.
      this.store.markAllChanged(seq);
      this.store.setGame(ended(game, now, seq));
    });
  }

  /** Recomputes ranks from scores (after a kick, or at the end). */
  private rerank(): void {
    this.store.setRanks(rankByScore(this.store.activePlayers()));
  }

  /**
   * Takes an open answer out of the word cloud, or puts it back: the teacher's screens get the cloud
   * again at once, D1 the flag with the next sync (at once when the question is scored already).
   */
  private async hide({ questionId, participantId, hidden }: Extract<HostMessage, { type: 'hide' }>): Promise<void> {
    const bankId = this.ids?.bankId(questionId);
    const q = bankId === undefined ? undefined : this.store.questions().find((x) => x.id === bankId);
    const answer = q?.type === 'open' ? this.store.answer(q.id, participantId) : null;
    if (!q || !answer || answer.response === null)
      throw new Refused({ code: 'not_now', message: 'There is no such open answer to hide.' });
    this.store.setHidden(q.id, participantId, hidden);
    this.screens.cloud();
    if (answer.scored) await this.syncWithin(SYNC_WAIT_MS);
  }

  /** Removes a student: closes their socket, deletes them from D1 (results included), then tells the hosts. */
  private async kick(participantId: string): Promise<void> {
    if (this.role() === 'coordinator') return this.kickFromContest(participantId);
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
    // The seat and its name are free again for the play room, which reads the seats from D1 again.
    await this.playRoom().reload();
    this.screens.toHosts({ type: 'playerRemoved', participantId, playerCount: this.store.activeCount() });
    if (this.role() === 'shard') {
      this.removals.add(participantId);
      return this.report();
    }
    // The one student still to answer may have been the one removed.
    const game = this.store.game();
    if (running(game) && this.allAnswered(this.store.requireQuestion(game.index).question.id, Date.now()))
      await this.closeQuestion(game.index);
  }

  /**
   * Team mode: the teacher moves a student to another team. Not while a question is open, so that
   * no phone's question is redrawn under the student; their phone learns its team from a fresh
   * snapshot, the teacher's screens from the student's row. Team scores are averages taken at each
   * ranking, so nothing stored needs recomputing.
   */
  private moveToTeam(participantId: string, team: number): void {
    const { teams } = this.store.requireSession();
    if (team > teams) throw new Refused({ code: 'no_such_team', message: 'This game has no such team.' });
    const phase = this.store.game().phase;
    if (phase === 'question' || phase === 'ended')
      throw new Refused({ code: 'not_now', message: 'Teams change only while no question is open.' });
    const row = this.store.player(participantId);
    if (!row || row.kicked)
      throw new Refused({ code: 'unknown_player', message: 'There is no such student in this game.' });
    this.store.setTeam(participantId, team);
    const ws = this.players().get(participantId);
    if (ws) this.screens.snapshot(ws);
    const player = lobbyPlayer({ ...row, team }, ws !== undefined);
    this.screens.toHosts({ type: 'player', player, playerCount: this.store.activeCount() });
  }

  /**
   * RPC for other parts of the Worker (`env.LIVE_ROOM.get(id).removeStudent(participantId)`): a
   * student removed elsewhere (say, from the teacher's participant list) leaves the live game the
   * same way as with `kick`. Unknown or already removed students are ignored (false).
   */
  async removeStudent(participantId: string): Promise<boolean> {
    if (!this.hasSession()) return this.leaveNothing().then(() => false);
    await this.ready();
    return this.serial(async () => {
      const row = this.store.player(participantId);
      // A closed session's room writes nothing more; D1 loses the student by the route itself.
      if (!row || row.kicked || this.store.game().shut) return false;
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
    if (!this.hasSession()) return this.leaveNothing().then(() => []);
    return this.serial(async () => this.store.answeringIds());
  }

  // The end of the room ------------------------------------------------------------------------

  /**
   * RPC: the teacher closed the session (`POST /api/sessions/:id/close`). The game ends as with
   * `end` (an open question is scored), and this waits until D1 has the results, so that every
   * answer acknowledged before the close is in D1 when the close route answers. Then every screen
   * is told (`closed`) and closed, and the room is shut: no ticket, connection or answer is taken,
   * so nothing new can reach D1 (a failed write of the last results is still retried by the alarm).
   * A room that never had a connection stays empty.
   */
  async closeSession(): Promise<void> {
    if (!this.hasSession()) return this.leaveNothing();
    await this.ready();
    await this.serial(async () => {
      if (this.store.game().phase !== 'ended') await this.endGame();
      if (!(await this.d1.run())) console.error('live room: results not in D1 at the close; the alarm retries');
      this.store.setGame({ ...this.store.game(), shut: true });
      this.screens.shut('closed');
    });
  }

  /**
   * RPC: the teacher reopened a closed session (`POST /api/sessions/:id/reopen`). The game stays
   * over (its results are in D1; a second game in the same session would collide with them): the
   * room only takes connections again, so screens show the final podium as before the close.
   */
  async reopenSession(): Promise<void> {
    if (!this.hasSession()) return this.leaveNothing();
    await this.serial(() => this.store.setGame({ ...this.store.game(), shut: false }));
  }

  /**
   * RPC: the session is being deleted (`DELETE /api/sessions/:id`, which calls this before it
   * deletes the session's rows in D1). No D1 write starts any more and the one on its way is
   * awaited, so the room writes nothing to D1 once this returns; every screen is told (`deleted`)
   * and closed; the alarm and the whole storage go. Until the object leaves memory it refuses
   * everything.
   */
  async deleteSession(): Promise<void> {
    if (this.gone) return;
    this.gone = true;
    this.d1.stop();
    await this.serial(async () => {
      await this.d1.idle();
      this.screens.shut('deleted');
      this.sockets = null;
      await this.ctx.storage.deleteAlarm();
      await this.ctx.storage.deleteAll();
    });
  }

  /** True when every expected student (see the class comment) has answered; false when nobody is expected. */
  private allAnswered(questionId: string, now: number, answeredCount?: number): boolean {
    if (this.role() === 'coordinator') return this.contestDone();
    const sockets = this.players();
    const answered = answeredCount ?? this.store.answerCount(questionId);
    if (answered === 0 || answered < sockets.size) return false;
    const ids = this.store.answeredIds(questionId);
    for (const id of sockets.keys()) if (!ids.has(id)) return false;
    return this.store.droppedSince(now - RECONNECT_GRACE_MS).every((id) => sockets.has(id) || ids.has(id));
  }

  // Contests: the coordinator ------------------------------------------------------------------

  /** This room's part: the one room of a game, or a contest's coordinator or one of its shards. */
  private role(): Role {
    if (this.knownRole) return this.knownRole;
    const session = this.store.session();
    if (!session) return 'single';
    // Kept: a room's name fixes its part (`roomName`), whatever its storage goes through.
    return (this.knownRole = session.shards <= 1 ? 'single' : session.shard === null ? 'coordinator' : 'shard');
  }

  /** Shard `k` of this room's contest. */
  private shardRoom(k: number) {
    const name = roomName(this.store.requireSession().sessionId, k);
    return this.env.LIVE_ROOM.get(this.env.LIVE_ROOM.idFromName(name));
  }

  /**
   * Calls every shard at once with its session facts; a call that fails is made again (a shard may
   * be restarting), and the step fails if one still does. Every shard call is idempotent.
   */
  private fanOut<T>(
    call: (room: DurableObjectStub<LiveRoom>, meta: SessionMeta, k: number) => Promise<T>,
  ): Promise<T[]> {
    const session = this.store.requireSession();
    return Promise.all(
      Array.from({ length: session.shards }, async (_, k) => {
        for (let attempt = 1; ; attempt++)
          try {
            return await call(this.shardRoom(k), { ...session, shard: k }, k);
          } catch (err) {
            if (attempt >= SHARD_CALL_ATTEMPTS) throw err;
            await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
          }
      }),
    );
  }

  /** Answers to the open question, over every shard that counted it. */
  private contestAnswered(): number {
    const { index } = this.store.game();
    let n = 0;
    for (const count of this.counts.values()) if (count.index === index) n += count.answered;
    return n;
  }

  /** Every shard has counted the open question and is done with it, and someone answered. */
  private contestDone(): boolean {
    const { index } = this.store.game();
    const { shards } = this.store.requireSession();
    for (let k = 0; k < shards; k++) {
      const count = this.counts.get(k);
      if (!count || count.index !== index || !count.done) return false;
    }
    return this.contestAnswered() > 0;
  }

  /**
   * RPC from a shard (at most every {@link SHARD_REPORT_MS}): who came, went or was removed, and
   * its count of the open question. The coordinator lists the students for the teacher's screens,
   * shows the count, and closes the question once every shard is done.
   */
  async shardReport(report: ShardReport): Promise<void> {
    if (!this.hasSession() || this.role() !== 'coordinator') return;
    const known = this.counts.get(report.shard);
    if (!known || report.count.index >= known.index) this.counts.set(report.shard, report.count);
    if (report.arrivals.length) {
      this.store.addArrivals(report.arrivals, Date.now());
      const playerCount = this.store.activeCount();
      for (const a of report.arrivals) {
        const player = { participantId: a.id, nickname: a.nickname, connected: a.connected };
        this.screens.toHosts({ type: 'player', player, playerCount });
      }
    }
    for (const participantId of report.removed) {
      const row = this.store.player(participantId);
      if (row && !row.kicked) this.store.unlist(participantId);
      this.screens.toHosts({ type: 'playerRemoved', participantId, playerCount: this.store.activeCount() });
    }
    this.reportAnswerCount();
    const game = this.store.game();
    // A coordinator that restarted mid-question has lost the counts of shards that are done already.
    if (running(game) && this.counts.size < this.store.requireSession().shards) await this.askCounts();
    // Not awaited, as the close below.
    if (running(game) && report.count.index < game.index)
      this.ctx.waitUntil(
        this.reopenOn(report.shard, game).catch((err: unknown) =>
          console.error('live room: opening the question again on a shard failed', err),
        ),
      );
    // Not awaited: closing calls the shards, one of which is waiting for this call to return.
    if (running(game) && this.contestDone())
      this.ctx.waitUntil(
        this.serial(() => this.closeIfDue(game.index)).catch((err: unknown) =>
          console.error('live room: closing the contest question failed', err),
        ),
      );
  }

  /** Asks every shard for its count (once per stay in memory: later counts come with the reports). */
  private async askCounts(): Promise<void> {
    if (this.countsAsked) return;
    this.countsAsked = true;
    const counts = await this.fanOut((room, meta) => room.shardCount(meta));
    counts.forEach((count, k) => {
      const known = this.counts.get(k);
      if (!known || count.index >= known.index) this.counts.set(k, count);
    });
    const game = this.store.game();
    if (running(game))
      await Promise.all(counts.map((count, k) => (count.index < game.index ? this.reopenOn(k, game) : undefined)));
  }

  /**
   * Opens the open question again on shard `k`, which reports an older one: the server died after
   * the coordinator opened it and before that shard did (both take the step at once, see
   * {@link apply}). Else the shard's students stay where they were, unable to answer, while the
   * coordinator waits for their answers. The step carries the question's start time, so that they
   * get the deadline everyone else has; a shard that opened it meanwhile changes nothing.
   */
  private async reopenOn(k: number, game: GameState): Promise<void> {
    const step: ShardStep = { type: 'open', index: game.index, at: game.startedAt ?? Date.now() };
    const count = await this.shardRoom(k).shardStep({ ...this.store.requireSession(), shard: k }, step);
    const known = this.counts.get(k);
    if (!known || count.index >= known.index) this.counts.set(k, count);
    this.reportAnswerCount();
  }

  /** Closes the open question on every shard, merges their standings, and reveals it everywhere. */
  private async closeContestQuestion(index: number): Promise<void> {
    const game = this.store.game();
    if (game.phase !== 'question' || game.index !== index) return;
    const reports = await this.fanOut((room, meta) => room.shardClose(meta, index));
    const merged = mergeStandings(reports);
    const { question: q } = this.store.requireQuestion(index);
    this.store.transaction(() => {
      this.store.setMergedTop(merged.top);
      this.store.setGame(revealed(game, merged.distribution ?? distribution(q, []), game.seq));
    });
    await this.fanOut((room, _meta, k) => room.shardReveal(verdictFor(reports[k]!, merged, index)));
    this.screens.reveal();
    await this.scheduleAlarm();
  }

  /** Ends the game on every shard, merges the final standings, and shows the podium everywhere. */
  private async endContest(): Promise<void> {
    const now = Date.now();
    const reports = await this.fanOut((room, meta) => room.shardEnd(meta, now));
    const merged = mergeStandings(reports);
    const game = this.store.game();
    this.store.transaction(() => {
      this.store.setMergedTop(merged.top);
      this.store.setGame(ended(game, now, game.seq));
    });
    await this.fanOut((room, _meta, k) => room.shardFinal(verdictFor(reports[k]!, merged, game.index)));
    // The coordinator's own write only closes the session in D1: results are the shards'.
    await this.syncWithin(SYNC_WAIT_MS);
    this.screens.final();
    await this.scheduleAlarm();
  }

  /** The teacher's remote removes a student: their shard does it, and reports the removal back. */
  private async kickFromContest(participantId: string): Promise<void> {
    const shard = this.shardRoom(shardOf(participantId, this.store.requireSession().shards));
    if (!(await shard.removeStudent(participantId)))
      throw new Refused({ code: 'unknown_player', message: 'There is no such student in this game.' });
  }

  // Contests: a shard ----------------------------------------------------------------------------

  /** The coordinator of this shard's contest. */
  private coordinator() {
    return this.env.LIVE_ROOM.get(this.env.LIVE_ROOM.idFromName(this.store.requireSession().sessionId));
  }

  /** A shard records its contest's session (the first call may come before any student) and its questions. */
  private async joinContest(meta: SessionMeta): Promise<void> {
    if (this.gone) throw new Error('live room: this session was deleted');
    if (this.emptied) {
      migrate(this.ctx.storage, LIVE_STORAGE);
      this.emptied = false;
    }
    this.store.initSession(meta);
    if (this.store.questionCount() === 0)
      await this.serial(() => (this.store.questionCount() === 0 ? this.loadQuestions() : undefined));
    await this.ready();
  }

  /** RPC from the coordinator, while the class joins: the shard gets ready for `start`. */
  async shardPrepare(meta: SessionMeta): Promise<void> {
    await this.joinContest(meta);
  }

  /** RPC from the coordinator: a step of the game, taken at the coordinator's time; returns the shard's count. */
  async shardStep(meta: SessionMeta, step: ShardStep): Promise<ShardCount> {
    await this.joinContest(meta);
    return this.serial(async () => {
      const game = this.store.game();
      const limitMs = this.store.requireSession().timeLimitSec * 1000;
      const at = { now: step.at, questionCount: this.store.questionCount(), limitMs };
      // A step already taken (a call made again) changes nothing.
      switch (step.type) {
        case 'open':
          if (game.phase !== 'ended' && !(game.phase === 'question' && game.index === step.index))
            await this.applyHere({ type: 'open', game: opened(game, step.index, at) }, Date.now());
          break;
        case 'leaderboard':
          if (game.phase === 'reveal')
            await this.applyHere({ type: 'leaderboard', game: { ...game, phase: 'leaderboard' } }, Date.now());
          break;
        case 'skip':
          if (game.phase === 'question' && game.index === step.index)
            await this.applyHere({ type: 'skip', index: step.index }, Date.now());
          break;
        case 'pause':
        case 'resume': {
          const taken = hostStep(game, step.type, at);
          if ('effects' in taken) for (const effect of taken.effects) await this.applyHere(effect, Date.now());
        }
      }
      return this.count(Date.now());
    });
  }

  /** RPC from the coordinator: the shard's count of the open question. */
  async shardCount(meta: SessionMeta): Promise<ShardCount> {
    await this.joinContest(meta);
    return this.count(Date.now());
  }

  /** RPC from the coordinator: the shard scores the question (revealing nothing yet) and reports its standings. */
  async shardClose(meta: SessionMeta, index: number): Promise<ShardStandings> {
    await this.joinContest(meta);
    return this.serial(() => {
      const game = this.store.game();
      if (game.phase === 'question' && game.index === index) {
        this.scoreQuestion(game, Date.now());
        this.ctx.waitUntil(this.d1.run());
      }
      return this.standings(true);
    });
  }

  /** RPC from the coordinator: the contest's ranks and top, then the reveal to the shard's students. */
  async shardReveal(verdict: ShardVerdict): Promise<void> {
    if (!this.hasSession()) return;
    await this.ready();
    await this.serial(() => {
      const game = this.store.game();
      if (game.phase !== 'reveal' || game.index !== verdict.position) return;
      this.adopt(verdict, true);
      this.screens.reveal();
    });
  }

  /** RPC from the coordinator: the shard ends its game and reports its final standings. */
  async shardEnd(meta: SessionMeta, at: number): Promise<ShardStandings> {
    await this.joinContest(meta);
    return this.serial(async () => {
      if (this.store.game().phase !== 'ended') {
        this.finish(at);
        this.ctx.waitUntil(this.d1.run());
        await this.scheduleAlarm();
      }
      return this.standings(false);
    });
  }

  /** RPC from the coordinator: the contest's final ranks, then the podium to the shard's students. */
  async shardFinal(verdict: ShardVerdict): Promise<void> {
    if (!this.hasSession()) return;
    await this.serial(() => {
      if (this.store.game().phase !== 'ended') return;
      this.adopt(verdict, false);
      this.screens.final();
    });
  }

  /** The shard's standings for its coordinator, with the closed question's distribution or without. */
  private standings(withDistribution: boolean): ShardStandings {
    return {
      players: this.store.activeCount(),
      counts: this.store.scoreCounts(),
      top: this.store.topRows(CONTEST_TOP),
      distribution: withDistribution ? this.store.game().distribution : null,
    };
  }

  /** Takes the contest's ranks and top (and rewrites each student's result of the question with them). */
  private adopt({ ranks, ...standings }: ShardVerdict, results: boolean): void {
    const { showLeaderboard } = this.store.requireSession();
    const shown = { showLeaderboard, playerCount: standings.playerCount };
    this.store.transaction(() => {
      this.store.setRanksByScore(ranks);
      if (results) this.store.rewriteResults(standings.position, (json, row) => restandResult(json, row, shown));
      this.store.setContestStandings(standings);
    });
  }

  /** The shard's count of the open question. */
  private count(now: number): ShardCount {
    const game = this.store.game();
    const connected = this.players().size;
    if (game.phase !== 'question') return { index: game.index, answered: 0, connected, done: false };
    const { id } = this.store.requireQuestion(game.index).question;
    const answered = this.store.answerCount(id);
    // Nobody connected nor expected back: nothing to wait for here.
    const nobody = connected === 0 && this.store.droppedSince(now - RECONNECT_GRACE_MS).length === 0;
    return { index: game.index, answered, connected, done: nobody || this.allAnswered(id, now, answered) };
  }

  /** Tells the coordinator who came, went or was removed, and the count; kept for the next report if that fails. */
  private async report(): Promise<void> {
    if (!this.hasSession() || this.role() !== 'shard') return;
    const arrivals = [...this.arrivals.values()];
    const removed = [...this.removals];
    this.arrivals.clear();
    this.removals.clear();
    const { shard } = this.store.requireSession();
    try {
      await this.coordinator().shardReport({ shard: shard!, arrivals, removed, count: this.count(Date.now()) });
    } catch (err) {
      for (const a of arrivals) if (!this.arrivals.has(a.id)) this.arrivals.set(a.id, a);
      for (const id of removed) this.removals.add(id);
      console.error('live room: report to the coordinator failed', err);
    }
  }

  // Alarm and D1 ----------------------------------------------------------------------------

  /** The single alarm: a question's deadline, a grace period ending, a D1 retry, or the cleanup. */
  override async alarm(): Promise<void> {
    if (this.gone) return;
    if (!this.hasSession()) return this.ctx.storage.deleteAlarm();
    await this.ready();
    // A contest's shard leaves closing questions to its coordinator; it reports a grace period's end.
    if (this.role() === 'shard' && this.store.game().phase === 'question') await this.report();
    await this.serial(async () => {
      const game = this.store.game();
      if (game.phase === 'question' && this.role() !== 'shard') await this.closeIfDue(game.index);
      // A game left running (or a lobby never started) ends by itself; its storage goes later.
      if (idleDue(this.store.game(), this.lastActivity(), Date.now())) await this.endGame();
    });
    if (hasUnsynced(this.store)) await this.d1.run();
    if (cleanupDue(this.store.game(), Date.now()) && !hasUnsynced(this.store)) {
      await this.ctx.storage.deleteAlarm();
      await this.ctx.storage.deleteAll();
      return;
    }
    await this.scheduleAlarm();
  }

  /** When anything last happened in the room: a teacher's command or ticket, a student's answer, connection or drop. */
  private lastActivity(): number | null {
    return Math.max(this.store.game().activeAt ?? 0, this.store.lastStudentActivity() ?? 0) || null;
  }

  /** Sets the alarm to the earliest thing due, or clears it. */
  private async scheduleAlarm(): Promise<void> {
    const game = this.store.game();
    const open = running(game) ? this.store.requireQuestion(game.index).question.id : null;
    const drop = open === null ? null : this.store.firstDropWithoutAnswer(open, Date.now() - RECONNECT_GRACE_MS);
    const at = nextAlarm(game, drop, this.lastActivity());
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
