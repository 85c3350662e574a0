/**
 * D1 schema (drizzle). Times are milliseconds since the epoch, as the Worker's Date.now() gives them.
 * Every index below serves a query the app makes; see the comment beside each.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { FEEDBACKS, IMAGE_TYPES, type Question, type QuestionType, type QuizSettings } from '../worker/contract';

/** A teacher's account. The password is stored only as a PBKDF2-SHA256 hash with its own salt. */
export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    /** Lower-cased; the sign-in name. */
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    passwordSalt: text('password_salt').notNull(),
    passwordIterations: integer('password_iterations').notNull(),
    /** Words this teacher adds to the nickname blocklist (JSON array, folded like nicknames). */
    blockedWords: text('blocked_words', { mode: 'json' })
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'`),
    /**
     * Days a session's students and answers are kept after its last activity; then the daily
     * retention run deletes them (../worker/lib/retention.ts). The teacher sets it on the account page.
     */
    keepResultsDays: integer('keep_results_days').notNull().default(365),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('users_email').on(t.email)],
);

/** A signed-in browser: the cookie holds a random token, this table only its hash. */
export const userSessions = sqliteTable(
  'user_sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('user_sessions_user').on(t.userId)],
);

/**
 * Token buckets of the limits on what costs nothing to ask (see ../worker/lib/limits.ts): wrong
 * join codes and failed sign-ins per address, registrations and quick sessions per address,
 * questions and imports per account. A bucket untouched long enough is full again, and its row is
 * deleted.
 */
export const rateLimits = sqliteTable(
  'rate_limits',
  {
    /** Which limit: `code-guesses`, `registrations`, … */
    purpose: text('purpose').notNull(),
    /** HMAC of the address or account (../worker/lib/server-secret.ts): neither is stored itself. */
    key: text('key').notNull(),
    /** Tokens left at `at` (may be below zero: a flood pays its debt before it may try again). */
    tokens: real('tokens').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.purpose, t.key] }),
    // Deleting a limit's buckets that are full again, on each spend.
    index('rate_limits_purpose_at').on(t.purpose, t.at),
  ],
);

/**
 * Secrets the Worker makes for itself on first use, so that a deploy needs no manual step: the key
 * that addresses and accounts are hashed with, unless the `ADDRESS_KEY` secret is set.
 */
export const serverSecrets = sqliteTable('server_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: integer('created_at').notNull(),
});

/** A teacher's class, with an optional roster of student names. */
export const classes = sqliteTable(
  'classes',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('classes_owner').on(t.ownerId, t.createdAt)],
);

/** A name on a class roster; nicknames in sessions can be linked to it afterwards. */
export const rosterEntries = sqliteTable(
  'roster_entries',
  {
    id: text('id').primaryKey(),
    classId: text('class_id')
      .notNull()
      .references(() => classes.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /**
     * Extra time for this student in self-paced sessions: the session's time per question times
     * this factor (1, 1.5 or 2), or 0 for no clock at all (points then do not depend on speed).
     */
    timeFactor: real('time_factor').notNull().default(1),
  },
  (t) => [uniqueIndex('roster_entries_name').on(t.classId, t.name)],
);

/** Settings a quiz carries into every session opened from it: {@link QuizSettings}, in worker/contract/api.ts (the API returns them). */
export type { QuizSettings };

/** A teacher's quiz: an ordered pick of bank and own questions, with settings. */
export const quizzes = sqliteTable(
  'quizzes',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    settings: text('settings', { mode: 'json' }).$type<QuizSettings>().notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('quizzes_owner').on(t.ownerId, t.updatedAt)],
);

