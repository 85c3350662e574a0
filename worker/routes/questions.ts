/**
 * The quiz builder's question bank: browse and search the shared bank and one's own questions;
 * write, edit and delete one's own (validated exactly like the bank, the source quote optional).
 */
import { Hono } from 'hono';
import { and, asc, eq, sql } from 'drizzle-orm';
import * as z from 'zod';
import { answers, questions, quizQuestions, sessionQuestions } from '../../db/schema';
import type { AppEnv } from '../env';
import { claimImages, deleteImages, imagesOf } from '../images/store';
import { randomToken } from '../lib/crypto';
import { database, type Database } from '../lib/db';
import { ApiError } from '../lib/errors';
import { enforce, IMPORTS, MAX_IMPORT_QUESTIONS, QUESTIONS } from '../lib/limits';
import { usableBy } from '../lib/teacher-questions';
import { requireTeacher } from '../lib/teacher-auth';
import { describeIssues, validate } from '../lib/validate';
import { importGiftBody, ownQuestionBody } from '../requests';
import { question } from '../questions/schema';
import { importGift } from '../reports/gift';
import { type Question, QUESTION_TYPES, TOPICS } from '../contract';

const listQuery = z.object({
  q: z.string().trim().max(100).optional(),
  topic: z.enum(TOPICS).optional(),
  type: z.enum(QUESTION_TYPES).optional(),
  difficulty: z.coerce.number().int().min(1).max(3).optional(),
  mine: z.enum(['1', '0']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

const idParam = z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9-]{2,63}$/) });

/** A teacher's question as written: any field of a question but the id; the source defaults to "own, no quote". */

/** Validates a teacher's question with the bank's schema, forcing the id and marking the source as theirs. */
export function parseOwnQuestion(body: Record<string, unknown>, id: string): Question {
  const source = (body.source ?? {}) as Record<string, unknown>;
  const parsed = question.safeParse({ ...body, id, source: { ...source, own: true } });
  if (!parsed.success) throw new ApiError(400, 'invalid_question', describeIssues(parsed.error));
  return parsed.data;
}

/** The row that stores a teacher's question. */
export const ownRow = (q: Question, ownerId: string, origin: 'teacher' | 'import' | 'generated') => ({
  id: q.id,
  type: q.type,
  topics: q.topics,
  difficulty: q.difficulty,
  data: q,
  origin,
  ownerId,
  retired: false,
  updatedAt: Date.now(),
});

/** A new id for a teacher's question. */
export const ownId = () =>
  `own-${randomToken(9)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '0')}`;

/** The teacher's own question, or 404. */
async function ownQuestion(db: Database, id: string, ownerId: string) {
  const row = await db.query.questions.findFirst({
    where: and(eq(questions.id, id), eq(questions.ownerId, ownerId), eq(questions.retired, false)),
  });
  if (!row) throw new ApiError(404, 'question_not_found', 'There is no such question of yours.');
  return row;
}

