/**
 * A question one side sends the other (a session's to the cloud, a quiz's to the laptop), stored
 * under its own id. One already there is the same question (a question that sessions used is kept
 * when edited, and the edit gets a new id), so it is left as it is.
 */
import { questions } from '../../db/schema';
import type { Database } from '../lib/db';
import type { WireQuestion } from './wire';

export const insertQuestion = (
  db: Database,
  q: WireQuestion,
  owner: { ownerId: string | null; retired: boolean },
  now: number,
) =>
  db
    .insert(questions)
    .values({
      id: q.data.id,
      type: q.data.type,
      topics: q.data.topics,
      difficulty: q.data.difficulty,
      data: q.data,
      origin: q.origin,
      ...owner,
      updatedAt: now,
    })
    .onConflictDoNothing();
