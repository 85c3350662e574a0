/** Questions a teacher may use: the shared bank and their own. */
import { and, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import { questions } from '../../db/schema';
import type { Database } from './db';
import { ApiError } from './errors';

/** SQL condition: a question this teacher may use (bank or their own), not retired. */
export const usableBy = (teacherId: string): SQL =>
  and(eq(questions.retired, false), or(isNull(questions.ownerId), eq(questions.ownerId, teacherId)))!;

/** Checks that every id names a question the teacher may use; 400 listing the ones that do not. */
export async function checkUsable(db: Database, teacherId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  // json_each, not a list of parameters: D1 binds at most 100 per statement.
  const found = await db
    .select({ id: questions.id })
    .from(questions)
    .where(and(usableBy(teacherId), sql`${questions.id} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`));
  const known = new Set(found.map((r) => r.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length)
    throw new ApiError(
      400,
      'unknown_questions',
      `These questions do not exist or are not yours: ${unknown.slice(0, 5).join(', ')}`,
    );
}
