/**
 * The live game as a screen knows it: the server's messages folded into one state object
 * ({@link applyMessage}, a pure function), and a Lit controller that keeps the socket open while
 * its element is on the page and re-renders the element on every change. The projector, the
 * teacher's remote and the student's device share it; they differ only in what they render and send.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ApiFailure } from '../../core/api';
import { LiveSocket, type SocketEnd, type SocketStatus, type TicketSource } from './socket';
import {
  LIVE_CLOSE_CODES,
  type ClosedMessage,
  AnswerCountMessage,
  ClientMessage,
  CloudMessage,
  ErrorMessage,
  FinalMessage,
  LeaderboardMessage,
  LiveErrorCode,
  LivePhase,
  LiveSessionInfo,
  LobbyPlayer,
  PlayerStanding,
  QuestionMessage,
  ResultMessage,
  RevealMessage,
  ServerMessage,
  SkippedMessage,
} from '../../../../worker/contract';

/** The teacher's screens connected to the room (from `hosts`). */
export interface HostScreens {
  projectors: number;
  remotes: number;
}

/** Everything the screens render from. Null until the server has said. */
export interface GameState {
  session: LiveSessionInfo | null;
  /** Null before the first `welcome`. */
  phase: LivePhase | null;
  position: number | null;
  playerCount: number;
  /** Teacher's screens: the students in the game, in the order they joined. */
  players: LobbyPlayer[];
  /** Teacher's screens: which of them are connected; null until the server has said. */
  hosts: HostScreens | null;
  /** Student: their own standing. */
  me: PlayerStanding | null;
  /**
   * The open (or last) question. In the snapshot of a reveal it arrives with `closed: true` just
   * before the reveal: the question to show beside its answer, no longer open (see {@link openQuestion}).
   */
  question: QuestionMessage | null;
  /** Time left as of {@link GameState.clockAt} (`performance.now()`); null when untimed. */
  remainingMs: number | null;
  clockAt: number;
  paused: boolean;
  answerCount: AnswerCountMessage | null;
  /** Teacher's screens: the word cloud of the current open question (its `questionId` says which). */
  cloud: CloudMessage | null;
  /** Student: id of the question whose answer the server has stored. */
  acked: string | null;
  reveal: RevealMessage | null;
  result: ResultMessage | null;
  leaderboard: LeaderboardMessage | null;
  final: FinalMessage | null;
  skipped: SkippedMessage | null;
  /** The last refusal; cleared when the game moves on. */
  error: ErrorMessage | null;
  /** The teacher closed or deleted the session: the game is over for good. */
  closed: ClosedMessage['reason'] | null;
}

export const initialState = (): GameState => ({
  session: null,
  phase: null,
  position: null,
  playerCount: 0,
  players: [],
  hosts: null,
  me: null,
  question: null,
  remainingMs: null,
  clockAt: 0,
  paused: false,
  answerCount: null,
  cloud: null,
  acked: null,
  reveal: null,
  result: null,
  leaderboard: null,
  final: null,
  skipped: null,
  error: null,
  closed: null,
});

