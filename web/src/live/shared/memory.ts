/**
 * What a live screen keeps for the length of the tab. The server's snapshot of a reveal carries
 * the answer but not the question, and never what a student sent; so the last question (and the
 * student's answer to it) are kept here, and a reload in the middle of a reveal still shows the
 * options by name and "you answered …". Storage may be unavailable: then a reload shows less.
 */
import type { AnswerResponse, StudentQuestion } from '../../../../worker/contract';

/** The last question seen on this screen and, on a student's device, their answer to it. */
export interface Remembered {
  question: StudentQuestion;
  response?: AnswerResponse;
  /** Estimated answering time (the server does not send its own in the result). */
  timeMs?: number;
}

const key = (screen: string) => `pomegranate:live:${screen}`;

/** The remembered question of `screen` (a join code, or `host:<session id>`), if it is `questionId`. */
export function recall(screen: string, questionId: string): Remembered | null {
  try {
    const saved = JSON.parse(sessionStorage.getItem(key(screen)) ?? 'null') as Remembered | null;
    return saved?.question?.id === questionId ? saved : null;
  } catch {
    return null;
  }
}

/** Keeps `entry` as the screen's last question. */
export function remember(screen: string, entry: Remembered): void {
  try {
    sessionStorage.setItem(key(screen), JSON.stringify(entry));
  } catch {
    // Not kept: a reload during the reveal shows the verdict without the options' texts.
  }
}
