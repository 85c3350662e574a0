/**
 * Quizzes and classes before the lesson: the cloud lists a teacher's (with the own questions their
 * quizzes use, and the rosters), and the laptop stores them under the same ids for its teacher, so
 * that sessions played from them are sent back under the ids the cloud knows.
 */
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { classes, questions, quizQuestions, quizzes, rosterEntries } from '../../db/schema';
import type { PullResult } from '../contract';
import { batchAll, type Database } from '../lib/db';
import { mergeSettings } from '../lib/settings';
import { ownClasses, ownQuizItems, ownQuizzes, ownRosters } from '../lib/owned';
import { insertQuestion } from './questions';
import type { Library } from './wire';

/** Cloud side: the teacher's quizzes (with the own questions they use) and classes (with rosters). */
export async function libraryOf(db: Database, ownerId: string): Promise<Library> {
  const [quizRows, items, own, classRows, roster] = await db.batch([
    ownQuizzes(db, ownerId),
    ownQuizItems(db, ownerId),
    db
      .selectDistinct({ origin: questions.origin, retired: questions.retired, data: questions.data })
      .from(questions)
      .innerJoin(quizQuestions, eq(quizQuestions.questionId, questions.id))
      .where(and(eq(questions.ownerId, ownerId), isNotNull(questions.ownerId))),
    ownClasses(db, ownerId),
    ownRosters(db, ownerId),
  ]);
  return {
    questions: own.map((q) => ({ origin: q.origin, retired: q.retired, data: q.data })),
    quizzes: quizRows.map((q) => ({
      ...q,
      questionIds: items.filter((i) => i.quizId === q.id).map((i) => i.questionId),
    })),
    classes: classRows.map((c) => ({
      ...c,
      roster: roster
        .filter((r) => r.classId === c.id)
        .map(({ classId: _class, timeFactor, ...r }) => ({ ...r, timeFactor: timeFactor as 1 | 1.5 | 2 | 0 })),
    })),
  };
}

/**
 * Laptop side: stores the cloud's library for `ownerId`. A quiz, class or question whose id this
 * laptop has under another of its accounts is left out, and so is a quiz one of whose questions the
 * laptop lacks (a bank of another version). What the teacher has here already is replaced by the
 * cloud's version (quizzes: title, settings, questions; classes: name, roster names added).
 */
export async function storeLibrary(db: Database, ownerId: string, lib: Library): Promise<PullResult> {
  const now = Date.now();
  const questionIds = [...new Set(lib.quizzes.flatMap((q) => q.questionIds))];
  const [haveQuestions, haveQuizzes, haveClasses] = await db.batch([
    db
      .select({ id: questions.id, ownerId: questions.ownerId })
      .from(questions)
      .where(inArray(questions.id, questionIds)),
    db
      .select({ id: quizzes.id, ownerId: quizzes.ownerId })
      .from(quizzes)
      .where(
        inArray(
          quizzes.id,
          lib.quizzes.map((q) => q.id),
        ),
      ),
    db
      .select({ id: classes.id, ownerId: classes.ownerId })
      .from(classes)
      .where(
        inArray(
          classes.id,
          lib.classes.map((c) => c.id),
        ),
      ),
  ]);
  const mine = (rows: { id: string; ownerId: string | null }[]) => {
    const others = new Set(rows.filter((r) => r.ownerId !== ownerId).map((r) => r.id));
    return (id: string) => !others.has(id);
  };
  const questionMine = (id: string) =>
    !haveQuestions.some((q) => q.id === id && q.ownerId !== null && q.ownerId !== ownerId);
  const ownQuestions = lib.questions.filter(
    (q) => questionMine(q.data.id) && !haveQuestions.some((h) => h.id === q.data.id),
  );
  const usable = new Set([
    ...haveQuestions.filter((q) => questionMine(q.id)).map((q) => q.id),
    ...ownQuestions.map((q) => q.data.id),
  ]);
  const quizMine = mine(haveQuizzes);
  const classMine = mine(haveClasses);
  const quizList = lib.quizzes.filter((q) => quizMine(q.id) && q.questionIds.every((id) => usable.has(id)));
  const classList = lib.classes.filter((c) => classMine(c.id));
  const statements: BatchItem<'sqlite'>[] = [
    ...ownQuestions.map((q) => insertQuestion(db, q, { ownerId, retired: q.retired }, now)),
    ...quizList.flatMap((q) => {
      const fields = { title: q.title, settings: mergeSettings(q.settings), updatedAt: q.updatedAt };
      return [
        db
          .insert(quizzes)
          .values({ id: q.id, ownerId, createdAt: q.createdAt, ...fields })
          .onConflictDoUpdate({ target: quizzes.id, set: fields }),
        db.delete(quizQuestions).where(eq(quizQuestions.quizId, q.id)),
        ...q.questionIds.map((questionId, position) =>
          db.insert(quizQuestions).values({ quizId: q.id, position, questionId }),
        ),
      ];
    }),
    ...classList.flatMap((c) => [
      db
        .insert(classes)
        .values({ id: c.id, ownerId, name: c.name, createdAt: c.createdAt })
        .onConflictDoUpdate({ target: classes.id, set: { name: c.name } }),
      ...c.roster.map((r) =>
        db
          .insert(rosterEntries)
          .values({ ...r, classId: c.id })
          .onConflictDoNothing(),
      ),
    ]),
  ];
  await batchAll(db, statements);
  return {
    quizzes: quizList.length,
    classes: classList.length,
    questions: ownQuestions.length,
    skipped: lib.quizzes.length - quizList.length + lib.classes.length - classList.length,
  };
}
