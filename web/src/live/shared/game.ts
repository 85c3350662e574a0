/**
 * The live game as a screen knows it: the server's messages folded into one state object
 * ({@link applyMessage}, a pure function), and a Lit controller that keeps the socket open while
 * its element is on the page and re-renders the element on every change. The projector and the
 * student's device share it; they differ only in what they render and send.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { LiveSocket, socketUrl, type SocketStatus } from './socket';
import type {
  AnswerCountMessage,
  ClientMessage,
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

/** Everything the screens render from. Null until the server has said. */
export interface GameState {
  session: LiveSessionInfo | null;
  /** Null before the first `welcome`. */
  phase: LivePhase | null;
  position: number | null;
  playerCount: number;
  /** Projector: the students in the game, in the order they joined. */
  players: LobbyPlayer[];
  /** Student: their own standing. */
  me: PlayerStanding | null;
  /** The open (or last) question. */
  question: QuestionMessage | null;
  /** Time left as of {@link GameState.clockAt} (`performance.now()`); null when untimed. */
  remainingMs: number | null;
  clockAt: number;
  paused: boolean;
  answerCount: AnswerCountMessage | null;
  /** Student: id of the question whose answer the server has stored. */
  acked: string | null;
  reveal: RevealMessage | null;
  result: ResultMessage | null;
  leaderboard: LeaderboardMessage | null;
  final: FinalMessage | null;
  skipped: SkippedMessage | null;
  /** The last refusal; cleared when the game moves on. */
  error: ErrorMessage | null;
  /** Host: the teacher's screens connected now (the projector hides its controls while a remote is). */
  hosts: { projectors: number; remotes: number } | null;
}

export const initialState = (): GameState => ({
  session: null,
  phase: null,
  position: null,
  playerCount: 0,
  players: [],
  me: null,
  question: null,
  remainingMs: null,
  clockAt: 0,
  paused: false,
  answerCount: null,
  acked: null,
  reveal: null,
  result: null,
  leaderboard: null,
  final: null,
  skipped: null,
  error: null,
  hosts: null,
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
        phase: 'question',
        position: msg.position,
        question: msg,
        remainingMs: msg.remainingMs,
        clockAt: now,
        paused: msg.paused,
        // A snapshot of the same question keeps what is known of it; a new question starts clean.
        acked: same ? state.acked : null,
        answerCount: same ? state.answerCount : null,
        result: same ? state.result : null,
        skipped: null,
        error: null,
      };
    }
    case 'answerCount':
      return { ...state, answerCount: msg };
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
        me: state.me && { ...state.me, score: msg.score, streak: msg.streak, rank: msg.rank },
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
    case 'hosts':
      return { ...state, hosts: { projectors: msg.projectors, remotes: msg.remotes } };
    case 'error':
      return { ...state, error: msg };
    case 'kicked':
    case 'closed':
    case 'pong':
      return state;
  }
}

/** The question of the current phase, if its message has arrived (a snapshot's frames come one by one). */
export const openQuestion = (s: GameState): QuestionMessage | null =>
  s.phase === 'question' && s.question && s.question.position === s.position ? s.question : null;

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

/** What a page adds to the shared controller. */
export interface GameHooks {
  /** After every message, once the state has been updated. */
  onMessage?(msg: ServerMessage, state: GameState): void;
  /** The socket failed to open `failures` times in a row (see `SocketHandlers.refused`). */
  onRefused?(failures: number): void;
  /** The server closed the socket for good: 4000 (replaced) or 4001 (kicked). */
  onStopped?(code: number): void;
}

/**
 * Keeps the live socket of `path` open while the host element is connected and re-renders the
 * host on every message and connection change.
 */
export class LiveGameController implements ReactiveController {
  state: GameState = initialState();
  connection: SocketStatus = 'connecting';
  private socket: LiveSocket | null = null;
  private path = '';

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly hooks: GameHooks = {},
  ) {
    host.addController(this);
  }

  /** Connects to `path` (an API path with its credential in the query), dropping any previous game. */
  connect(path: string): void {
    this.socket?.stop();
    this.path = path;
    this.state = initialState();
    this.socket = new LiveSocket(socketUrl(path), {
      message: (msg) => {
        this.state = applyMessage(this.state, msg, performance.now());
        this.hooks.onMessage?.(msg, this.state);
        this.host.requestUpdate();
      },
      status: (status, code) => {
        this.connection = status;
        if (code !== undefined) this.hooks.onStopped?.(code);
        this.host.requestUpdate();
      },
      refused: (failures) => this.hooks.onRefused?.(failures),
    });
    this.socket.start();
  }

  /** Connects again after the socket stopped (e.g. "continue on this screen" after being replaced). */
  reconnect(): void {
    if (this.path) this.connect(this.path);
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
    if (this.path && !this.socket) this.connect(this.path);
  }

  hostDisconnected(): void {
    this.stop();
  }
}
