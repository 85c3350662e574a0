/**
 * Response and request bodies of the signed-in teacher's API routes, as the web client sees them.
 *
 * Why a copy: `worker/api-types.ts` and `worker/questions/schema.ts` are the only worker files the
 * web project compiles. The report types (worker/routes/reports.ts), the draft type
 * (worker/generator/draft.ts), item statistics (worker/reports/item-stats.ts) and the quiz
 * settings (db/schema.ts) live in files that pull in Cloudflare's globals or are not listed in
 * tsconfig.web.json, so `import type` from them breaks `tsc -b`. Each type below names its
 * source; keep them in step (or move the originals into worker/api-types.ts).
 */
import type { SessionLang } from '../../worker/api-types';
import type { Localized, Question, QuestionOf, QuestionType, Topic } from '../../worker/questions/schema';

/** A signed-in teacher (worker/env.ts `Teacher`). */
export interface Teacher {
  id: string;
  email: string;
  name: string;
}

/** Quiz and session settings (db/schema.ts `QuizSettings`, worker/lib/settings.ts). */
export interface QuizSettings {
  /** 0 = untimed, else 5–600. */
  timeLimitSec: number;
  shuffleQuestions: boolean;
  shuffleOptions: boolean;
  feedback: 'now' | 'end';
  showLeaderboard: boolean;
  lang: SessionLang;
  partialCredit: boolean;
}

/** What a new quiz gets when nothing says otherwise (worker/lib/settings.ts `DEFAULT_SETTINGS`). */
export const DEFAULT_SETTINGS: QuizSettings = {
  timeLimitSec: 30,
  shuffleQuestions: false,
  shuffleOptions: false,
  feedback: 'now',
  showLeaderboard: true,
  lang: 'both',
  partialCredit: false,
};

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
}

/** `GET /api/classes/:id`. */
export interface ClassDetail {
  id: string;
  name: string;
  createdAt: number;
  roster: RosterEntry[];
  sessions: { id: string; title: string; code: string; status: 'open' | 'closed'; createdAt: number; participants: number }[];
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

/** Body of `POST /api/sessions` for a signed-in teacher's quiz (worker/routes/sessions.ts `createBody`). */
export interface OpenSession extends Partial<QuizSettings> {
  title: string;
  quizId?: string;
  classId?: string;
  mode: 'self' | 'live';
  opensAt?: number | null;
  closesAt?: number | null;
}

/** Body of `PATCH /api/sessions/:id`. */
export interface SessionPatch {
  title?: string;
  locked?: boolean;
  opensAt?: number | null;
  closesAt?: number | null;
  showLeaderboard?: boolean;
}

/** Why an item deserves a second look (worker/reports/item-stats.ts `ItemFlag`). */
export type ItemFlag = 'negative' | 'very_easy' | 'very_hard' | 'few_responses';

/** Item analysis of one question (worker/reports/item-stats.ts `ItemStats` without its index). */
export interface ItemStats {
  responses: number;
  /** % of the marks earned, 0–100. */
  facility: number | null;
  sd: number | null;
  /** Upper–lower discrimination index, −1..1. */
  discrimination: number | null;
  /** Point-biserial r with the rest of the test, −1..1. */
  pointBiserial: number | null;
  efficiency: number | null;
  flags: ItemFlag[];
}

/** `GET /api/sessions/:id/report` (worker/routes/reports.ts `SessionReport`). */
export interface SessionReport {
  session: { id: string; title: string; code: string; createdAt: number; questionCount: number; participants: number };
  /** Students by number of questions right: bar i counts from ≤ right < to. */
  scoreDistribution: { from: number; to: number; count: number }[];
  questions: {
    position: number;
    id: string;
    type: QuestionType;
    stem: Localized;
    topics: string[];
    answered: number;
    correct: number;
    meanTimeMs: number | null;
    stats: ItemStats;
    distribution: {
      counts: Record<string, number>;
      noAnswer: number;
      invalid: number;
      total: number;
      options: { id: string; text: Localized; correct: boolean }[];
    } | null;
  }[];
  /** Positions of the hardest questions, hardest first. */
  hardest: number[];
  students: {
    rank: number;
    nickname: string;
    rosterName: string | null;
    score: number;
    correct: number;
    answered: number;
    finished: boolean;
    answers: { position: number; correct: boolean; points: number; timeMs: number; response: unknown }[];
  }[];
}

/** `GET /api/classes/:id/report` (worker/routes/reports.ts `ClassReport`). */
export interface ClassReport {
  sessions: { id: string; title: string; createdAt: number; participants: number }[];
  students: { name: string; linked: boolean; total: number; average: number; sessions: number; trend: { sessionId: string; score: number; correct: number }[] }[];
  topics: { topic: string; answered: number; wrong: number; wrongShare: number }[];
}

/** What produced a draft (worker/generator/draft.ts `DraftKind`). */
export type DraftKind = 'figure-cloze' | 'term-cloze' | 'truefalse' | 'matching' | 'ordering';

/** Where a draft comes from in the teacher's text (worker/generator/draft.ts `DraftSource`). */
export interface DraftSource {
  heading: string;
  /** Verbatim sentence; orderings join several excerpts with " … ". */
  quote: string;
  paragraph: number;
}

type DraftOf<T extends 'single' | 'truefalse' | 'ordering' | 'matching', K extends DraftKind> = Omit<QuestionOf<T>, 'source'> & {
  kind: K;
  source: DraftSource;
  /** 0..1. */
  confidence: number;
};

/** A generated draft question (worker/generator/draft.ts `Draft`). */
export type Draft =
  | DraftOf<'single', 'figure-cloze' | 'term-cloze'>
  | DraftOf<'truefalse', 'truefalse'>
  | DraftOf<'ordering', 'ordering'>
  | DraftOf<'matching', 'matching'>;
