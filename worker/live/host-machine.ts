/**
 * The live game's phases as a pure state machine: which teacher command is allowed in which phase,
 * what it changes, and when a student's answer is taken. The room (`worker/rooms/live-room.ts`)
 * passes the stored game and the server's clock, stores the states returned and carries out the
 * effects (broadcasts, scoring, D1 writes, alarms); nothing here touches storage, sockets or time.
 *
 *   lobby ─start→ question ─(reveal, deadline, everyone answered)→ reveal ─next→ leaderboard
 *         ─next→ question …
 *
 * After the last question's reveal, `next` ends the game. `skip` drops the open question unscored and
 * opens the next one (or ends); `end` finishes from any phase but `ended`; `pause`/`resume` freeze and
 * restart an open question's countdown.
 */
import type { GameState } from './state';
import type { Distribution, HostMessage, LiveErrorCode } from '../contract';

/** A dropped student still counts as expected to answer for this long (time to reload). */
export const RECONNECT_GRACE_MS = 10_000;
/** A finished game's storage is deleted this long after the end, once D1 has everything. */
export const CLEANUP_AFTER_MS = 7 * 24 * 3600 * 1000;
/**
 * A game nobody touched for this long (no teacher command or screen, no student answer, connection
 * or drop) is ended as with `end` (results to D1, the session closed), so that no room, not even a
 * lobby that never started, waits for ever; its storage then goes after {@link CLEANUP_AFTER_MS}.
 * A lesson with a quiz is far shorter.
 */
export const IDLE_END_MS = 6 * 3600 * 1000;

/**
 * A teacher's command that moves the game (`kick`, `team` and `hide` act on one student, with no
 * step here).
 */
export type HostCommand = Exclude<HostMessage['type'], 'kick' | 'team' | 'hide'>;

/** Why a command or an answer is not taken now; the client gets it as an `error`. */
export interface Refusal {
  code: LiveErrorCode;
  message: string;
}

/** What the room does after a command, in order. */
export type HostEffect =
  /** Store `game` (a question just opened), send the question, set the deadline alarm. */
  | { type: 'open'; game: GameState }
  /** Store `game` (the standings after a reveal) and send them. */
  | { type: 'leaderboard'; game: GameState }
  /** Store `game` (countdown frozen) and tell everyone the time left. */
  | { type: 'pause'; game: GameState; remainingMs: number | null }
  /** Store `game` (countdown running again) and tell everyone the time left. */
  | { type: 'resume'; game: GameState; remainingMs: number | null }
  /** Drop the answers to the question at `index` and tell everyone it was skipped. */
  | { type: 'skip'; index: number }
  /** Score the question at `index` and reveal it ({@link revealed}). */
  | { type: 'close'; index: number }
  /** Score an open question, rank for the last time and show the podium ({@link ended}). */
  | { type: 'end' };

export type HostStep = { refusal: Refusal } | { effects: HostEffect[] };

/** What a step needs to know besides the game. */
export interface HostContext {
  now: number;
  questionCount: number;
  /** The session's time limit per question; 0 when untimed. */
  limitMs: number;
}

const refuse = (code: LiveErrorCode, message: string): { refusal: Refusal } => ({ refusal: { code, message } });
const notNow = (message: string) => refuse('not_now', message);

/** The state with the question at `index` open from `now`. */
export const opened = (game: GameState, index: number, { now, limitMs }: HostContext): GameState => ({
  ...game,
  phase: 'question',
  index,
  startedAt: now,
  endsAt: limitMs > 0 ? now + limitMs : null,
  pausedAt: null,
  pausedRemainingMs: null,
  distribution: null,
});

/** The state once the open question is scored; `seq` is the change number its new totals took. */
export const revealed = (game: GameState, distribution: Distribution, seq: number): GameState => ({
  ...game,
  phase: 'reveal',
  endsAt: null,
  pausedAt: null,
  pausedRemainingMs: null,
  distribution,
  seq,
});

/** The state at the end; `seq` is the change number every student's final row took. */
export const ended = (game: GameState, now: number, seq: number): GameState => ({
  ...game,
  phase: 'ended',
  endedAt: now,
  endsAt: null,
  pausedAt: null,
  pausedRemainingMs: null,
  seq,
});

/** The next question, or the end after the last one. */
const advance = (game: GameState, at: HostContext): HostEffect =>
  game.index + 1 >= at.questionCount ? { type: 'end' } : { type: 'open', game: opened(game, game.index + 1, at) };

