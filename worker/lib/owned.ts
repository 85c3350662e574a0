/**
 * Queries of what a teacher owns, read whole: the account's export (./account.ts) and the library a
 * classroom laptop takes from the cloud (../sync/library.ts) list the same quizzes and classes.
 * Builders, not results, so that each caller runs them in its own D1 batch.
 */
import { asc, eq } from 'drizzle-orm';
import { classes, quizQuestions, quizzes, rosterEntries } from '../../db/schema';
import type { Database } from './db';

/** The teacher's quizzes, oldest first. */
export const ownQuizzes = (db: Database, ownerId: string) =>
  db
    .select({
      id: quizzes.id,
      title: quizzes.title,
      settings: quizzes.settings,
      createdAt: quizzes.createdAt,
      updatedAt: quizzes.updatedAt,
    })
    .from(quizzes)
    .where(eq(quizzes.ownerId, ownerId))
    .orderBy(asc(quizzes.createdAt));

/** Which question each place of the teacher's quizzes holds, in each quiz's order. */
export const ownQuizItems = (db: Database, ownerId: string) =>
  db
    .select({ quizId: quizQuestions.quizId, questionId: quizQuestions.questionId })
    .from(quizQuestions)
    .innerJoin(quizzes, eq(quizzes.id, quizQuestions.quizId))
    .where(eq(quizzes.ownerId, ownerId))
    .orderBy(asc(quizQuestions.position));

/** The teacher's classes, oldest first. */
export const ownClasses = (db: Database, ownerId: string) =>
  db
    .select({ id: classes.id, name: classes.name, createdAt: classes.createdAt })
    .from(classes)
    .where(eq(classes.ownerId, ownerId))
    .orderBy(asc(classes.createdAt));

/** The names on the teacher's class lists, with each one's extra time. */
export const ownRosters = (db: Database, ownerId: string) =>
  db
    .select({
      id: rosterEntries.id,
      classId: rosterEntries.classId,
      name: rosterEntries.name,
      timeFactor: rosterEntries.timeFactor,
    })
    .from(rosterEntries)
    .innerJoin(classes, eq(classes.id, rosterEntries.classId))
    .where(eq(classes.ownerId, ownerId));
