/**
 * Sessions, from the teacher's side: open one from the bank, watch it through the private link
 * (its secret key in `Authorization: Bearer`), close it, delete it with all its answers.
 */
import { Hono } from 'hono';
import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { answers, participants, questions, sessionQuestions, sessions } from '../../db/schema';
import type { CreatedSession, TeacherView } from '../api-types';
import type { AppEnv } from '../env';
import { bearerHash } from '../lib/auth';
import { joinCode, randomToken, sha256, shuffle } from '../lib/crypto';
import { database, isUniqueViolation, type Database } from '../lib/db';
import { ApiError } from '../lib/errors';
import { leaderboardQuery, publicEntries, rank } from '../lib/leaderboard';
import { validate } from '../lib/validate';
import { QUESTION_TYPES, TOPICS } from '../questions/schema';

/** A teacher's link stays valid this long. */
export const TEACHER_KEY_TTL_MS = 90 * 24 * 3600 * 1000;

const createBody = z.strictObject({
  title: z.string().trim().min(1, 'Give the session a title.').max(80),
  /** Topics to draw from; empty means every topic. */
  topics: z.array(z.enum(TOPICS)).max(TOPICS.length).default([]),
  /** Question types to draw from; empty means every type. */
  types: z.array(z.enum(QUESTION_TYPES)).max(QUESTION_TYPES.length).default([]),
  /** How many questions; null means every matching question. */
  count: z.number().int().min(1).max(200).nullable().default(null),
  /** Difficulties to draw from; empty means every difficulty. */
  difficulties: z.array(z.union([z.literal(1), z.literal(2), z.literal(3)])).max(3).default([]),
  timeLimitSec: z.number().int().min(5).max(600).default(30),
  lang: z.enum(['zh', 'en', 'both']).default('both'),
  mode: z.enum(['self', 'live']).default('self'),
  /** Give part of the points for a partly right multiple-select answer (off by default, as in Moodle's "all or nothing"). */
  partialCredit: z.boolean().default(false),
});

/** Splits `items` into runs of at most `size`. */
const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

const idParam = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{8,32}$/) });

/** Loads the session named by the route and checks the teacher's key; 401/403/404 otherwise. */
async function teacherSession(db: Database, id: string, keyHash: string) {
  const session = await db.query.sessions.findFirst({ where: eq(sessions.id, id) });
  if (!session) throw new ApiError(404, 'session_not_found', 'This session does not exist (it may have been deleted).');
  if (session.teacherKeyHash !== keyHash) throw new ApiError(403, 'forbidden', 'This link does not open this session.');
  if (session.teacherKeyExpiresAt < Date.now()) throw new ApiError(401, 'link_expired', 'This teacher link has expired.');
  return session;
}

