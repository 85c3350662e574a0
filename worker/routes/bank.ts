import { Hono } from 'hono';
import { eq } from 'drizzle-orm';
import { questions } from '../../db/schema';
import type { AppEnv } from '../env';
import type { BankSummary } from '../api-types';
import { database } from '../lib/db';
import { QUESTION_TYPES, TOPICS } from '../questions/schema';

/** `GET /api/bank`: how many questions there are per topic and type, for the teacher's picker. */
export const bank = new Hono<AppEnv>().get('/', async (c) => {
  const rows = await database(c.env.DB)
    .select({ type: questions.type, topics: questions.topics, difficulty: questions.difficulty })
    .from(questions)
    .where(eq(questions.retired, false));
  const body: BankSummary = {
    total: rows.length,
    topics: TOPICS.map((topic) => ({ topic, count: rows.filter((r) => r.topics.includes(topic)).length })),
    types: QUESTION_TYPES.map((type) => ({ type, count: rows.filter((r) => r.type === type).length })),
    difficulties: ([1, 2, 3] as const).map((difficulty) => ({ difficulty, count: rows.filter((r) => r.difficulty === difficulty).length })),
  };
  return c.json(body);
});