/** The ordered questions of a quiz. */
export const quizQuestions = sqliteTable(
  'quiz_questions',
  {
    quizId: text('quiz_id')
      .notNull()
      .references(() => quizzes.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    questionId: text('question_id')
      .notNull()
      .references(() => questions.id),
  },
  (t) => [primaryKey({ columns: [t.quizId, t.position] })],
);

/** The question bank. `data` holds the whole validated question, answer key included. */
export const questions = sqliteTable(
  'questions',
  {
    id: text('id').primaryKey(),
    type: text('type').$type<QuestionType>().notNull(),
    /** JSON array of topics, for filtering when a teacher opens a session. */
    topics: text('topics', { mode: 'json' }).$type<string[]>().notNull(),
    difficulty: integer('difficulty').notNull(),
    data: text('data', { mode: 'json' }).$type<Question>().notNull(),
    /** `bank` for the seeded bank (re-seeding only ever touches these rows), else a teacher's own. */
    origin: text('origin', { enum: ['bank', 'teacher', 'import', 'generated'] })
      .notNull()
      .default('bank'),
    /** The teacher who owns a question of their own; null for the shared bank. */
    ownerId: text('owner_id').references(() => users.id, { onDelete: 'cascade' }),
    /** A question dropped from the bank stays (past answers refer to it) but is no longer offered. */
    retired: integer('retired', { mode: 'boolean' }).notNull().default(false),
    updatedAt: integer('updated_at').notNull(),
  },
  // A teacher's own questions, for the builder; the bank's version (its newest `updated_at`, the
  // cache key of GET /api/bank) read from one index entry instead of every bank row.
  (t) => [index('questions_owner').on(t.ownerId), index('questions_origin_updated').on(t.origin, t.updatedAt)],
);

/**
 * Pairs of bank questions a drawn quiz keeps apart (db/bank/relations.json, replaced by every
 * seed): `gives` when the stem of `question_id` gives away the answer to `related_id`, `same`
 * when both test the same fact (one row per pair). Read whole when a session is drawn from the bank.
 */
export const questionRelations = sqliteTable(
  'question_relations',
  {
    questionId: text('question_id')
      .notNull()
      .references(() => questions.id),
    relatedId: text('related_id')
      .notNull()
      .references(() => questions.id),
    kind: text('kind', { enum: ['gives', 'same'] }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.questionId, t.relatedId] })],
);

/** A class session: students join it by code and play its questions in order. */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    code: text('code').notNull(),
    title: text('title').notNull(),
    timeLimitSec: integer('time_limit_sec').notNull(),
    /** `self`: each student at their own pace; `live`: teacher-paced on a projector, run by a Durable Object. */
    mode: text('mode', { enum: ['self', 'live'] })
      .notNull()
      .default('self'),
    /** Language the questions are shown in; with `both`, the student's choice comes first. */
    lang: text('lang', { enum: ['zh', 'en', 'both'] })
      .notNull()
      .default('both'),
    /** Multiple-select questions earn part of their points for a partly right answer. */
    partialCredit: integer('partial_credit', { mode: 'boolean' }).notNull().default(false),
    status: text('status', { enum: ['open', 'closed'] })
      .notNull()
      .default('open'),
    /** The signed-in teacher who owns the session; null for a session opened through a secret link only. */
    ownerId: text('owner_id').references(() => users.id, { onDelete: 'cascade' }),
    classId: text('class_id').references(() => classes.id, { onDelete: 'set null' }),
    quizId: text('quiz_id').references(() => quizzes.id, { onDelete: 'set null' }),
    shuffleQuestions: integer('shuffle_questions', { mode: 'boolean' }).notNull().default(false),
    shuffleOptions: integer('shuffle_options', { mode: 'boolean' }).notNull().default(false),
    /** `now`: verdicts at once; `end`: when the student has finished; `closed`: when the session closes. */
    feedback: text('feedback', { enum: FEEDBACKS }).notNull().default('now'),
    /** Self-paced: the next question follows the feedback by itself. */
    autoAdvance: integer('auto_advance', { mode: 'boolean' }).notNull().default(false),
    showLeaderboard: integer('show_leaderboard', { mode: 'boolean' }).notNull().default(true),
    /** No new students while locked. */
    locked: integer('locked', { mode: 'boolean' }).notNull().default(false),
    /**
     * In a session of a class with a roster, students pick their name from it; this lets those
     * not on it join with a nickname of their own too. Means nothing in a session without a roster.
     */
    allowGuests: integer('allow_guests', { mode: 'boolean' }).notNull().default(false),
    /** The most students who may join. */
    maxPlayers: integer('max_players').notNull().default(200),
    /**
     * Live rooms the game is spread over, fixed at creation: 1 for a class's game; more for a contest
     * (`worker/live/contest.ts`), whose students are placed on a room by a hash of their id.
     */
    shards: integer('shards').notNull().default(1),
    /** Live only: teams the students are placed in (2 to 8), fixed at creation; 0 when they play alone. */
    teams: integer('teams').notNull().default(0),
    /** The most students who may join from one network address: a class passes, a bot flood does not. */
    seatsPerNetwork: integer('seats_per_network').notNull().default(80),
    /**
     * Secret of this session's opaque ids: students see questions, options and targets only under
     * ids keyed by it (../worker/questions/session-ids.ts), and network and device keys are keyed by it too.
     */
    idSalt: text('id_salt').notNull().default(''),
    /** Scheduled opening and closing (null: open now, close by hand). */
    opensAt: integer('opens_at'),
    closesAt: integer('closes_at'),
    /** SHA-256 of the teacher's secret; the secret itself is only ever in the teacher's link. */
    teacherKeyHash: text('teacher_key_hash').notNull(),
    teacherKeyExpiresAt: integer('teacher_key_expires_at').notNull(),
    createdAt: integer('created_at').notNull(),
    closedAt: integer('closed_at'),
  },
  (t) => [
    // A teacher's sessions, newest first, and a class's sessions over time.
    index('sessions_owner').on(t.ownerId, t.createdAt),
    index('sessions_class').on(t.classId, t.createdAt),
    // Join codes are unique among open sessions (a closed session's code may come back) and
    // joining looks a code up.
    uniqueIndex('sessions_open_code')
      .on(t.code)
      .where(sql`status = 'open'`),
    index('sessions_code').on(t.code, t.createdAt),
  ],
);

