/**
 * Response bodies of the HTTP API, shared by the Worker and the web client (types only).
 * Times are milliseconds.
 */
import type { QuestionImage } from './images';
import type { CloudWord, LiveTicket, OpenAnswer } from './live';
import type { Localized, Option, QuestionType, Reveal, StudentQuestion, Topic } from './questions';

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
  feedback: Feedback;
  /** Self-paced: after the feedback on an answer, the next question comes by itself (the student may stay). */
  autoAdvance: boolean;
  showLeaderboard: boolean;
  /** No new students while locked. */
  locked: boolean;
  opensAt: number | null;
  closesAt: number | null;
}

/** A name of the class roster, as the join page offers it: `taken` when a seat of this session already has it. */
export interface RosterPick {
  id: string;
  name: string;
  taken: boolean;
}

/**
 * `GET /api/codes/:code`: the session's public facts and, while an open session of a class with a
 * roster takes students, the names to pick from (null otherwise: a roster is shown only where it
 * is needed, and only names, never results).
 */
export interface CodeLookup extends SessionInfo {
  roster: {
    names: RosterPick[];
    /** Students not on the roster may also join with a nickname of their own. */
    allowGuests: boolean;
  } | null;
}

/**
 * `GET /api/join-origin`: the address students' phones reach this server at, when it is not the
 * page's own (a laptop serving a classroom, opened on the laptop as 127.0.0.1); null otherwise.
 */
