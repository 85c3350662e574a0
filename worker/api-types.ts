/**
 * Response bodies of the HTTP API, shared by the Worker and the web client (types only).
 * Times are milliseconds.
 */
import type { Reveal, StudentQuestion } from './questions/present';
import type { Localized, QuestionType, Topic } from './questions/schema';

export type { Reveal, StudentQuestion };

/** Public facts about a session, as the join page shows them. */
export interface SessionInfo {
  code: string;
  title: string;
  status: 'open' | 'closed';
  questionCount: number;
  timeLimitSec: number;
  /** `self`: self-paced (HTTP play routes); `live`: teacher-paced over a WebSocket. */
  mode: 'self' | 'live';
  /** Language of the questions; `both` shows the student's choice first and the other beneath. */
  lang: SessionLang;
}

/** Languages a teacher can set for a session. */
export type SessionLang = 'zh' | 'en' | 'both';

/** `GET /api/bank`: what a teacher can pick from. */
export interface BankSummary {
  total: number;
  topics: { topic: Topic; count: number }[];
  types: { type: QuestionType; count: number }[];
  difficulties: { difficulty: 1 | 2 | 3; count: number }[];
}

/** `POST /api/sessions` (201). The teacher key is shown once and never stored in the clear. */
export interface CreatedSession extends SessionInfo {
  id: string;
  teacherKey: string;
  /** Path of the teacher's private page, the key in its fragment (never sent to a server log). */
  teacherPath: string;
  joinPath: string;
}

/** `POST /api/codes/:code/participants` (201). */
export interface Joined {
  token: string;
  nickname: string;
  expiresAt: number;
  session: SessionInfo;
}

/** A row of a leaderboard. Equal score and equal finish share a rank. */
export interface LeaderboardEntry {
  rank: number;
  nickname: string;
  score: number;
  correct: number;
  answered: number;
  finished: boolean;
}

/** `GET /api/play`: where the student is. */
export interface PlayState {
  session: SessionInfo;
  me: { nickname: string; score: number; answered: number; finished: boolean };
  /** The current question, or null when finished or the session is closed. */
  current: { position: number; question: StudentQuestion; limitMs: number; remainingMs: number } | null;
}

/** `POST /api/play/answers`: the verdict, the proof, and what comes next. */
export interface AnswerResult {
  questionId: string;
  correct: boolean;
  /** True when the answer arrived after the time limit (scored 0). */
  late: boolean;
  points: number;
  timeMs: number;
  /** True when this is a repeat of an answer already recorded (nothing was scored again). */
  repeated: boolean;
  reveal: Reveal;
  me: PlayState['me'];
}

/** `GET /api/play/leaderboard` and the teacher's view. */
export interface Leaderboard {
  entries: LeaderboardEntry[];
  /** The asking student's own row, when a student asks. */
  me?: LeaderboardEntry;
}

/** `GET /api/sessions/:id`: the teacher's live view. */
export interface TeacherView {
  session: SessionInfo & { id: string; createdAt: number; closedAt: number | null };
  questions: { position: number; id: string; type: QuestionType; stem: Localized; answered: number; correct: number }[];
  leaderboard: LeaderboardEntry[];
  recent: { nickname: string; position: number; correct: boolean; points: number; timeMs: number; answeredAt: number }[];
}
