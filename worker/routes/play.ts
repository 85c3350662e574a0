/**
 * Playing a self-paced session, from the student's device (its token in `Authorization: Bearer`):
 * the current question, answering it, the review at the end, the leaderboard. The server alone
 * times and scores.
 */
import { Hono } from 'hono';
import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { z } from 'zod';
import { answers, participants, questions, sessionQuestions, sessions } from '../../db/schema';
import type { AnswerResult, Leaderboard, PlayState, Review, Verdict } from '../api-types';
import type { AppEnv } from '../env';
import { bearerHash } from '../lib/auth';
import { database } from '../lib/db';
import { ApiError } from '../lib/errors';
import { batch, prepared } from '../lib/prepared';
import { leaderboardQuery, ownRankQuery, publicEntries, rank, toEntry } from '../lib/leaderboard';
import { effectiveStatus, playableNow, sessionInfoColumns, toSessionInfo } from '../lib/session-info';
import { validate } from '../lib/validate';
import { reveal, toStudent } from '../questions/present';
import { grade, pointsFor } from '../questions/scoring';
import type { Question } from '../questions/schema';

const answerBody = z.strictObject({
  questionId: z.string().min(1).max(64),
  /** The answer, shaped by the question's type; null when time ran out without one. */
  response: z.unknown().refine((r) => r !== undefined, 'Send a response, or null when time ran out.'),
});

const answeredQuestion = alias(questions, 'answered_question');

/** The session question a student is on: their own shuffled order when there is one, else the session's. */
const currentQuestionJoin = and(
  eq(sessionQuestions.sessionId, participants.sessionId),
  sql`${sessionQuestions.position} = coalesce(json_extract(${participants.questionOrder}, '$[' || ${participants.position} || ']'), ${participants.position})`,
);

/** Columns of the student's own state, selected with every play query. */
const meColumns = {
  participantId: participants.id,
  nickname: participants.nickname,
  score: participants.score,
  answered: participants.position,
  servedAt: participants.servedAt,
  finishedAt: participants.finishedAt,
  expiresAt: participants.expiresAt,
  partialCredit: sessions.partialCredit,
  ...sessionInfoColumns,
};

const unauthorized = () => new ApiError(401, 'unauthorized', 'This device is not in a quiz any more. Join again with the code.');
const liveOnly = () => new ApiError(409, 'live_session', 'This quiz is played live: follow it on the live screen.');

/** Rejects a missing or expired participant, and live sessions (played over a WebSocket). */
function checkParticipant<T extends { expiresAt: number; mode: 'self' | 'live' }>(row: T | undefined, now: number): T {
  if (!row) throw unauthorized();
  if (row.expiresAt <= now) throw new ApiError(401, 'token_expired', 'Your place in this quiz has expired. Join again with the code.');
  if (row.mode === 'live') throw liveOnly();
  return row;
}

/** True while the verdicts are held back: feedback at the end, and the student not finished. */
const holdBack = (row: { feedback: 'now' | 'end'; finishedAt: number | null }) => row.feedback === 'end' && row.finishedAt === null;

const me = (row: { nickname: string; score: number; answered: number; finishedAt: number | null; feedback: 'now' | 'end' }): PlayState['me'] => ({
  nickname: row.nickname,
  score: holdBack(row) ? null : row.score,
  answered: row.answered,
  finished: row.finishedAt !== null,
});

/** The verdict on a stored answer, with its proof. */
const verdictOf = (stored: { correct: boolean; points: number; timeMs: number }, q: Question, limitMs: number): Verdict => ({
  correct: stored.correct,
  late: limitMs > 0 && stored.timeMs > limitMs,
  points: stored.points,
  timeMs: stored.timeMs,
  reveal: reveal(q),
});

/*
 * Performance (issue #7): the student's hot paths run prepared queries (../lib/prepared), built
 * once per isolate with placeholders, instead of building the same drizzle queries on every
 * request (≈ 1.3 ms of CPU for the answer route's alone). Same SQL, same round trips.
 */
const hashParam = sql.placeholder('hash');

/** Starts the clock on the current question, only the first time it is served. Values: hash, now. */
const serveQuestion = prepared((db) =>
  db
    .update(participants)
    .set({ servedAt: sql`${sql.placeholder('now')}` })
    .where(
      and(
        eq(participants.tokenHash, hashParam),
        isNull(participants.servedAt),
        isNull(participants.finishedAt),
        gt(participants.expiresAt, sql.placeholder('now')),
        sql`${participants.sessionId} IN (SELECT ${sessions.id} FROM ${sessions} WHERE ${playableNow(sql.placeholder('now'))})`,
      ),
    ),
);

/** The student's state and current question. Values: hash. */
const playState = prepared((db) =>
  db
    .select({ ...meColumns, question: questions.data })
    .from(participants)
    .innerJoin(sessions, eq(sessions.id, participants.sessionId))
    .leftJoin(sessionQuestions, currentQuestionJoin)
    .leftJoin(questions, eq(questions.id, sessionQuestions.questionId))
    .where(eq(participants.tokenHash, hashParam)),
);

