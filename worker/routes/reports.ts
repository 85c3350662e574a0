/**
 * Reports a teacher reads after the bell: per session (score distribution, per-question results
 * and answer distribution, item analysis, per-student answers) and per class over time
 * (leaderboard across sessions, each student's trend, the topics the class gets wrong most). Their
 * CSV files are in ./exports.
 */
import { Hono } from 'hono';
import { and, asc, eq, notInArray, sql } from 'drizzle-orm';
import * as z from 'zod';
import { answers, participants, questions, rosterEntries, sessionQuestions, sessions } from '../../db/schema';
import type { AppEnv, Env } from '../env';
import { database, type Database } from '../lib/db';
import { leaderboardQuery, publicEntries, rank } from '../lib/leaderboard';
import { settle } from '../lib/play-rooms';
import { managedSession } from '../lib/session-access';
import { requireTeacher } from '../lib/teacher-auth';
import { validate } from '../lib/validate';
import { hideAnswerBody, recordId } from '../requests';
import { ApiError } from '../lib/errors';
import { cloud } from '../questions/words';
import { itemStats, matrixFromAnswers, optionDistribution, scoreHistogram } from '../reports/item-stats';
import { TRUE_FALSE, describeResponse } from '../reports/responses';
import { classRows, type ClassRow, type ClassSeatBase } from '../reports/class-rows';
import { ownClass } from './classes';
import {
  isUngraded,
  UNGRADED_TYPES,
  type ClassReport,
  type ClassReportRow,
  type CloudWord,
  type OpenAnswer,
  type Localized,
  type Option,
  type Question,
  type SessionReport,
} from '../contract';

const idParam = z.object({ id: recordId });

/** The choices a distribution is counted over: option ids, or true/false. */
function choices(q: Question): Option[] | null {
  if (q.type === 'single' || q.type === 'multi' || q.type === 'poll') return q.options;
  if (q.type === 'truefalse')
    return [
      { id: 'true', text: TRUE_FALSE.true },
      { id: 'false', text: TRUE_FALSE.false },
    ];
  return null;
}

/** Everything a session report needs, in one batch (four queries, one round trip). */
export async function loadSession(db: Database, sessionId: string) {
  const [qs, board, people, rows] = await db.batch([
    db
      .select({ position: sessionQuestions.position, question: questions.data })
      .from(sessionQuestions)
      .innerJoin(questions, eq(questions.id, sessionQuestions.questionId))
      .where(eq(sessionQuestions.sessionId, sessionId))
      .orderBy(asc(sessionQuestions.position)),
    leaderboardQuery(db, sessionId),
    db
      .select({ id: participants.id, rosterName: rosterEntries.name })
      .from(participants)
      .leftJoin(rosterEntries, eq(rosterEntries.id, participants.rosterId))
      .where(eq(participants.sessionId, sessionId)),
    db.select().from(answers).where(eq(answers.sessionId, sessionId)).orderBy(asc(answers.position)),
  ]);
  return { qs, board: rank(board), roster: new Map(people.map((p) => [p.id, p.rosterName])), rows };
}

/** A class's roster and every seat of its sessions, for the class report and its grid (two queries, for the caller's batch). */
export const classSeats = (db: Database, classId: string) =>
  [
    db
      .select({ id: rosterEntries.id, name: rosterEntries.name })
      .from(rosterEntries)
      .where(eq(rosterEntries.classId, classId)),
    db
      .select({
        sessionId: participants.sessionId,
        nickname: participants.nickname,
        nicknameKey: participants.nicknameKey,
        rosterId: participants.rosterId,
        score: participants.score,
        correct: participants.correctCount,
      })
      .from(participants)
      .innerJoin(sessions, eq(sessions.id, participants.sessionId))
      .where(eq(sessions.classId, classId)),
  ] as const;

/**
 * Brings D1 up to date with a class's sessions still open, whose seats and answers may be on their
 * way (closed ones were copied when they closed).
 */
export async function settleClass(env: Env, db: Database, classId: string) {
  await settle(
    env,
    ...(await db
      .select({ id: sessions.id })
      .from(sessions)
      .where(and(eq(sessions.classId, classId), eq(sessions.status, 'open')))),
  );
}

