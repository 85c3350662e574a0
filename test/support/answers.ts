/** The question bank with its answer keys (read in Node, never from the server), and responses that are right or wrong. */
import { rawBank } from '../../db/bank';
import { parseBank } from '../../db/seed-sql';
import type { Question } from '../../worker/contract';

/** Every bank question by id, answer key included. */
export const bank: ReadonlyMap<string, Question> = new Map(parseBank(rawBank).map((q) => [q.id, q as Question]));

export function bankQuestion(id: string): Question {
  const q = bank.get(id);
  if (!q) throw new Error(`question ${id} is not in the bank`);
  return q;
}

export { rightResponse, wrongResponse } from '../responses';