export const sessionsRoute = new Hono<AppEnv>()
  .post('/', validate('json', createBody), async (c) => {
    const body = c.req.valid('json');
    const db = database(c.env.DB);
    const rows = await db
      .select({ id: questions.id, type: questions.type, topics: questions.topics, difficulty: questions.difficulty })
      .from(questions)
      .where(eq(questions.retired, false));
    const pool = rows.filter(
      (q) =>
        (body.topics.length === 0 || body.topics.some((t) => q.topics.includes(t))) &&
        (body.types.length === 0 || body.types.includes(q.type)) &&
        (body.difficulties.length === 0 || body.difficulties.includes(q.difficulty as 1 | 2 | 3)),
    );
    if (pool.length === 0) throw new ApiError(400, 'no_questions', 'No question in the bank matches these topics, types and difficulties.');
    const picked = shuffle(pool.map((q) => q.id)).slice(0, body.count ?? pool.length);

    const id = randomToken(12);
    const teacherKey = randomToken(32);
    const now = Date.now();
    const keyHash = await sha256(teacherKey);
    // The code is unique among open sessions (a partial unique index); on the rare clash, draw again.
    for (let attempt = 0; attempt < 5; attempt++) {
      const code = joinCode();
      try {
        await db.batch([
          db.insert(sessions).values({
            id,
            code,
            title: body.title,
            timeLimitSec: body.timeLimitSec,
            lang: body.lang,
            mode: body.mode,
            partialCredit: body.partialCredit,
            teacherKeyHash: keyHash,
            teacherKeyExpiresAt: now + TEACHER_KEY_TTL_MS,
            createdAt: now,
          }),
          // D1 binds at most 100 parameters per statement: 3 per row, so 33 rows per insert.
          ...chunks(picked, 33).map((ids, chunk) =>
            db.insert(sessionQuestions).values(ids.map((questionId, i) => ({ sessionId: id, position: chunk * 33 + i, questionId }))),
          ),
        ]);
      } catch (err) {
        if (isUniqueViolation(err, 'sessions.code')) continue;
        throw err;
      }
      const created: CreatedSession = {
        id,
        code,
        title: body.title,
        status: 'open',
        questionCount: picked.length,
        timeLimitSec: body.timeLimitSec,
        lang: body.lang,
        mode: body.mode,
        teacherKey,
        teacherPath: `/teach/${id}#key=${teacherKey}`,
        joinPath: `/join/${code}`,
      };
      return c.json(created, 201);
    }
    throw new ApiError(503, 'no_code', 'Could not find a free join code; please try again.');
  })
  .get('/:id', validate('param', idParam), async (c) => {
    const db = database(c.env.DB);
    const session = await teacherSession(db, c.req.valid('param').id, await bearerHash(c));
    const [perQuestion, board, recent] = await db.batch([
      db
        .select({
          position: sessionQuestions.position,
          data: questions.data,
          answered: sql<number>`count(${answers.participantId})`,
          correct: sql<number>`coalesce(sum(${answers.correct}), 0)`,
        })
        .from(sessionQuestions)
        .innerJoin(questions, eq(questions.id, sessionQuestions.questionId))
        .leftJoin(answers, and(eq(answers.sessionId, sessionQuestions.sessionId), eq(answers.questionId, sessionQuestions.questionId)))
        .where(eq(sessionQuestions.sessionId, session.id))
        .groupBy(sessionQuestions.position)
        .orderBy(sessionQuestions.position),
      leaderboardQuery(db, session.id),
      db
        .select({
          nickname: participants.nickname,
          position: answers.position,
          correct: answers.correct,
          points: answers.points,
          timeMs: answers.timeMs,
          answeredAt: answers.answeredAt,
        })
        .from(answers)
        .innerJoin(participants, eq(participants.id, answers.participantId))
        .where(eq(answers.sessionId, session.id))
        .orderBy(desc(answers.answeredAt))
        .limit(20),
    ]);
    const view: TeacherView = {
      session: {
        id: session.id,
        code: session.code,
        title: session.title,
        status: session.status,
        questionCount: perQuestion.length,
        timeLimitSec: session.timeLimitSec,
        lang: session.lang,
        mode: session.mode,
        createdAt: session.createdAt,
        closedAt: session.closedAt,
      },
      questions: perQuestion.map((q) => ({
        position: q.position,
        id: q.data.id,
        type: q.data.type,
        stem: q.data.stem,
        answered: q.answered,
        correct: q.correct,
      })),
      leaderboard: publicEntries(rank(board)),
      recent,
    };
    c.header('Cache-Control', 'no-store');
    return c.json(view);
  })
  .post('/:id/close', validate('param', idParam), async (c) => {
    const db = database(c.env.DB);
    const session = await teacherSession(db, c.req.valid('param').id, await bearerHash(c));
    const closedAt = session.closedAt ?? Date.now();
    await db.update(sessions).set({ status: 'closed', closedAt }).where(eq(sessions.id, session.id));
    return c.json({ id: session.id, status: 'closed' as const, closedAt });
  })
  .delete('/:id', validate('param', idParam), async (c) => {
    const db = database(c.env.DB);
    const session = await teacherSession(db, c.req.valid('param').id, await bearerHash(c));
    // Participants, answers and the question list go with it (ON DELETE CASCADE).
    await db.delete(sessions).where(eq(sessions.id, session.id));
    return c.body(null, 204);
  });