/** The state after `msg`, received at `now` (`performance.now()`, immune to the device's clock). */
export function applyMessage(state: GameState, msg: ServerMessage, now: number): GameState {
  switch (msg.type) {
    case 'welcome':
      return {
        ...state,
        session: msg.session,
        phase: msg.phase,
        position: msg.position,
        playerCount: msg.playerCount,
        players: msg.players ?? state.players,
        me: msg.me ?? state.me,
        error: null,
      };
    case 'player': {
      const players = state.players.some((p) => p.participantId === msg.player.participantId)
        ? state.players.map((p) => (p.participantId === msg.player.participantId ? msg.player : p))
        : [...state.players, msg.player];
      return { ...state, players, playerCount: msg.playerCount };
    }
    case 'playerRemoved':
      return {
        ...state,
        players: state.players.filter((p) => p.participantId !== msg.participantId),
        playerCount: msg.playerCount,
      };
    case 'question': {
      const same = state.question?.question.id === msg.question.id;
      return {
        ...state,
        // A closed question (a reveal's snapshot) is shown with the reveal that follows it, never answered.
        phase: msg.closed ? state.phase : 'question',
        position: msg.position,
        question: msg,
        remainingMs: msg.remainingMs,
        clockAt: now,
        paused: msg.paused,
        // A snapshot of the same question keeps what is known of it; a new question starts clean.
        acked: same ? state.acked : null,
        answerCount: same ? state.answerCount : null,
        cloud: same ? state.cloud : null,
        result: same ? state.result : null,
        skipped: null,
        error: null,
      };
    }
    case 'answerCount':
      return { ...state, answerCount: msg };
    case 'cloud':
      return { ...state, cloud: msg };
    case 'ack':
      return { ...state, acked: msg.questionId, error: null };
    case 'paused':
      return { ...state, paused: true, remainingMs: msg.remainingMs, clockAt: now };
    case 'resumed':
      return { ...state, paused: false, remainingMs: msg.remainingMs, clockAt: now, error: null };
    case 'reveal':
      return { ...state, phase: 'reveal', position: msg.position, reveal: msg, error: null };
    case 'result':
      return {
        ...state,
        result: msg,
        // `correct` is left alone: after a reload the welcome's standing already counts this question.
        me: state.me && {
          ...state.me,
          score: msg.score,
          streak: msg.streak,
          rank: msg.rank,
          // In team mode, the team's rank moves with each question too.
          ...(msg.teamRank !== undefined ? { teamRank: msg.teamRank } : {}),
        },
        playerCount: msg.playerCount,
      };
    case 'leaderboard':
      return {
        ...state,
        phase: 'leaderboard',
        position: msg.position,
        leaderboard: msg,
        playerCount: msg.playerCount,
        error: null,
      };
    case 'final':
      return {
        ...state,
        phase: 'ended',
        final: msg,
        me: msg.me ?? state.me,
        playerCount: msg.playerCount,
        error: null,
      };
    case 'skipped':
      return { ...state, skipped: msg };
    case 'error':
      return { ...state, error: msg };
    case 'hosts':
      return { ...state, hosts: { projectors: msg.projectors, remotes: msg.remotes } };
    case 'closed':
      return { ...state, closed: msg.reason };
    case 'kicked':
    case 'pong':
      return state;
  }
}

/** The question of the current phase, if its message has arrived (a snapshot's frames come one by one). */
export const openQuestion = (s: GameState): QuestionMessage | null =>
  s.phase === 'question' && s.question && !s.question.closed && s.question.position === s.position ? s.question : null;

/** The question a reveal is about, when this screen has it (sent just before the reveal). */
export const revealedQuestion = (s: GameState, reveal: RevealMessage): QuestionMessage | null =>
  s.question?.question.id === reveal.questionId ? s.question : null;

/** The word cloud of `questionId` (the session's id), if it has arrived. */
export const cloudOf = (s: GameState, questionId: string | undefined): CloudMessage | null =>
  s.cloud && s.cloud.questionId === questionId ? s.cloud : null;

/** The reveal of the current question, if it has arrived. */
export const currentReveal = (s: GameState): RevealMessage | null =>
  (s.phase === 'reveal' || s.phase === 'leaderboard') && s.reveal?.position === s.position ? s.reveal : null;

/** The student's result for the current reveal, if it has arrived. */
export const currentResult = (s: GameState): ResultMessage | null =>
  s.result && s.result.position === s.position ? s.result : null;

/** Milliseconds left on the open question now; null when untimed. */
export function remainingNow(s: GameState, now = performance.now()): number | null {
  if (s.remainingMs === null) return null;
  return s.paused ? s.remainingMs : Math.max(0, s.remainingMs - (now - s.clockAt));
}

/**
 * Why a screen's game is over for good: the same person connected elsewhere (`replaced`), the
 * teacher removed the student (`kicked`), closed or deleted the session, the socket sent too much
 * (`flooding`), or the API refused the ticket (`refused`, with its failure: credential rejected,
 * not a live session…).
 */
export type GameOver =
  | { reason: 'replaced' | 'kicked' | 'closed' | 'deleted' | 'flooding' }
  | { reason: 'refused'; failure: ApiFailure };