export interface JoinOrigin {
  origin: string | null;
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

/**
 * Two bank questions a quiz should not hold together: `gives` when the stem of `questionId` gives
 * away the answer to `relatedId`, `same` when both test the same fact (recorded once per pair).
 */
export interface QuestionRelation {
  questionId: string;
  relatedId: string;
  kind: 'gives' | 'same';
}

/** `GET /api/bank/relations`: every recorded relation between the bank's questions. */
export interface BankRelations {
  relations: QuestionRelation[];
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
  /** In a live session: a ticket for the game's socket, so that the phone can connect at once (it expires soon; ask for another after). */
  live?: LiveTicket;
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

/**
 * `POST /api/play/practice`: once the session has closed, a question of it answered again for
 * practice: judged with the proof, never stored or scored.
 */
export interface PracticeResult {
  correct: boolean;
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

/**
 * When a student learns right or wrong, the points and the answer: `now`, after each answer; `end`,
 * once they have finished; `closed`, once the session closes (for scored homework: a second
 * nickname learns nothing while the session is open).
 */
export type Feedback = (typeof FEEDBACKS)[number];
export const FEEDBACKS = ['now', 'end', 'closed'] as const;

/** A session's settings as the teacher sees them. */
export interface SessionSettings {
  shuffleQuestions: boolean;
  shuffleOptions: boolean;
  partialCredit: boolean;
  maxPlayers: number;
  /** The most students who may join from one network address (a school's phones share one). */
  seatsPerNetwork: number;
  /** In a session of a class with a roster: students not on it may join with a nickname of their own. */
  allowGuests: boolean;
  /** Live rooms the game is spread over: 1, or for a contest one per 500 students or so, fixed at creation. */
  shards: number;
  /** Live team mode: teams the students are placed in (2 to 8), fixed at creation; 0 without teams. */
  teams: number;
}

/**
 * How a student did on one question: right, wrong, answered with nothing (or time ran out), or
 * not reached yet (null).
 */
/** A vote on a poll or an open answer is neither right nor wrong: `voted` (answered, not scored). */
export type AnswerCell = 'right' | 'wrong' | 'voted' | 'blank' | null;

/** `GET /api/sessions/:id`: the teacher's live view. */
export interface TeacherView {
  session: SessionInfo &
    SessionSettings & {
      id: string;
      createdAt: number;
      closedAt: number | null;
      classId: string | null;
      quizId: string | null;
    };
  questions: { position: number; id: string; type: QuestionType; stem: Localized; answered: number; correct: number }[];
  leaderboard: LeaderboardEntry[];
  participants: {
    id: string;
    nickname: string;
    rosterId: string | null;
    joinedAt: number;
    answered: number;
    score: number;
    finished: boolean;
    /** Answers given with nothing (or timed out): a seat that finished with only these read the answers for another. */
    blankAnswers: number;
    /** How many other seats of this session were taken from this seat's device (0 when none, or unknown). */
    sameDevice: number;
    /**
     * The device this seat shares with others, numbered 1, 2, … in this view (in order of joining),
     * so that the dashboard can say who shares with whom; null when `sameDevice` is 0.
     */
    sharedDevice: number | null;
  }[];
  /**
   * The student × question grid: a row per participant (in the order of `participants`), its
   * cells in the order of `questions`, the session's, whatever order each student played in.
   */
  grid: { rows: { participantId: string; cells: AnswerCell[] }[] };
  /** For a class session: the roster names no seat of this session has (who is not here). */
  absent: { id: string; name: string }[];
  recent: {
    nickname: string;
    position: number;
    correct: boolean;
    points: number;
    timeMs: number;
    answeredAt: number;
  }[];
}

/** `GET /api/sessions`: a signed-in teacher's sessions, newest first. */
export interface SessionList {
  sessions: (SessionInfo & {
    id: string;
    createdAt: number;
    classId: string | null;
    className: string | null;
    quizId: string | null;
    participants: number;
  })[];
}

/** A signed-in teacher, as routes see them (`GET /api/auth/me` and the sign-in routes answer `{ teacher }`). */
export interface Teacher {
  id: string;
  email: string;
  name: string;
}

/** Settings a quiz carries into every session opened from it (stored in `quizzes.settings`, db/schema.ts). */
export interface QuizSettings {
  /** Seconds per question; 0 means untimed (for accessibility: points then do not depend on speed). */
  timeLimitSec: number;
  shuffleQuestions: boolean;
  shuffleOptions: boolean;
  feedback: Feedback;
  autoAdvance: boolean;
  showLeaderboard: boolean;
  lang: SessionLang;
  partialCredit: boolean;
}

/** Why an item deserves a second look (worker/reports/item-stats.ts computes the flags). */
export type ItemFlag =
  /** The discrimination index or the point-biserial r is below 0: weaker students did better. */
  | 'negative'
  /** Facility above 95 %: almost everyone got it; it tells the teacher little. */
  | 'very_easy'
  /** Facility below 5 %: almost no one got it; check the key and the wording. */
  | 'very_hard'
  /** Fewer answers than `ItemStatsOptions.minResponses` (worker/reports/item-stats.ts): the figures are unreliable. */
  | 'few_responses';

/** Statistics of one item (one column of the results matrix), as worker/reports/item-stats.ts `itemStats` computes them. */
export interface ItemStats {
  /** Column of the item in the matrix. */
  index: number;
  /** Number of students who answered the item (non-null credit). */
  responses: number;
  /** Facility index F = 100 × mean credit / max credit (max = 1), in %; null with no responses. */
  facility: number | null;
  /**
   * Standard deviation of the item credit as a % of the max credit, with the sample (n − 1)
   * denominator as Moodle's report uses; null with fewer than 2 responses.
   */
  sd: number | null;
  /**
   * Classical discrimination index D = p(top third) − p(bottom third), in [−1, 1]: see
   * `upperLowerIndex` in worker/reports/item-stats.ts. Null when fewer than 3 students answered
   * (no thirds to compare).
   */
  discrimination: number | null;
  /**
   * Point-biserial correlation between the item credit and the rest-of-test score (total − item
   * credit), over the students who answered, in [−1, 1]. It is Pearson's r, which for a 0/1 item
   * is exactly the point-biserial coefficient, and it is what Moodle's statistics report calls the
   * "Discrimination index" (shown there ×100). Using the rest of the test rather than the total
   * keeps the item from correlating with itself. Null when undefined: fewer than 2 answers, or
   * no variance in the item or in the rest score (everyone got the same).
   */
  pointBiserial: number | null;
  /**
   * Moodle's "Discriminative efficiency", in %: the covariance of item and rest score divided by
   * the largest covariance these two sets of scores could have (both sorted in the same order).
   * It says how close the item comes to the best discrimination its facility allows. Null when that
   * maximum is 0 (no variance). At most 100; negative when the item discriminates the wrong way,
   * and then not bounded by −100 (the most negative covariance can exceed the most positive).
   */
  efficiency: number | null;
  flags: ItemFlag[];
}

/** How often each option of a choice question was chosen (worker/reports/item-stats.ts `optionDistribution`). */
export interface OptionDistribution {
  /** Times each option id was chosen (a multiple-select answer counts once for each option). */
  counts: Record<string, number>;
  /** Answers with no choice: `null`/`undefined` (time ran out) or an empty selection. */
  noAnswer: number;
  /** Answers of an unknown shape or naming an option the question does not have. */
  invalid: number;
  /** Number of responses looked at (= answers given + noAnswer + invalid). */
  total: number;
}

/** `GET /api/sessions/:id/report`: a session's report. */
export interface SessionReport {
  session: { id: string; title: string; code: string; createdAt: number; questionCount: number; participants: number };
  /** Students by number of questions right: bar i counts from ≤ right < to. */
  scoreDistribution: { from: number; to: number; count: number }[];
  questions: {
    position: number;
    id: string;
    type: QuestionType;
    stem: Localized;
    image?: QuestionImage;
    topics: string[];
    answered: number;
    correct: number;
    meanTimeMs: number | null;
    stats: Omit<ItemStats, 'index'>;
    /** Per option (choice and true/false questions): how many chose it. */
    distribution: (OptionDistribution & { options: (Option & { correct: boolean })[] }) | null;
    /** An open question's word cloud (answers not hidden) and every answer, newest first; null for other types. */
    cloud: { words: CloudWord[]; answers: OpenAnswer[] } | null;
  }[];
  /** Positions of the hardest questions (lowest facility first), at most 3. */
  hardest: number[];
  students: {
    rank: number;
    nickname: string;
    rosterName: string | null;
    score: number;
    correct: number;
    answered: number;
    finished: boolean;
    answers: {
      /** The question's place in the session (not in this student's shuffled order). */
      position: number;
      correct: boolean;
      points: number;
      timeMs: number;
      /** The answer as stored (option ids); null when time ran out. */
      response: unknown;
      /**
       * The answer in words, as the student saw it (worker/reports/responses.ts): option texts,
       * 对 / 错 (True / False), ordering items numbered in the student's order, matching as
       * "left → right" pairs; numbers and typed text as given. Null when time ran out.
       */
      responseText: Localized | null;
    }[];
  }[];
}

/** A student's row in a class report: their results over the class's sessions. */
export interface ClassReportRow {
  name: string;
  total: number;
  average: number;
  /** Sessions played. */
  sessions: number;
  /** The sessions played, in date order. */
  trend: { sessionId: string; score: number; correct: number }[];
}

/** `GET /api/classes/:id/report`: a class's report over time. */
export interface ClassReport {
  sessions: { id: string; title: string; createdAt: number; participants: number }[];
  /** Every roster name once (even one who never played), their linked seats merged, best total first. */
  students: (ClassReportRow & {
    rosterId: string;
    /** The sessions, in date order, in which no seat had this name: the student was absent. */
    absentFrom: string[];
  })[];
  /** Nicknames no roster name is linked to, apart (case-folded: "Li" and "li" are one), best total first. */
  nicknames: ClassReportRow[];
  /** Topics by share of wrong answers, worst first. */
  topics: { topic: string; answered: number; wrong: number; wrongShare: number }[];
}