/** The student's state, current question and any answer already recorded for the one answered. Values: hash, questionId. */
const answerState = prepared((db) =>
  db
    .select({
      ...meColumns,
      sessionId: participants.sessionId,
      question: questions.data,
      previous: answers,
      previousQuestion: answeredQuestion.data,
    })
    .from(participants)
    .innerJoin(sessions, eq(sessions.id, participants.sessionId))
    .leftJoin(sessionQuestions, currentQuestionJoin)
    .leftJoin(questions, eq(questions.id, sessionQuestions.questionId))
    .leftJoin(answers, and(eq(answers.participantId, participants.id), eq(answers.questionId, sql.placeholder('questionId'))))
    .leftJoin(answeredQuestion, eq(answeredQuestion.id, answers.questionId))
    .where(eq(participants.tokenHash, hashParam)),
);

/** Records an answer once. Values: participantId, questionId, sessionId, position, response (JSON text or null), correct, points, timeMs, answeredAt. */
const recordAnswer = prepared((db) =>
  db
    .insert(answers)
    .values({
      participantId: sql.placeholder('participantId'),
      questionId: sql.placeholder('questionId'),
      sessionId: sql.placeholder('sessionId'),
      position: sql.placeholder('position'),
      // Already JSON text (or NULL): the placeholder bypasses the column's JSON encoding, which would store null as 'null'.
      response: sql`${sql.placeholder('response')}`,
      correct: sql.placeholder('correct'),
      points: sql.placeholder('points'),
      timeMs: sql.placeholder('timeMs'),
      answeredAt: sql.placeholder('answeredAt'),
    })
    .onConflictDoNothing(),
);

/** Advances and scores the student, only if still on `position`. Values: participantId, position, points, correctIncrement, finishedAt. */
const advance = prepared((db) =>
  db
    .update(participants)
    .set({
      position: sql`${participants.position} + 1`,
      servedAt: null,
      score: sql`${participants.score} + ${sql.placeholder('points')}`,
      correctCount: sql`${participants.correctCount} + ${sql.placeholder('correctIncrement')}`,
      finishedAt: sql`${sql.placeholder('finishedAt')}`,
    })
    .where(and(eq(participants.id, sql.placeholder('participantId')), eq(participants.position, sql.placeholder('position')))),
);

/** The stored answer. Values: participantId, questionId. */
const storedAnswer = prepared((db) =>
  db
    .select()
    .from(answers)
    .where(and(eq(answers.participantId, sql.placeholder('participantId')), eq(answers.questionId, sql.placeholder('questionId')))),
);

/** The student's standing after answering. Values: participantId. */
const standing = prepared((db) =>
  db
    .select({ nickname: participants.nickname, score: participants.score, answered: participants.position, finishedAt: participants.finishedAt })
    .from(participants)
    .where(eq(participants.id, sql.placeholder('participantId'))),
);

/** The top rows of the asker's session (a subquery, read along the index). Values: hash, limit. */
const boardRows = prepared((db) =>
  leaderboardQuery(db, sql`(SELECT ${participants.sessionId} FROM ${participants} WHERE ${participants.tokenHash} = ${hashParam})`, hashParam, sql.placeholder('limit')),
);
/** The asker's own row and rank. Values: hash. */
const ownRank = prepared((db) => ownRankQuery(db, hashParam));
/** Whether students may see the leaderboard. Values: hash. */
const boardSettings = prepared((db) =>
  db
    .select({ showLeaderboard: sessions.showLeaderboard, feedback: sessions.feedback, finishedAt: participants.finishedAt })
    .from(participants)
    .innerJoin(sessions, eq(sessions.id, participants.sessionId))
    .where(eq(participants.tokenHash, hashParam)),
);

