/** A teacher's quizzes: an ordered pick of bank and own questions, with settings. */
import { Hono } from 'hono';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import * as z from 'zod';
import { questions, quizQuestions, quizzes } from '../../db/schema';
import { IMAGE_WIDTHS } from '../contract';
import type { AppEnv } from '../env';
import { randomToken } from '../lib/crypto';
import { database, type Database } from '../lib/db';
import { ApiError } from '../lib/errors';
import { mergeSettings } from '../lib/settings';
import { checkUsable } from '../lib/teacher-questions';
import { requireTeacher } from '../lib/teacher-auth';
import { validate } from '../lib/validate';
import { createQuizBody, recordId, updateQuizBody } from '../requests';
import { exportGift } from '../reports/gift';

const idParam = z.object({ id: recordId });

/** The teacher's quiz, or 404. */
export async function ownQuiz(db: Database, id: string, ownerId: string) {
  const quiz = await db.query.quizzes.findFirst({ where: and(eq(quizzes.id, id), eq(quizzes.ownerId, ownerId)) });
  if (!quiz) throw new ApiError(404, 'quiz_not_found', 'There is no such quiz.');
  return quiz;
}

/** Statements that make the quiz's question list exactly `ids`, in order. */
const setQuestions = (db: Database, quizId: string, ids: string[]) => [
  db.delete(quizQuestions).where(eq(quizQuestions.quizId, quizId)),
  ...ids.map((questionId, position) => db.insert(quizQuestions).values({ quizId, position, questionId })),
];

/** The quiz's questions in order, answer keys included (the teacher's own view). */
export const quizQuestionRows = (db: Database, quizId: string) =>
  db
    .select({
      position: quizQuestions.position,
      id: questions.id,
      ownerId: questions.ownerId,
      question: questions.data,
    })
    .from(quizQuestions)
    .innerJoin(questions, eq(questions.id, quizQuestions.questionId))
    .where(eq(quizQuestions.quizId, quizId))
    .orderBy(asc(quizQuestions.position));

export const quizzesRoute = new Hono<AppEnv>()
  .use(requireTeacher)
  .get('/', async (c) => {
    const rows = await database(c.env.DB)
      .select({
        id: quizzes.id,
        title: quizzes.title,
        settings: quizzes.settings,
        updatedAt: quizzes.updatedAt,
        questionCount: sql<number>`(SELECT count(*) FROM quiz_questions q WHERE q.quiz_id = quizzes.id)`,
      })
      .from(quizzes)
      .where(eq(quizzes.ownerId, c.get('teacher').id))
      .orderBy(desc(quizzes.updatedAt));
    return c.json({ quizzes: rows });
  })
  .post('/', validate('json', createQuizBody), async (c) => {
    const body = c.req.valid('json');
    const db = database(c.env.DB);
    const me = c.get('teacher').id;
    await checkUsable(db, me, body.questionIds);
    const id = randomToken(12);
    const now = Date.now();
    const settings = mergeSettings(body.settings);
    await db.batch([
      db.insert(quizzes).values({ id, ownerId: me, title: body.title, settings, createdAt: now, updatedAt: now }),
      ...setQuestions(db, id, body.questionIds),
    ]);
    return c.json({ id, title: body.title, settings, questionIds: body.questionIds }, 201);
  })
  .get('/:id', validate('param', idParam), async (c) => {
    const db = database(c.env.DB);
    const me = c.get('teacher').id;
    const quiz = await ownQuiz(db, c.req.valid('param').id, me);
    const rows = await quizQuestionRows(db, quiz.id);
    return c.json({
      id: quiz.id,
      title: quiz.title,
      settings: quiz.settings,
      updatedAt: quiz.updatedAt,
      questions: rows.map((r) => ({ id: r.id, own: r.ownerId === me, question: r.question })),
    });
  })
  .put('/:id', validate('param', idParam), validate('json', updateQuizBody), async (c) => {
    const db = database(c.env.DB);
    const me = c.get('teacher').id;
    const quiz = await ownQuiz(db, c.req.valid('param').id, me);
    const body = c.req.valid('json');
    if (body.questionIds) await checkUsable(db, me, body.questionIds);
    const settings = mergeSettings(quiz.settings, body.settings ?? {});
    const t = body.title ?? quiz.title;
    await db.batch([
      db.update(quizzes).set({ title: t, settings, updatedAt: Date.now() }).where(eq(quizzes.id, quiz.id)),
      ...(body.questionIds ? setQuestions(db, quiz.id, body.questionIds) : []),
    ]);
    return c.json({ id: quiz.id, title: t, settings });
  })
  .post('/:id/duplicate', validate('param', idParam), async (c) => {
    const db = database(c.env.DB);
    const me = c.get('teacher').id;
    const quiz = await ownQuiz(db, c.req.valid('param').id, me);
    const ids = (await quizQuestionRows(db, quiz.id)).map((r) => r.id);
    const id = randomToken(12);
    const now = Date.now();
    const copyTitle = `${quiz.title} (copy)`.slice(0, 120);
    await db.batch([
      db
        .insert(quizzes)
        .values({ id, ownerId: me, title: copyTitle, settings: quiz.settings, createdAt: now, updatedAt: now }),
      ...setQuestions(db, id, ids),
    ]);
    return c.json({ id, title: copyTitle, settings: quiz.settings, questionIds: ids }, 201);
  })
  .get(
    '/:id/export.gift',
    validate('param', idParam),
    validate('query', z.object({ lang: z.enum(['zh', 'en', 'both']).default('both') })),
    async (c) => {
      const db = database(c.env.DB);
      const quiz = await ownQuiz(db, c.req.valid('param').id, c.get('teacher').id);
      const rows = await quizQuestionRows(db, quiz.id);
      const gift = exportGift(
        rows.map((r) => r.question),
        {
          lang: c.req.valid('query').lang,
          category: `Pomegranate/${quiz.title}`,
          imageUrl: (id) => new URL(`/api/images/${id}?w=${IMAGE_WIDTHS.projector}`, c.req.url).href,
        },
      );
      return c.body(gift, 200, {
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Disposition': `attachment; filename="pomegranate-quiz.gift.txt"; filename*=UTF-8''${encodeURIComponent(`${quiz.title}.gift.txt`)}`,
      });
    },
  )
  .delete('/:id', validate('param', idParam), async (c) => {
    const db = database(c.env.DB);
    const quiz = await ownQuiz(db, c.req.valid('param').id, c.get('teacher').id);
    // Sessions played from it keep their questions and answers; they just lose the link.
    await db.delete(quizzes).where(eq(quizzes.id, quiz.id));
    return c.body(null, 204);
  });
