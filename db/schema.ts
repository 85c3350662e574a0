/**
 * D1 schema (drizzle). Times are milliseconds since the epoch, as the Worker's Date.now() gives them.
 * Every index below serves a query the app makes; see the comment beside each.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { Question, QuestionType } from '../worker/questions/schema';

/** The question bank. `data` holds the whole validated question, answer key included. */
export const questions = sqliteTable('questions', {
  id: text('id').primaryKey(),
  type: text('type').$type<QuestionType>().notNull(),
  /** JSON array of topics, for filtering when a teacher opens a session. */
  topics: text('topics', { mode: 'json' }).$type<string[]>().notNull(),
  difficulty: integer('difficulty').notNull(),
  data: text('data', { mode: 'json' }).$type<Question>().notNull(),
  /** `bank` for the seeded bank; re-seeding only ever touches these rows. */
  origin: text('origin', { enum: ['bank'] }).notNull().default('bank'),
  /** A question dropped from the bank stays (past answers refer to it) but is no longer offered. */
  retired: integer('retired', { mode: 'boolean' }).notNull().default(false),
  updatedAt: integer('updated_at').notNull(),
});

/** A class session: students join it by code and play its questions in order. */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    code: text('code').notNull(),
    title: text('title').notNull(),
    timeLimitSec: integer('time_limit_sec').notNull(),
    /** `self`: each student at their own pace; `live`: teacher-paced on a projector, run by a Durable Object. */
    mode: text('mode', { enum: ['self', 'live'] }).notNull().default('self'),
    /** Language the questions are shown in; with `both`, the student's choice comes first. */
    lang: text('lang', { enum: ['zh', 'en', 'both'] }).notNull().default('both'),
    /** Multiple-select questions earn part of their points for a partly right answer. */
    partialCredit: integer('partial_credit', { mode: 'boolean' }).notNull().default(false),
    status: text('status', { enum: ['open', 'closed'] }).notNull().default('open'),
    /** SHA-256 of the teacher's secret; the secret itself is only ever in the teacher's link. */
    teacherKeyHash: text('teacher_key_hash').notNull(),
    teacherKeyExpiresAt: integer('teacher_key_expires_at').notNull(),
    createdAt: integer('created_at').notNull(),
    closedAt: integer('closed_at'),
  },
  (t) => [
    // Join codes are unique among open sessions (a closed session's code may come back) and
    // joining looks a code up.
    uniqueIndex('sessions_open_code').on(t.code).where(sql`status = 'open'`),
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
  (t) => [primaryKey({ columns: [t.sessionId, t.position] }), uniqueIndex('session_questions_question').on(t.sessionId, t.questionId)],
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
  },
  (t) => [
    uniqueIndex('participants_token').on(t.tokenHash),
    uniqueIndex('participants_nickname').on(t.sessionId, t.nicknameKey),
    // The leaderboard: score, then earlier finish.
    index('participants_leaderboard').on(t.sessionId, sql`${t.score} DESC`, t.finishedAt),
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
  },
  (t) => [
    primaryKey({ columns: [t.participantId, t.questionId] }),
    // The teacher's view: a session's answers, newest first, and per-question statistics.
    index('answers_session').on(t.sessionId, t.answeredAt),
    index('answers_session_question').on(t.sessionId, t.questionId),
  ],
);
