/**
 * The teacher's commands, shared by the projector and the remote: what each control sends in the
 * current phase, and a controller that sends a command once per phase (a double tap of "next"
 * must not skip a screen) and keeps the controls disabled until the server answers.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { liveStrings } from '../../i18n/live';
import type { GameState, LiveGameController } from '../shared/game';
import type { HostMessage, ServerMessage } from '../../../../worker/contract';

/** A control of the game (ending is separate: it asks first). */
export type HostAction = 'next' | 'reveal' | 'pause' | 'skip';

/** The message `action` sends in the phase of `s`, or null when it does nothing there. */
export function commandFor(action: HostAction, s: GameState): HostMessage | null {
  switch (action) {
    case 'next':
      if (s.phase === 'lobby') return { type: 'start' };
      return s.phase === 'reveal' || s.phase === 'leaderboard' ? { type: 'next' } : null;
    case 'reveal':
      return s.phase === 'question' ? { type: 'reveal' } : null;
    case 'pause':
      return s.phase === 'question' ? { type: s.paused ? 'resume' : 'pause' } : null;
    case 'skip':
      return s.phase === 'question' ? { type: 'skip' } : null;
  }
}

/** True when the current (or last) question is the game's last one. */
export const lastQuestion = (s: GameState): boolean =>
  s.position !== null && s.session !== null && s.position + 1 >= s.session.questionCount;

/** What "next" does in this phase, as its button says it; null where there is no "next". */
export function nextLabel(s: GameState): string | null {
  const ls = liveStrings();
  switch (s.phase) {
    case 'lobby':
      return ls.start;
    case 'reveal':
      return lastQuestion(s) ? ls.showPodium : ls.showLeaderboard;
    case 'leaderboard':
      return ls.nextQuestion;
    default:
      return null;
  }
}

/** The phase as a key: a command is not sent twice for the same phase. */
const phaseKey = (s: GameState) => `${s.phase}:${s.position}:${s.paused}`;

/** How long a sent command blocks the controls at most, if the server never answers. */
const COMMAND_WAIT_MS = 3000;

/** Sends the teacher's commands on a game's socket, once per phase. */
export class HostCommands implements ReactiveController {
  /** The last command could not be sent (not connected). */
  notSent = false;
  /** The phase in which the last command was sent; null when none is pending. */
  private sentIn: string | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly game: LiveGameController,
  ) {
    host.addController(this);
  }

  /** True while a command sent in the current phase has not been answered. */
  get waiting(): boolean {
    return this.sentIn !== null && this.sentIn === phaseKey(this.game.state);
  }

  /** Whether the game's controls are off: not connected, or waiting for the server. */
  get blocked(): boolean {
    return this.game.connection !== 'open' || this.waiting;
  }

  /**
   * Sends `msg` unless a command of this phase is pending. A command about one student (removing
   * them, moving them to another team, hiding their open answer) is never held back, nor holds the
   * game's controls: it does not move the game.
   */
  send(msg: HostMessage): void {
    const aside = msg.type === 'kick' || msg.type === 'team' || msg.type === 'hide';
    if (this.waiting && !aside) return;
    this.notSent = !this.game.send(msg);
    this.host.requestUpdate();
    if (this.notSent || aside) return;
    this.sentIn = phaseKey(this.game.state);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.unblock(), COMMAND_WAIT_MS);
  }

  /** Runs a control in the current phase (nothing when it does nothing there). */
  act(action: HostAction): void {
    const msg = commandFor(action, this.game.state);
    if (msg) this.send(msg);
  }

  /** Call with every server message: an answer (or a move) makes the controls work again. */
  heard(msg: ServerMessage): void {
    const news = ['answerCount', 'cloud', 'player', 'pong', 'hosts'];
    if (!news.includes(msg.type)) this.unblock();
  }

  private unblock(): void {
    clearTimeout(this.timer);
    if (this.sentIn === null) return;
    this.sentIn = null;
    this.host.requestUpdate();
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    clearTimeout(this.timer);
    this.sentIn = null;
  }
}
