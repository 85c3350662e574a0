/**
 * Response and request bodies of the signed-in teacher's API routes that the Worker does not
 * declare as types (its routes build them inline), as the web client sees them.
 *
 * The types the Worker does declare (the teacher, quiz settings, session and class reports, item
 * statistics, drafts) come from `worker/contract/`, and request bodies from `worker/requests.ts`:
 * import them from there, not from here. Only the files listed in tsconfig.web.json can be
 * imported from the worker (the routes pull in Cloudflare's globals).
 */
import type { Localized, Question, QuestionType, QuizSettings, TimeFactor, Topic } from '../../../worker/contract';

/** `GET /api/classes`. */
export interface ClassSummary {
  id: string;
  name: string;
  createdAt: number;
  /** Number of names on the roster. */
  roster: number;
  /** Number of sessions played by the class. */
  sessions: number;
}

/** A name on a class roster. */
export interface RosterEntry {
  id: string;
  name: string;
  /** Extra time in self-paced sessions: the time per question times this (1, 1.5, 2), or 0 for untimed. */
  timeFactor: TimeFactor;
}

/** `GET /api/classes/:id`. */
export interface ClassDetail {
  id: string;
  name: string;
  createdAt: number;
  roster: RosterEntry[];
  sessions: {
    id: string;
    title: string;
    code: string;
    status: 'open' | 'closed';
    createdAt: number;
    participants: number;
  }[];
}

/** `GET /api/quizzes`. */
export interface QuizSummary {
  id: string;
  title: string;
  settings: QuizSettings;
  updatedAt: number;
  questionCount: number;
}

/** A question of a quiz or of the bank, answer key included; `own` when the teacher wrote it. */
export interface OwnedQuestion {
  id: string;
  own: boolean;
  question: Question;
}

/** `GET /api/quizzes/:id`. */
export interface QuizDetail {
  id: string;
  title: string;
  settings: QuizSettings;
  updatedAt: number;
  questions: OwnedQuestion[];
}

/** `GET /api/questions` filters. */
export interface BankFilter {
  q?: string;
  topic?: Topic;
  type?: QuestionType;
  difficulty?: 1 | 2 | 3;
  mine?: boolean;
  limit?: number;
  offset?: number;
}

/** `GET /api/questions`: one page of results. */
export interface BankPage {
  total: number;
  items: (OwnedQuestion & { origin: string })[];
}

/** A question as a teacher writes it: no id (the server assigns one); the source quote optional. */
export type QuestionBody = Question extends infer Q
  ? Q extends Question
    ? Omit<Q, 'id' | 'source'> & { source?: { quote?: string; heading?: string } }
    : never
  : never;

/** `POST /api/questions/import` (201). */
export interface ImportResult {
  imported: { id: string; type: QuestionType; stem: Localized }[];
  warnings: string[];
  skipped: string[];
}