/** The effects of a teacher's command, or why it is refused in this phase. */
export function hostStep(game: GameState, command: HostCommand, at: HostContext): HostStep {
  const { now } = at;
  switch (command) {
    case 'start':
      if (game.phase !== 'lobby') return notNow('The game has already started.');
      if (at.questionCount === 0) return refuse('no_questions', 'This session has no questions.');
      return { effects: [{ type: 'open', game: opened(game, 0, at) }] };
    case 'next':
      if (game.phase === 'reveal') {
        if (game.index + 1 >= at.questionCount) return { effects: [{ type: 'end' }] };
        return { effects: [{ type: 'leaderboard', game: { ...game, phase: 'leaderboard' } }] };
      }
      if (game.phase === 'leaderboard') return { effects: [advance(game, at)] };
      return notNow(
        game.phase === 'question' ? 'Reveal or skip the open question first.' : 'There is no next step now.',
      );
    case 'reveal':
      if (game.phase !== 'question') return notNow('No question is open.');
      return { effects: [{ type: 'close', index: game.index }] };
    case 'pause': {
      if (game.phase !== 'question' || game.pausedAt !== null) return notNow('Only an open question can be paused.');
      const remainingMs = game.endsAt === null ? null : Math.max(0, game.endsAt - now);
      const paused = { ...game, pausedAt: now, pausedRemainingMs: remainingMs, endsAt: null };
      return { effects: [{ type: 'pause', game: paused, remainingMs }] };
    }
    case 'resume': {
      if (game.phase !== 'question' || game.pausedAt === null) return notNow('The game is not paused.');
      const remainingMs = game.pausedRemainingMs;
      const endsAt = remainingMs === null ? null : now + remainingMs;
      // Answering time excludes the pause: the start moves forward by its length.
      const startedAt = game.startedAt! + (now - game.pausedAt);
      const resumed = { ...game, startedAt, endsAt, pausedAt: null, pausedRemainingMs: null };
      return { effects: [{ type: 'resume', game: resumed, remainingMs }] };
    }
    case 'skip':
      if (game.phase !== 'question') return notNow('No question is open.');
      return { effects: [{ type: 'skip', index: game.index }, advance(game, at)] };
    case 'end':
      if (game.phase === 'ended') return notNow('The game is over already.');
      return { effects: [{ type: 'end' }] };
  }
}

/** An open question whose countdown runs (not paused). */
export const running = (game: GameState): boolean => game.phase === 'question' && game.pausedAt === null;

/** The open question's deadline has passed (never, when untimed or paused). */
export const pastDeadline = (game: GameState, now: number): boolean => game.endsAt !== null && now >= game.endsAt;

/** Time spent answering the open question so far; pauses do not count. */
export const answeringMs = (game: GameState, now: number): number => (game.pausedAt ?? now) - game.startedAt!;

/**
 * Why an answer to `questionId` is not taken now, or null when it is. `openQuestionId` names the
 * question at an index (asked only while a question is open).
 */
export function answerRefusal(
  game: GameState,
  questionId: string,
  openQuestionId: (index: number) => string,
): Refusal | null {
  if (game.phase === 'lobby') return { code: 'not_now', message: 'The game has not started yet.' };
  if (game.phase !== 'question') return { code: 'question_closed', message: 'Too late: this question is closed.' };
  if (questionId !== openQuestionId(game.index))
    return { code: 'not_current_question', message: 'That is not the open question.' };
  if (game.pausedAt !== null) return { code: 'paused', message: 'The game is paused; answer when it goes on.' };
  return null;
}

/**
 * When the room's single alarm is due next, or null for none: the open question's deadline, the end of
 * the grace period of the first student who dropped without answering (`firstDrop`, the time they
 * dropped), a D1 retry, the idle end of a game not over (`lastActivity`: see {@link idleDue}), or
 * the cleanup after the end.
 */
export function nextAlarm(
  game: GameState,
  firstDrop: number | null,
  lastActivity: number | null = null,
): number | null {
  const times: number[] = [];
  if (game.phase !== 'ended' && lastActivity !== null) times.push(lastActivity + IDLE_END_MS);
  if (running(game)) {
    if (game.endsAt !== null) times.push(game.endsAt);
    if (firstDrop !== null) times.push(firstDrop + RECONNECT_GRACE_MS + 1);
  }
  if (game.syncRetryAt !== null) times.push(game.syncRetryAt);
  if (game.phase === 'ended' && game.endedAt !== null) times.push(game.endedAt + CLEANUP_AFTER_MS);
  return times.length ? Math.min(...times) : null;
}

/** The game is not over and nothing has happened in it for {@link IDLE_END_MS}. */
export const idleDue = (game: GameState, lastActivity: number | null, now: number): boolean =>
  game.phase !== 'ended' && lastActivity !== null && now >= lastActivity + IDLE_END_MS;

/** A finished game's storage may go (once D1 has everything). */
export const cleanupDue = (game: GameState, now: number): boolean =>
  game.phase === 'ended' && game.endedAt !== null && now >= game.endedAt + CLEANUP_AFTER_MS;
