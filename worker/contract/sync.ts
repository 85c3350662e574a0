/**
 * Sending a classroom laptop's results to the cloud: what the cloud's account page shows of its
 * link tokens, and what the laptop's account page shows of its link and of each session's send.
 */
import type { ErrorCode } from './errors';

/** A link token as the cloud lists it (the token itself is shown only once, when it is made). */
export interface LinkTokenSummary {
  id: string;
  name: string;
  createdAt: number;
  expiresAt: number;
  lastUsedAt: number | null;
}

/** `POST /api/link-tokens`: the new token, this once. */
export interface CreatedLinkToken extends LinkTokenSummary {
  token: string;
}

/** `GET /api/cloud/link` on the laptop: the cloud its teacher account sends to, or null. */
export interface CloudLink {
  url: string;
  /** The cloud account the token belongs to ("Ms Li · li@school.example"). */
  account: string;
  createdAt: number;
}

/** Where a closed session stands: not sent yet, part sent, on the cloud, or refused by it. */
export type SendState = 'waiting' | 'sending' | 'sent' | 'refused';

/** One closed session of the laptop's teacher and its send state. */
export interface SessionSend {
  id: string;
  title: string;
  closedAt: number;
  state: SendState;
  /** Students on the cloud so far, of `total`. */
  sent: number;
  total: number;
  /** Why the cloud refused it, or why the last try failed (the cloud unreachable). */
  error: { code: ErrorCode; message: string } | null;
}

/** Sessions the account page sends by itself: not sent yet, or interrupted (a refusal waits for the teacher). */
export const isDue = (s: SessionSend): boolean => s.state === 'waiting' || s.state === 'sending';

/** `POST /api/cloud/pull`: what came from the cloud and was stored on the laptop. */
export interface PullResult {
  quizzes: number;
  classes: number;
  questions: number;
  /** Quizzes or classes left out: their id belongs to another account of this laptop, or a question is missing. */
  skipped: number;
}
