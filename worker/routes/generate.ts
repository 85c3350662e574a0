/**
 * "Create from text": a teacher pastes an article and gets draft questions, each tied to its
 * sentence (no external service: worker/generator runs here); the accepted drafts become the
 * teacher's own questions and a new quiz.
 */
import { Hono } from 'hono';
import { questions, quizQuestions, quizzes } from '../../db/schema';
import type { AppEnv } from '../env';
import { randomToken } from '../lib/crypto';
import { database } from '../lib/db';
import { ApiError } from '../lib/errors';
import { enforce, QUESTIONS } from '../lib/limits';
import { mergeSettings } from '../lib/settings';
import { requireTeacher } from '../lib/teacher-auth';
import { validate } from '../lib/validate';
import { draft } from '../generator/draft';
import { generateDrafts } from '../generator/generate';
import { acceptDraftsBody, generateBody } from '../requests';
import { ownId, ownRow, parseOwnQuestion } from './questions';

export const generateRoute = new Hono<AppEnv>()
  .use(requireTeacher)
  .post('/', validate('json', generateBody), (c) => {
    const drafts = generateDrafts(c.req.valid('json').text);
    if (drafts.length === 0)
      throw new ApiError(
        400,
        'no_drafts',
        'No question could be made from this text: it needs sentences with figures, quoted names or dates.',
      );
    return c.json({ drafts });
  })
  .post('/accept', validate('json', acceptDraftsBody), async (c) => {
    const body = c.req.valid('json');
    const me = c.get('teacher').id;
    const accepted = body.drafts.map((raw, i) => {
      const parsed = draft.safeParse(raw);
      if (!parsed.success)
        throw new ApiError(400, 'invalid_draft', `Draft ${i + 1}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      const { kind: _kind, confidence: _confidence, source, ...rest } = parsed.data;
      return parseOwnQuestion(
        { ...rest, source: { quote: source.quote, ...(source.heading ? { heading: source.heading } : {}) } },
        ownId(),
      );
    });
    await enforce(c, QUESTIONS, [me], accepted.length);
    const db = database(c.env.DB);
    const quizId = randomToken(12);
    const now = Date.now();
    await db.batch([
      db.insert(quizzes).values({
        id: quizId,
        ownerId: me,
        title: body.title,
        settings: mergeSettings(),
        createdAt: now,
        updatedAt: now,
      }),
      ...accepted.map((q) => db.insert(questions).values(ownRow(q, me, 'generated'))),
      ...accepted.map((q, position) => db.insert(quizQuestions).values({ quizId, position, questionId: q.id })),
    ]);
    return c.json({ quizId, title: body.title, questionIds: accepted.map((q) => q.id) }, 201);
  });