/** An open question's cloud (answers not hidden) and its answers, newest first. */
function openCloud(
  rows: readonly { participantId: string; response: unknown; hidden: boolean; answeredAt: number }[],
  nicknames: ReadonlyMap<string, string>,
): { words: CloudWord[]; answers: OpenAnswer[] } {
  const answers = rows
    .flatMap((r) => {
      const text = (r.response as { text?: unknown } | null)?.text;
      return typeof text === 'string' ? [{ ...r, text }] : [];
    })
    .sort((a, b) => b.answeredAt - a.answeredAt)
    .map((r) => ({
      participantId: r.participantId,
      nickname: nicknames.get(r.participantId) ?? '',
      text: r.text,
      hidden: r.hidden,
    }));
  const words = cloud(
    answers.map((a) => ({ key: a.participantId, text: a.text })),
    new Set(answers.filter((a) => a.hidden).map((a) => a.participantId)),
  );
  return { words, answers };
}

export const reportsRoute = new Hono<AppEnv>().get('/:id/report', validate('param', idParam), async (c) => {
  const session = await managedSession(c, c.req.valid('param').id);
  await settle(c.env, session);
  const { qs, board, roster, rows } = await loadSession(database(c.env.DB), session.id);
  const ids = qs.map((q) => q.question.id);
  // Votes and open answers are neither right nor wrong: their columns stay empty, so item analysis leaves them out.
  const polls = new Set(qs.filter((q) => isUngraded(q.question.type)).map((q) => q.question.id));
  const matrix = matrixFromAnswers(
    board.map((b) => b.id),
    ids,
    rows.filter((r) => !polls.has(r.questionId)),
  );
  // Before anyone joins the matrix has no rows, and so no columns: one empty row keeps one
  // (response-less) column per question.
  const stats = itemStats(matrix.length ? matrix : [{ credits: ids.map(() => null) }]);
  const byId = new Map(qs.map((q) => [q.question.id, q.question]));
  const graded = qs.length - polls.size;
  const sessionPosition = new Map(qs.map((q) => [q.question.id, q.position]));
  const nicknames = new Map(board.map((b) => [b.id, b.nickname]));
  const report: SessionReport = {
    session: {
      id: session.id,
      title: session.title,
      code: session.code,
      createdAt: session.createdAt,
      questionCount: qs.length,
      participants: board.length,
    },
    // One bar per possible number right (0 … n) up to 20 questions; ten equal bars beyond. Polls
    // are neither right nor wrong, so they do not count in n.
    scoreDistribution:
      graded <= 20
        ? scoreHistogram(
            board.map((b) => b.correct),
            graded + 1,
            { min: 0, max: graded + 1 },
          )
        : scoreHistogram(
            board.map((b) => b.correct),
            10,
            { min: 0, max: graded },
          ),
    questions: qs.map(({ position, question: q }, i) => {
      const mine = rows.filter((r) => r.questionId === q.id);
      const opts = choices(q);
      const { index: _index, ...itemFigures } = stats[i]!;
      // An ungraded question has no figures to doubt: "few responses" would flag every poll.
      if (polls.has(q.id)) itemFigures.flags = [];
      return {
        position,
        id: q.id,
        type: q.type,
        stem: q.stem,
        ...(q.image ? { image: q.image } : {}),
        topics: q.topics,
        answered: mine.length,
        correct: mine.filter((r) => r.correct).length,
        meanTimeMs: mine.length ? Math.round(mine.reduce((n, r) => n + r.timeMs, 0) / mine.length) : null,
        stats: itemFigures,
        cloud: q.type === 'open' ? openCloud(mine, nicknames) : null,
        distribution: opts
          ? {
              ...optionDistribution(
                opts.map((o) => o.id),
                mine.map((r) => r.response),
              ),
              // The key shows once a student has answered (and so could see it): a report of a
              // session nobody has played is no answer sheet.
              options: opts.map((o) => ({
                ...o,
                correct:
                  mine.length > 0 &&
                  'answer' in q &&
                  (q.type === 'truefalse'
                    ? String(q.answer) === o.id
                    : q.type === 'single'
                      ? q.answer === o.id
                      : (q.answer as string[]).includes(o.id)),
              })),
            }
          : null,
      };
    }),
    hardest: stats
      .filter((s) => s.facility !== null)
      .sort((a, b) => a.facility! - b.facility!)
      .slice(0, 3)
      .map((s) => qs[s.index]!.position),
    students: board.map((b) => ({
      ...publicEntries([b])[0]!,
      rosterName: roster.get(b.id) ?? null,
      // Numbered as the session orders its questions, not as this student's shuffle served them,
      // so that every student's list lines up with the question sections.
      answers: rows
        .filter((r) => r.participantId === b.id)
        .map((r) => ({ r, position: sessionPosition.get(r.questionId) ?? r.position }))
        .sort((x, y) => x.position - y.position)
        .map(({ r, position }) => ({
          position,
          correct: r.correct,
          points: r.points,
          timeMs: r.timeMs,
          response: r.response,
          responseText: describeResponse(byId.get(r.questionId), r.response),
        })),
    })),
  };
  c.header('Cache-Control', 'no-store');
  return c.json(report);
});