export const questionsRoute = new Hono<AppEnv>()
  .use(requireTeacher)
  .get('/', validate('query', listQuery), async (c) => {
    const f = c.req.valid('query');
    const me = c.get('teacher').id;
    const rows = await database(c.env.DB)
      .select({
        id: questions.id,
        origin: questions.origin,
        ownerId: questions.ownerId,
        data: questions.data,
        total: sql<number>`count(*) OVER ()`,
      })
      .from(questions)
      .where(
        and(
          usableBy(me),
          f.mine === '1' ? eq(questions.ownerId, me) : undefined,
          f.type ? eq(questions.type, f.type) : undefined,
          f.difficulty ? eq(questions.difficulty, f.difficulty) : undefined,
          // Topics are a JSON array of known words, so the quoted word matches exactly.
          f.topic ? sql`${questions.topics} LIKE ${`%"${f.topic}"%`}` : undefined,
          // instr, not LIKE: D1 refuses LIKE patterns over 50 bytes (17 Chinese characters) with an
          // error. lower() folds ASCII only, as LIKE does.
          f.q ? sql`instr(lower(${questions.data}), lower(${f.q})) > 0` : undefined,
        ),
      )
      .orderBy(sql`${questions.ownerId} IS NULL`, asc(questions.id))
      .limit(f.limit)
      .offset(f.offset);
    return c.json({
      total: rows[0]?.total ?? 0,
      items: rows.map((r) => ({ id: r.id, origin: r.origin, own: r.ownerId === me, question: r.data })),
    });
  })
  .post('/', validate('json', ownQuestionBody), async (c) => {
    const me = c.get('teacher').id;
    const db = database(c.env.DB);
    const { question: q, attach } = await claimImages(db, me, parseOwnQuestion(c.req.valid('json'), ownId()));
    await enforce(c, QUESTIONS, [me]);
    await db.batch([db.insert(questions).values(ownRow(q, me, 'teacher')), ...attach]);
    return c.json({ id: q.id, question: q }, 201);
  })
  .post('/import', validate('json', importGiftBody), async (c) => {
    const body = c.req.valid('json');
    const me = c.get('teacher').id;
    // Counted before parsing: a text that fails costs the parse too.
    await enforce(c, IMPORTS, [me]);
    const result = importGift(body.gift, { lang: body.lang });
    if (result.errors.length || result.questions.length === 0) {
      const first = result.errors[0];
      throw new ApiError(
        400,
        'invalid_gift',
        first ? `Line ${first.line}: ${first.message}` : 'No question found in this text.',
      );
    }
    if (result.questions.length > MAX_IMPORT_QUESTIONS)
      throw new ApiError(
        400,
        'too_many_questions',
        `One import may create at most ${MAX_IMPORT_QUESTIONS} questions; this text has ${result.questions.length}. Split it into parts.`,
      );
    await enforce(c, QUESTIONS, [me], result.questions.length);
    const imported = result.questions.map((x) => parseOwnQuestion({ ...x.question, source: {} }, ownId()));
    const db = database(c.env.DB);
    await db.batch([
      db.insert(questions).values(ownRow(imported[0]!, me, 'import')),
      ...imported.slice(1).map((q) => db.insert(questions).values(ownRow(q, me, 'import'))),
    ]);
    return c.json(
      {
        imported: imported.map((q) => ({ id: q.id, type: q.type, stem: q.stem, question: q })),
        warnings: result.questions.flatMap((x) => x.warnings.map((w) => `Line ${x.line}: ${w}`)),
        skipped: result.skipped.map((s) => `Line ${s.line}: ${s.message}`),
      },
      201,
    );
  })
  .put('/:id', validate('param', idParam), validate('json', ownQuestionBody), async (c) => {
    const db = database(c.env.DB);
    const me = c.get('teacher').id;
    const row = await ownQuestion(db, c.req.valid('param').id, me);
    const { question: q, attach, dropped } = await claimImages(db, me, parseOwnQuestion(c.req.valid('json'), row.id));
    await db.batch([
      db
        .update(questions)
        .set({ type: q.type, topics: q.topics, difficulty: q.difficulty, data: q, updatedAt: Date.now() })
        .where(eq(questions.id, row.id)),
      ...attach,
    ]);
    // An image replaced or removed is deleted: nothing else shows it.
    await deleteImages(c.env, db, dropped);
    return c.json({ id: q.id, question: q });
  })
  .delete('/:id', validate('param', idParam), async (c) => {
    const db = database(c.env.DB);
    const row = await ownQuestion(db, c.req.valid('param').id, c.get('teacher').id);
    const [used] = await db
      .select({
        n: sql<number>`(SELECT count(*) FROM ${answers} WHERE ${answers.questionId} = ${row.id}) + (SELECT count(*) FROM ${sessionQuestions} WHERE ${sessionQuestions.questionId} = ${row.id})`,
      })
      .from(questions)
      .where(eq(questions.id, row.id));
    // A question that sessions used stays, retired, so their answers and reports keep it; it leaves
    // every quiz. Its images go either way (the teacher deleted it), and a retired one no longer names them.
    const { image: _image, ...withoutImage } = row.data;
    await deleteImages(c.env, db, await imagesOf(db, row.id));
    await db.batch([
      db.delete(quizQuestions).where(eq(quizQuestions.questionId, row.id)),
      used!.n > 0
        ? db
            .update(questions)
            .set({ retired: true, data: withoutImage as Question })
            .where(eq(questions.id, row.id))
        : db.delete(questions).where(eq(questions.id, row.id)),
    ]);
    return c.body(null, 204);
  });
