import { Hono } from 'hono';
import { and, eq, sql } from 'drizzle-orm';
import { questionRelations, questions } from '../../db/schema';
import type { AppEnv } from '../env';
import { database, type Database } from '../lib/db';
import { prepared } from '../lib/prepared';
import { type BankRelations, type BankSummary, QUESTION_TYPES, TOPICS } from '../contract';

/*
 * Performance. The shared bank changes only when it is re-seeded (a deploy), and every
 * seed stamps the rows it changes or retires with its time: the newest `updated_at` of the bank's
 * rows is its content version. So the summary is computed once per version and kept in the isolate
 * (per D1 binding), a request only asks D1 for the version, and the version is the ETag: a
 * browser's revalidation gets a 304 without a body. The version is one entry of the
 * `questions_origin_updated` index (a read of 1 row instead of a pass over the bank's 190).
 */

/** The seeded bank's content version. */
const bankVersion = prepared((db) =>
  db
    .select({ version: sql<number | null>`max(${questions.updatedAt})` })
    .from(questions)
    .where(eq(questions.origin, 'bank')),
);

/** The summary, from the bank's offered questions (teachers' own questions are not part of the shared bank). */
async function summarise(db: Database): Promise<BankSummary> {
  const rows = await db
    .select({ type: questions.type, topics: questions.topics, difficulty: questions.difficulty })
    .from(questions)
    .where(and(eq(questions.origin, 'bank'), eq(questions.retired, false)));
  return {
    total: rows.length,
    topics: TOPICS.map((topic) => ({ topic, count: rows.filter((r) => r.topics.includes(topic)).length })),
    types: QUESTION_TYPES.map((type) => ({ type, count: rows.filter((r) => r.type === type).length })),
    difficulties: ([1, 2, 3] as const).map((difficulty) => ({
      difficulty,
      count: rows.filter((r) => r.difficulty === difficulty).length,
    })),
  };
}

const cache = new WeakMap<D1Database, { etag: string; body: string }>();

/** `GET /api/bank`: how many questions there are per topic and type, for the teacher's picker. */
export const bank = new Hono<AppEnv>()
  .get('/', async (c) => {
    const db = database(c.env.DB);
    const [{ version } = { version: null }] = await bankVersion(db).all();
    const etag = `"bank-${version ?? 'empty'}"`;
    let entry = cache.get(c.env.DB);
    if (entry?.etag !== etag) cache.set(c.env.DB, (entry = { etag, body: JSON.stringify(await summarise(db)) }));
    // Everyone gets the same summary; a minute without asking, then a cheap revalidation.
    c.header('Cache-Control', 'public, max-age=60');
    c.header('ETag', etag);
    if (c.req.header('If-None-Match') === etag) return c.body(null, 304);
    return c.body(entry.body, 200, { 'Content-Type': 'application/json' });
  })
  /**
   * `GET /api/bank/relations`: the bank's related questions (db/bank/relations.json, a few dozen
   * rows), for the quiz builder's warning when a quiz holds a related pair.
   */
  .get('/relations', async (c) => {
    const relations = await database(c.env.DB).select().from(questionRelations);
    c.header('Cache-Control', 'public, max-age=60');
    return c.json({ relations } satisfies BankRelations);
  });