/**
 * Takes an open answer out of the word cloud, or puts it back, in D1 (the report and the exports
 * read it there). A live game's room keeps its own flags for its screens while it runs.
 */
export const hideAnswerRoute = new Hono<AppEnv>().put(
  '/:id/report/hidden',
  validate('param', idParam),
  validate('json', hideAnswerBody),
  async (c) => {
    const session = await managedSession(c, c.req.valid('param').id);
    const { questionId, participantId, hidden } = c.req.valid('json');
    // A self-paced session's latest answers may still be in its play room.
    await settle(c.env, session);
    const db = database(c.env.DB);
    const updated = await db
      .update(answers)
      .set({ hidden })
      .where(
        and(
          eq(answers.sessionId, session.id),
          eq(answers.participantId, participantId),
          eq(answers.questionId, questionId),
          sql`${answers.questionId} IN (SELECT id FROM questions WHERE type = 'open')`,
        ),
      )
      .returning({ hidden: answers.hidden });
    if (updated.length === 0) throw new ApiError(404, 'answer_not_found', 'This session has no such open answer.');
    return c.json({ hidden });
  },
);

/** A student's results over the sessions they had a seat in. */
function resultsOf(row: ClassRow<ClassSeatBase & { score: number; correct: number }>): ClassReportRow {
  const played = row.seats.filter((seat) => seat !== null);
  const total = played.reduce((n, seat) => n + seat.score, 0);
  return {
    name: row.name,
    total,
    average: played.length ? Math.round(total / played.length) : 0,
    sessions: played.length,
    trend: played.map((seat) => ({ sessionId: seat.sessionId, score: seat.score, correct: seat.correct })),
  };
}

const byTotal = (a: ClassReportRow, b: ClassReportRow) => b.total - a.total || a.name.localeCompare(b.name);

export const classReportRoute = new Hono<AppEnv>()
  .use(requireTeacher)
  .get('/:id/report', validate('param', idParam), async (c) => {
    const db = database(c.env.DB);
    const cls = await ownClass(db, c.req.valid('param').id, c.get('teacher').id);
    await settleClass(c.env, db, cls.id);
    const [list, roster, people, topicRows] = await db.batch([
      db
        .select({ id: sessions.id, title: sessions.title, createdAt: sessions.createdAt })
        .from(sessions)
        .where(eq(sessions.classId, cls.id))
        .orderBy(asc(sessions.createdAt)),
      ...classSeats(db, cls.id),
      db
        .select({ topics: questions.topics, correct: answers.correct })
        .from(answers)
        .innerJoin(sessions, and(eq(sessions.id, answers.sessionId), eq(sessions.classId, cls.id)))
        // A vote or an open answer is neither right nor wrong, so it says nothing about a topic's weakness.
        .innerJoin(
          questions,
          and(eq(questions.id, answers.questionId), notInArray(questions.type, [...UNGRADED_TYPES])),
        ),
    ]);
    const rows = classRows(
      list.map((s) => s.id),
      roster,
      people,
    );
    const topics = new Map<string, { answered: number; wrong: number }>();
    for (const r of topicRows)
      for (const t of r.topics) {
        const x = topics.get(t) ?? { answered: 0, wrong: 0 };
        x.answered++;
        if (!r.correct) x.wrong++;
        topics.set(t, x);
      }
    const report: ClassReport = {
      sessions: list.map((s) => ({ ...s, participants: people.filter((p) => p.sessionId === s.id).length })),
      students: rows
        .filter((r) => r.rosterId !== null)
        .map((r) => ({
          ...resultsOf(r),
          rosterId: r.rosterId!,
          absentFrom: list.filter((_, i) => r.seats[i] === null).map((s) => s.id),
        }))
        .sort(byTotal),
      nicknames: rows
        .filter((r) => r.rosterId === null)
        .map(resultsOf)
        .sort(byTotal),
      topics: [...topics]
        .map(([topic, x]) => ({ topic, ...x, wrongShare: x.wrong / x.answered }))
        .sort((a, b) => b.wrongShare - a.wrongShare || b.answered - a.answered),
    };
    c.header('Cache-Control', 'no-store');
    return c.json(report);
  });
