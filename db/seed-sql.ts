/**
 * The seed as SQL text: one upsert per bank question, then the retirement of bank questions that
 * are gone. The same statements feed `wrangler d1 execute` (npm start, deploy) and the tests.
 */
import { isBankQuestion, question } from '../worker/questions/schema';
import type { BankQuestion, QuestionRelation } from '../worker/contract';

const literal = (value: string | number): string =>
  typeof value === 'number' ? String(value) : `'${value.replaceAll("'", "''")}'`;

/** Validates every raw entry (throwing on the first invalid one) and returns the bank questions. */
export function parseBank(raw: unknown[]): BankQuestion[] {
  return raw.map((entry, i) => {
    const parsed = question.safeParse(entry);
    const name = `bank entry ${i} (${String((entry as { id?: unknown }).id)})`;
    if (!parsed.success) throw new Error(`${name} is invalid: ${parsed.error.message}`);
    if (!isBankQuestion(parsed.data)) throw new Error(`${name} has no article section and quote`);
    return parsed.data;
  });
}

/**
 * SQL statements that bring the questions table in line with `bank`: changed questions are
 * updated in place by id (so past answers keep pointing at them), unchanged ones are left alone,
 * and bank questions no longer in the bank are retired, never deleted. With `relations`, the
 * `question_relations` table is replaced by them; without, it is left as it is.
 */
export function seedStatements(bank: BankQuestion[], now = Date.now(), relations?: QuestionRelation[]): string[] {
  const upserts = bank.map(
    (q) =>
      `INSERT INTO questions (id, type, topics, difficulty, data, origin, retired, updated_at) VALUES (${[
        q.id,
        q.type,
        JSON.stringify(q.topics),
        q.difficulty,
        JSON.stringify(q),
        'bank',
      ]
        .map(literal)
        .join(
          ', ',
        )}, 0, ${now}) ON CONFLICT(id) DO UPDATE SET type = excluded.type, topics = excluded.topics, difficulty = excluded.difficulty, data = excluded.data, retired = 0, updated_at = excluded.updated_at WHERE questions.data IS NOT excluded.data OR questions.retired = 1;`,
  );
  const ids = JSON.stringify(bank.map((q) => q.id));
  return [
    ...upserts,
    `UPDATE questions SET retired = 1, updated_at = ${now} WHERE origin = 'bank' AND retired = 0 AND id NOT IN (SELECT value FROM json_each(${literal(ids)}));`,
    ...(relations ? relationStatements(bank, relations) : []),
  ];
}

/**
 * The bank's relations replace the stored ones (a relation is between two of `bank`'s questions;
 * others are left out). Small: a few dozen rows, rewritten by every seed.
 */
function relationStatements(bank: BankQuestion[], relations: QuestionRelation[]): string[] {
  const ids = new Set(bank.map((q) => q.id));
  const rows = relations.filter((r) => ids.has(r.questionId) && ids.has(r.relatedId));
  return [
    'DELETE FROM question_relations;',
    ...rows.map(
      (r) =>
        `INSERT INTO question_relations (question_id, related_id, kind) VALUES (${[r.questionId, r.relatedId, r.kind].map(literal).join(', ')});`,
    ),
  ];
}
