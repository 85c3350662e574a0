/** Quiz settings when nothing says otherwise, shared by the Worker and the web client. */
import type { Feedback, QuizSettings } from './api';

/**
 * What a quiz or session gets when nothing says otherwise: 30 s, questions in order, each student's
 * options in their own order (a position tells a neighbour nothing), feedback at once, leaderboard shown.
 */
/** With `autoAdvance`, the seconds the feedback on an answer stays before the next question comes. */
export const AUTO_ADVANCE_SEC = 5;

export const DEFAULT_SETTINGS: QuizSettings = {
  timeLimitSec: 30,
  shuffleQuestions: false,
  shuffleOptions: true,
  feedback: 'now',
  autoAdvance: false,
  showLeaderboard: true,
  lang: 'both',
  partialCredit: false,
};

/**
 * Scored homework (self-paced, with a closing time) shows scores and answers when it closes, unless
 * the teacher chose otherwise: while it is open, a second nickname learns nothing to copy.
 */
export const isHomework = (mode: 'self' | 'live', closesAt: number | null): boolean =>
  mode === 'self' && closesAt !== null;
export const HOMEWORK_FEEDBACK: Feedback = 'closed';

/** Extra time a roster student may have in self-paced sessions: a factor on the time per question, 0 for untimed. */
export const TIME_FACTORS = [1, 1.5, 2, 0] as const;
export type TimeFactor = (typeof TIME_FACTORS)[number];

/** A student's time per question: the session's, stretched by their factor; 0 (untimed) stays 0. */
export const studentLimitMs = (timeLimitSec: number, factor: number): number =>
  factor === 0 ? 0 : Math.round(timeLimitSec * 1000 * factor);
