/** The question bank with its answer keys (read in Node, never from the server), and responses that are right or wrong. */
import { rawBank } from '../../db/bank';
import { parseBank } from '../../db/seed-sql';
import { asServed } from '../responses';
import type { Question, StudentQuestion } from '../../worker/contract';

/** Every bank question by id, answer key included. */
export const bank: ReadonlyMap<string, Question> = new Map(parseBank(rawBank).map((q) => [q.id, q as Question]));

const stemOf = (q: Pick<Question, 'type' | 'stem'>) => `${q.type}\u0000${q.stem.zh}\u0000${q.stem.en}`;
const byStem = new Map([...bank.values()].map((q) => [stemOf(q), q]));

/**
 * The bank question a student was served as `served`, found by its stem (a session shows its own
 * ids, never the bank's): its bank id, which D1 keeps, and its key in the ids the student saw.
 */
export function servedQuestion(served: StudentQuestion): { bankId: string; key: Question } {
  const q = byStem.get(stemOf(served));
  if (!q) throw new Error(`no bank question has the stem of ${served.id}`);
  return { bankId: q.id, key: asServed(q, served) };
}

export { rightResponse, wrongResponse } from '../responses';