const CLOSE_REASONS: Record<number, Exclude<GameOver['reason'], 'refused'>> = {
  [LIVE_CLOSE_CODES.replaced]: 'replaced',
  [LIVE_CLOSE_CODES.kicked]: 'kicked',
  [LIVE_CLOSE_CODES.closed]: 'closed',
  [LIVE_CLOSE_CODES.deleted]: 'deleted',
  [LIVE_CLOSE_CODES.flooding]: 'flooding',
};

/** What a final close code or a refused ticket means for the screens. */
export function gameOver(end: SocketEnd): GameOver {
  if ('code' in end) return { reason: CLOSE_REASONS[end.code] ?? 'closed' };
  // 410: the session was closed, which the ticket route says before any socket could.
  if (end.refused.status === 410 || end.refused.code === 'session_closed') return { reason: 'closed' };
  return { reason: 'refused', failure: end.refused };
}

/** What a page adds to the shared controller. */
export interface GameHooks {
  /** After every message, once the state has been updated. */
  onMessage?(msg: ServerMessage, state: GameState): void;
  /** A ticket request failed and will be retried (`null` once connected again), e.g. not open yet. */
  onWaiting?(err: unknown): void;
  /** The game is over for good on this screen (see {@link LiveGameController.over}). */
  onOver?(over: GameOver): void;
}

/**
 * Keeps a live socket open while the host element is connected (each connection with a fresh
 * ticket from `tickets`) and re-renders the host on every message and connection change.
 */
export class LiveGameController implements ReactiveController {
  state: GameState = initialState();
  connection: SocketStatus = 'connecting';
  /** Set when the game ended for good on this screen; null while it goes on. */
  over: GameOver | null = null;
  private socket: LiveSocket | null = null;
  private tickets: TicketSource | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly hooks: GameHooks = {},
  ) {
    host.addController(this);
  }

  /** Connects with tickets from `tickets`, dropping any previous game. */
  connect(tickets: TicketSource): void {
    this.socket?.stop();
    this.tickets = tickets;
    this.state = initialState();
    this.over = null;
    const socket = new LiveSocket(tickets, {
      message: (msg) => {
        this.state = applyMessage(this.state, msg, performance.now());
        this.hooks.onMessage?.(msg, this.state);
        // Closed, deleted or removed: the socket closes right after; nothing will bring the game back.
        if (msg.type === 'closed') this.finish({ reason: msg.reason });
        else if (msg.type === 'kicked') this.finish({ reason: 'kicked' });
        this.host.requestUpdate();
      },
      status: (status, end) => {
        this.connection = status;
        if (status === 'open') this.hooks.onWaiting?.(null);
        if (end) this.finish(gameOver(end));
        this.host.requestUpdate();
      },
      waiting: (err) => {
        this.hooks.onWaiting?.(err);
        this.host.requestUpdate();
      },
    });
    this.socket = socket;
    socket.start();
  }

  private finish(over: GameOver): void {
    if (this.over) return;
    this.over = over;
    this.socket?.stop();
    this.socket = null;
    this.hooks.onOver?.(over);
  }

  /** Connects again after the game stopped (e.g. "continue on this screen" after being replaced). */
  reconnect(): void {
    if (this.tickets) this.connect(this.tickets);
  }

  /** Closes the socket for good. */
  stop(): void {
    this.socket?.stop();
    this.socket = null;
  }

  /** Sends a message; false when not connected. */
  send(msg: ClientMessage): boolean {
    return this.socket?.send(msg) ?? false;
  }

  /** Clears a shown refusal (e.g. once the student changed their answer). */
  clearError(code?: LiveErrorCode): void {
    if (this.state.error && (!code || this.state.error.code === code)) {
      this.state = { ...this.state, error: null };
      this.host.requestUpdate();
    }
  }

  hostConnected(): void {
    // Back on the page (Lit re-attached the element): pick the game up where it is.
    if (this.tickets && !this.socket && !this.over) this.connect(this.tickets);
  }

  hostDisconnected(): void {
    this.stop();
  }
}