export const playRoute = new Hono<AppEnv>()
  .get('/', async (c) => {
    const hash = await bearerHash(c);
    const db = database(c.env.DB);
    const now = Date.now();
    // One round trip: start the clock on the current question (only the first time it is served), then read.
    const [, rows] = await batch(db, [
      [serveQuestion(db), { hash, now }],
      [playState(db), { hash }],
    ]);
    const row = checkParticipant(rows[0], now);
    const limitMs = row.timeLimitSec * 1000;
    const playing = effectiveStatus(row, now) === 'open' && row.finishedAt === null && row.question !== null && row.servedAt !== null;
    const state: PlayState = {
      session: toSessionInfo(row, now),
      me: me(row),
      current: playing
        ? {
            position: row.answered,
            question: toStudent(row.question!, row.participantId, { shuffleOptions: row.shuffleOptions }),
            limitMs,
            remainingMs: limitMs > 0 ? Math.max(0, row.servedAt! + limitMs - now) : null,
          }
        : null,
    };
    c.header('Cache-Control', 'no-store');
    return c.json(state);
  })
  .post('/answers', validate('json', answerBody), async (c) => {
    const hash = await bearerHash(c);
    const body = c.req.valid('json');
    const db = database(c.env.DB);
    const now = Date.now();
    const [found] = await answerState(db).all({ hash, questionId: body.questionId });
    const row = checkParticipant(found, now);
    const limitMs = row.timeLimitSec * 1000;
    const result = (stored: { correct: boolean; points: number; timeMs: number }, q: Question, repeated: boolean, after: typeof row): AnswerResult => ({
      questionId: q.id,
      repeated,
      verdict: holdBack(after) ? null : verdictOf(stored, q, limitMs),
      me: me(after),
    });

    // A retry of an answer already recorded gets the first result back, unchanged.
    if (row.previous && row.previousQuestion) return c.json(result(row.previous, row.previousQuestion, true, row));
    const status = effectiveStatus(row, now);
    if (status === 'closed') throw new ApiError(410, 'session_closed', 'This quiz has ended; no more answers are taken.');
    if (status === 'scheduled') throw new ApiError(409, 'not_open_yet', 'This quiz has not started yet.');
    if (row.finishedAt !== null || !row.question) throw new ApiError(409, 'finished', 'You have answered every question already.');
    if (row.servedAt === null) throw new ApiError(409, 'not_served', 'Open the question before answering it.');
    if (row.question.id !== body.questionId)
      throw new ApiError(409, 'not_current_question', 'That is not the question you are on. Reload to get the current one.');

    let correct = false;
    let credit = 0;
    if (body.response !== null) {
      const verdict = grade(row.question, body.response, { partialCredit: row.partialCredit });
      if (!verdict.ok) throw new ApiError(400, 'invalid_answer', verdict.message);
      ({ correct, credit } = verdict);
    }
    const timeMs = now - row.servedAt;
    const points = pointsFor(credit, timeMs, limitMs);
    const position = row.answered;
    const finishes = position + 1 >= row.questionCount;
    // One atomic batch: record the answer (once), advance and score the student only if this
    // request is the one that recorded it, then read back what is stored.
    const answer = { participantId: row.participantId, questionId: row.question.id };
    const [inserted, , stored, after] = await batch(db, [
      [
        recordAnswer(db),
        {
          ...answer,
          sessionId: row.sessionId,
          position,
          response: body.response === null ? null : JSON.stringify(body.response),
          correct,
          points,
          timeMs,
          answeredAt: now,
        },
      ],
      [advance(db), { participantId: row.participantId, position, points, correctIncrement: correct ? 1 : 0, finishedAt: finishes ? now : null }],
      [storedAnswer(db), answer],
      [standing(db), { participantId: row.participantId }],
    ]);
    const saved = stored[0]!;
    // Repeated when another request (a simultaneous duplicate) recorded it first: nothing was inserted.
    return c.json(result(saved, row.question, inserted.meta.changes === 0, { ...row, ...after[0]! }));
  })
  .get('/review', async (c) => {
    const hash = await bearerHash(c);
    const db = database(c.env.DB);
    const now = Date.now();
    const rows = await db
      .select({ ...meColumns, answer: answers, question: questions.data })
      .from(participants)
      .innerJoin(sessions, eq(sessions.id, participants.sessionId))
      .leftJoin(answers, eq(answers.participantId, participants.id))
      .leftJoin(questions, eq(questions.id, answers.questionId))
      .where(eq(participants.tokenHash, hash))
      .orderBy(asc(answers.position));
    const first = checkParticipant(rows[0], now);
    if (first.finishedAt === null && effectiveStatus(first, now) !== 'closed')
      throw new ApiError(409, 'not_finished', 'The review opens once you have answered every question.');
    const limitMs = first.timeLimitSec * 1000;
    const body: Review = {
      items: rows
        .filter((r) => r.answer && r.question)
        .map((r) => ({
          position: r.answer!.position,
          question: toStudent(r.question!, r.participantId, { shuffleOptions: r.shuffleOptions }),
          response: r.answer!.response,
          verdict: verdictOf(r.answer!, r.question!, limitMs),
        })),
    };
    c.header('Cache-Control', 'no-store');
    return c.json(body);
  })
  .get('/leaderboard', validate('query', z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) })), async (c) => {
    const hash = await bearerHash(c);
    const db = database(c.env.DB);
    // One round trip: the top rows (the asker's session is a subquery, read along the index), the
    // asker's own row and rank (they may be below the top), and whether students may see it.
    const [rows, own, settings] = await batch(db, [
      [boardRows(db), { hash, limit: c.req.valid('query').limit }],
      [ownRank(db), { hash }],
      [boardSettings(db), { hash }],
    ]);
    if (!own[0] || !settings[0]) throw unauthorized();
    c.header('Cache-Control', 'no-store');
    // Hidden by the teacher, or held back with the verdicts until the student has finished
    // (scores moving would tell right from wrong).
    if (!settings[0].showLeaderboard || holdBack(settings[0])) return c.json<Leaderboard>({ hidden: true, entries: [] });
    return c.json<Leaderboard>({ entries: publicEntries(rank(rows)), me: publicEntries([toEntry(own[0], own[0].rank, true)])[0]! });
  });
