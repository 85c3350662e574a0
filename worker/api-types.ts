/**
 * Response bodies of the HTTP API, shared by the Worker and the web client (types only).
 * Times are milliseconds.
 */
import type { Reveal, StudentQuestion } from './questions/present';
import type { Localized, QuestionType, Topic } from './questions/schema';

export type { Reveal, StudentQuestion };

/** Public facts about a session, as the join page and the student's device show them. */
export interface SessionInfo {
  code: string;
  title: string;
  /** `scheduled`: not open yet (see `opensAt`); `closed`: by the teacher or by `closesAt`. */
  status: 'open' | 'closed' | 'scheduled';
  questionCount: number;
  /** Seconds per question; 0 means untimed (points do not depend on speed). */
  timeLimitSec: number;
  /** Language of the questions; `both` shows the student's choice first and the other beneath. */
  lang: SessionLang;
  /** `self`: self-paced (HTTP play routes); `live`: teacher-paced over a WebSocket. */
  mode: 'self' | 'live';
  /** `now`: right or wrong after each answer; `end`: only once the student has finished. */
  feedback: 'now' | 'end';
  showLeaderboard: boolean;
  /** No new students while locked. */
  locked: boolean;
  opensAt: number | null;
  closesAt: number | null;
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
  /** `score` is null while feedback is held back until the end. */
  me: { nickname: string; score: number | null; answered: number; finished: boolean };
  /** The current question, or null when finished, not open yet, or closed. */
  current: {
    position: number;
    question: StudentQuestion;
    /** 0 when untimed. */
    limitMs: number;
    /** Null when untimed. */
    remainingMs: number | null;
  } | null;
}

/** How an answer was judged, with the proof. */
export interface Verdict {
  correct: boolean;
  /** True when the answer arrived after the time limit (scored 0). */
  late: boolean;
  points: number;
  timeMs: number;
  reveal: Reveal;
}

/** `POST /api/play/answers`: the answer is recorded; the verdict comes now or, with feedback at the end, null. */
export interface AnswerResult {
  questionId: string;
  /** True when this is a repeat of an answer already recorded (nothing was scored again). */
  repeated: boolean;
  verdict: Verdict | null;
  me: PlayState['me'];
}

/** `GET /api/play/review`, once the student has finished (or the session is closed): every answer with its verdict. */
export interface Review {
  items: { position: number; question: StudentQuestion; response: unknown; verdict: Verdict }[];
}

/** `GET /api/play/leaderboard` and the teacher's view. */
export interface Leaderboard {
  /** True when the teacher hides the leaderboard from students (`entries` is then empty). */
  hidden?: boolean;
  entries: LeaderboardEntry[];
  /** The asking student's own row, when a student asks. */
  me?: LeaderboardEntry;
}

/** A session's settings as the teacher sees them. */
export interface SessionSettings {
  shuffleQuestions: boolean;
  shuffleOptions: boolean;
  partialCredit: boolean;
  maxPlayers: number;
}

/** `GET /api/sessions/:id`: the teacher's live view. */
export interface TeacherView {
  session: SessionInfo &
    SessionSettings & { id: string; createdAt: number; closedAt: number | null; classId: string | null; quizId: string | null };
  questions: { position: number; id: string; type: QuestionType; stem: Localized; answered: number; correct: number }[];
  leaderboard: LeaderboardEntry[];
  participants: { id: string; nickname: string; rosterId: string | null; joinedAt: number; answered: number; score: number; finished: boolean }[];
  recent: { nickname: string; position: number; correct: boolean; points: number; timeMs: number; answeredAt: number }[];
}

/** `GET /api/sessions`: a signed-in teacher's sessions, newest first. */
export interface SessionList {
  sessions: (SessionInfo & { id: string; createdAt: number; classId: string | null; className: string | null; quizId: string | null; participants: number })[];
}