/** The ordered question list of a session. */
export const sessionQuestions = sqliteTable(
  'session_questions',
  {
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    questionId: text('question_id')
      .notNull()
      .references(() => questions.id),
  },
  (t) => [
    primaryKey({ columns: [t.sessionId, t.position] }),
    uniqueIndex('session_questions_question').on(t.sessionId, t.questionId),
  ],
);

/** A student in a session: a nickname and a device token, nothing else. */
export const participants = sqliteTable(
  'participants',
  {
    id: text('id').primaryKey(),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    nickname: text('nickname').notNull(),
    /** The nickname folded (NFKC, lower case) so that names differing only in width or case clash. */
    nicknameKey: text('nickname_key').notNull(),
    tokenHash: text('token_hash').notNull(),
    joinedAt: integer('joined_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    /** Index of the question the student is on (= number answered). */
    position: integer('position').notNull().default(0),
    /** Server time the current question was first served to this student; null until then. */
    servedAt: integer('served_at'),
    score: integer('score').notNull().default(0),
    correctCount: integer('correct_count').notNull().default(0),
    finishedAt: integer('finished_at'),
    /** With shuffled questions: the session positions in this student's order (JSON array); null keeps the session's order. */
    questionOrder: text('question_order', { mode: 'json' }).$type<number[]>(),
    /** The roster name this seat is: picked by the student, matched from the nickname, or linked by the teacher. */
    rosterId: text('roster_id').references(() => rosterEntries.id, { onDelete: 'set null' }),
    /** The joining address, as a hash keyed by the session's secret: seats per network, never the address. */
    networkKey: text('network_key'),
    /** The joining browser's random id, keyed the same way: tells the teacher when one device holds several seats. */
    deviceKey: text('device_key'),
  },
  (t) => [
    index('participants_network').on(t.sessionId, t.networkKey),
    uniqueIndex('participants_token').on(t.tokenHash),
    uniqueIndex('participants_nickname').on(t.sessionId, t.nicknameKey),
    // A roster name is one seat per session (two devices cannot both be 王芳); the join page's
    // taken names and the dashboard's absent ones are read from it.
    uniqueIndex('participants_roster')
      .on(t.sessionId, t.rosterId)
      .where(sql`roster_id IS NOT NULL`),
    // The leaderboard, exactly in its order (score, then earlier finish, unfinished last, then
    // earlier join), so that its top rows are read straight from the index without a sort.
    index('participants_leaderboard').on(
      t.sessionId,
      sql`${t.score} DESC`,
      sql`coalesce(${t.finishedAt}, 9007199254740991)`,
      t.joinedAt,
    ),
  ],
);

/** One answer per student per question; the primary key makes a retry unable to score twice. */
export const answers = sqliteTable(
  'answers',
  {
    participantId: text('participant_id')
      .notNull()
      .references(() => participants.id, { onDelete: 'cascade' }),
    questionId: text('question_id')
      .notNull()
      .references(() => questions.id),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    /** The answer as submitted (JSON), or null when time ran out with no answer. */
    response: text('response', { mode: 'json' }),
    correct: integer('correct', { mode: 'boolean' }).notNull(),
    points: integer('points').notNull(),
    /** Server receive time minus the time the question was first served. */
    timeMs: integer('time_ms').notNull(),
    answeredAt: integer('answered_at').notNull(),
    /** An open answer the teacher took out of the word cloud (it stays in the list, marked). */
    hidden: integer('hidden', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.participantId, t.questionId] }),
    // The teacher's view: a session's answers, newest first, and per-question statistics.
    index('answers_session').on(t.sessionId, t.answeredAt),
    index('answers_session_question').on(t.sessionId, t.questionId),
  ],
);

/**
 * An image a teacher uploaded for a question of their own. Its files are in R2 (binding `IMAGES`)
 * under `u/<owner_id>/<id>/<width>`, one per stored width, metadata stripped; the original is
 * never kept. Alt texts live in the question's JSON beside the reference.
 */
export const images = sqliteTable(
  'images',
  {
    /** 128 random bits: the image is served to anyone who has its address, as students' phones need. */
    id: text('id').primaryKey(),
    ownerId: text('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The saved question that shows it; null from the upload until then (retention deletes it after a day). */
    questionId: text('question_id').references(() => questions.id, { onDelete: 'cascade' }),
    contentType: text('content_type', { enum: IMAGE_TYPES }).notNull(),
    /** Pixel size of the largest stored width. */
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    /** Bytes stored, all widths together. */
    bytes: integer('bytes').notNull(),
    /** The stored widths in pixels, ascending (JSON array). */
    widths: text('widths', { mode: 'json' }).$type<number[]>().notNull(),
    createdAt: integer('created_at').notNull(),
  },
  // A question's images (when it changes or goes), and uploads never attached (the retention run);
  // an account's, as its deletion cascades.
  (t) => [index('images_question').on(t.questionId, t.createdAt), index('images_owner').on(t.ownerId)],
);

// Sending a classroom laptop's results to the cloud (../worker/sync/). A deployed Pomegranate is
// the cloud; a laptop serving a class offline is the same app on its own D1, so both halves live in
// every database and each instance uses its own.

/**
 * Cloud side: a token a teacher made on the account page to link a classroom laptop, stored only
 * as its hash (the token is shown once). The laptop sends it as `Authorization: Bearer`.
 */
export const linkTokens = sqliteTable(
  'link_tokens',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The teacher's name for the laptop ("Room 204"), to know which token to revoke. */
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    lastUsedAt: integer('last_used_at'),
  },
  (t) => [
    // Each sync request looks its token up by hash; the account page lists a teacher's tokens.
    uniqueIndex('link_tokens_hash').on(t.tokenHash),
    index('link_tokens_user').on(t.userId, t.createdAt),
  ],
);

/**
 * Cloud side: a session a laptop sent. `cursor` is the last participant id stored (participants
 * arrive in id order, in pages), so that an interrupted send resumes after it; `completed_at` is
 * set by the last step, once the counts match the laptop's.
 */
export const syncReceipts = sqliteTable('sync_receipts', {
  sessionId: text('session_id')
    .primaryKey()
    .references(() => sessions.id, { onDelete: 'cascade' }),
  cursor: text('cursor'),
  completedAt: integer('completed_at'),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * Laptop side: the cloud a teacher account of this laptop sends its results to. The token itself is
 * kept (the laptop must present it): this database is on the teacher's own machine.
 */
export const cloudLinks = sqliteTable('cloud_links', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  /** The cloud's origin, e.g. `https://quiz.example.org`. */
  url: text('url').notNull(),
  token: text('token').notNull(),
  /** The cloud account the token belongs to, as the cloud named it when the link was checked. */
  cloudAccount: text('cloud_account').notNull(),
  createdAt: integer('created_at').notNull(),
});

/**
 * Laptop side: how far a closed session has been sent. A session without a row, or whose
 * `closed_at` differs from the session's (reopened and closed again since), is waiting.
 */
export const syncSends = sqliteTable('sync_sends', {
  sessionId: text('session_id')
    .primaryKey()
    .references(() => sessions.id, { onDelete: 'cascade' }),
  state: text('state', { enum: ['sending', 'sent', 'refused'] }).notNull(),
  closedAt: integer('closed_at').notNull(),
  /** Students sent so far, of `total`. */
  sent: integer('sent').notNull().default(0),
  total: integer('total').notNull().default(0),
  /** Why the cloud refused (its error code and message), or why the last try failed. */
  errorCode: text('error_code'),
  message: text('message'),
  updatedAt: integer('updated_at').notNull(),
});
