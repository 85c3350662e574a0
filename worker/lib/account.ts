/**
 * A teacher's whole account: everything it holds as one JSON document (`GET /api/auth/account/export`),
 * and its deletion with everything in it (`DELETE /api/auth/account`), D1 rows and the session
 * rooms' storage alike. Secrets and keyed hashes (password, token and key hashes, a cloud link's
 * token, network and device keys, id salts) are left out of the export: they mean nothing outside
 * the app.
 */
import { and, asc, eq } from 'drizzle-orm';
import {
  answers,
  classes,
  images,
  cloudLinks,
  linkTokens,
  participants,
  questions,
  quizzes,
  sessionQuestions,
  sessions,
  userSessions,
  users,
} from '../../db/schema';
import type { Env } from '../env';
import { deleteOwnerFiles } from '../images/store';
import { database } from './db';
import { ownClasses, ownQuizItems, ownQuizzes, ownRosters } from './owned';
import { settle } from './play-rooms';
import { forgetRooms } from './retention';

/** Everything the account holds, for the teacher to download. */
export async function exportAccount(env: Env, userId: string) {
  const db = database(env.DB);
  // Answers a play room has not copied to D1 yet are part of it too.
  const open = await db
    .select({ id: sessions.id, mode: sessions.mode })
    .from(sessions)
    .where(and(eq(sessions.ownerId, userId), eq(sessions.status, 'open')));
  await settle(env, ...open);
  const mySessions = eq(sessions.ownerId, userId);
  const [
    account,
    signIns,
    classRows,
    roster,
    questionRows,
    quizRows,
    quizItems,
    sessionRows,
    sessionItems,
    seats,
    given,
    imageRows,
    links,
    cloud,
  ] = await db.batch([
    db
      .select({
        id: users.id,
        email: users.email,
        name: users.name,
        createdAt: users.createdAt,
        keepResultsDays: users.keepResultsDays,
        blockedWords: users.blockedWords,
      })
      .from(users)
      .where(eq(users.id, userId)),
    db
      .select({ createdAt: userSessions.createdAt, expiresAt: userSessions.expiresAt })
      .from(userSessions)
      .where(eq(userSessions.userId, userId)),
    ownClasses(db, userId),
    ownRosters(db, userId),
    db
      .select({
        id: questions.id,
        type: questions.type,
        topics: questions.topics,
        difficulty: questions.difficulty,
        origin: questions.origin,
        updatedAt: questions.updatedAt,
        question: questions.data,
      })
      .from(questions)
      .where(eq(questions.ownerId, userId)),
    ownQuizzes(db, userId),
    ownQuizItems(db, userId),
    db
      .select({
        id: sessions.id,
        title: sessions.title,
        code: sessions.code,
        mode: sessions.mode,
        status: sessions.status,
        lang: sessions.lang,
        timeLimitSec: sessions.timeLimitSec,
        feedback: sessions.feedback,
        classId: sessions.classId,
        quizId: sessions.quizId,
        opensAt: sessions.opensAt,
        closesAt: sessions.closesAt,
        createdAt: sessions.createdAt,
        closedAt: sessions.closedAt,
      })
      .from(sessions)
      .where(mySessions)
      .orderBy(asc(sessions.createdAt)),
    db
      .select({ sessionId: sessionQuestions.sessionId, questionId: sessionQuestions.questionId })
      .from(sessionQuestions)
      .innerJoin(sessions, eq(sessions.id, sessionQuestions.sessionId))
      .where(mySessions)
      .orderBy(asc(sessionQuestions.position)),
    db
      .select({
        id: participants.id,
        sessionId: participants.sessionId,
        nickname: participants.nickname,
        rosterId: participants.rosterId,
        joinedAt: participants.joinedAt,
        score: participants.score,
        correctCount: participants.correctCount,
        finishedAt: participants.finishedAt,
      })
      .from(participants)
      .innerJoin(sessions, eq(sessions.id, participants.sessionId))
      .where(mySessions)
      .orderBy(asc(participants.joinedAt)),
    db
      .select({
        participantId: answers.participantId,
        questionId: answers.questionId,
        position: answers.position,
        response: answers.response,
        correct: answers.correct,
        points: answers.points,
        timeMs: answers.timeMs,
        answeredAt: answers.answeredAt,
      })
      .from(answers)
      .innerJoin(sessions, eq(sessions.id, answers.sessionId))
      .where(mySessions)
      .orderBy(asc(answers.position)),
    // Images are described here; their files are served at /api/images/<id> for as long as they exist.
    db
      .select({
        id: images.id,
        questionId: images.questionId,
        contentType: images.contentType,
        width: images.width,
        height: images.height,
        bytes: images.bytes,
        createdAt: images.createdAt,
      })
      .from(images)
      .where(eq(images.ownerId, userId))
      .orderBy(asc(images.createdAt)),
    db
      .select({
        name: linkTokens.name,
        createdAt: linkTokens.createdAt,
        expiresAt: linkTokens.expiresAt,
        lastUsedAt: linkTokens.lastUsedAt,
      })
      .from(linkTokens)
      .where(eq(linkTokens.userId, userId))
      .orderBy(asc(linkTokens.createdAt)),
    db
      .select({ url: cloudLinks.url, account: cloudLinks.cloudAccount, createdAt: cloudLinks.createdAt })
      .from(cloudLinks)
      .where(eq(cloudLinks.userId, userId)),
  ]);
  const group = <T, K extends keyof T>(rows: T[], key: K) => {
    const map = new Map<T[K], Omit<T, K>[]>();
    for (const { [key]: k, ...rest } of rows) map.set(k, [...(map.get(k) ?? []), rest as Omit<T, K>]);
    return (k: T[K]) => map.get(k) ?? [];
  };
  const rosterOf = group(roster, 'classId');
  const quizQuestionsOf = group(quizItems, 'quizId');
  const sessionQuestionsOf = group(sessionItems, 'sessionId');
  const seatsOf = group(seats, 'sessionId');
  const answersOf = group(given, 'participantId');
  return {
    format: 'pomegranate-account/1',
    exportedAt: new Date().toISOString(),
    account: account[0] ?? null,
    signIns,
    /** Classroom laptops' link tokens (without the tokens) and this laptop's cloud link (without its token). */
    linkTokens: links,
    cloudLink: cloud[0] ?? null,
    classes: classRows.map((c) => ({ ...c, roster: rosterOf(c.id) })),
    questions: questionRows,
    images: imageRows,
    quizzes: quizRows.map((q) => ({ ...q, questionIds: quizQuestionsOf(q.id).map((x) => x.questionId) })),
    sessions: sessionRows.map((s) => ({
      ...s,
      questionIds: sessionQuestionsOf(s.id).map((x) => x.questionId),
      participants: seatsOf(s.id).map((p) => ({ ...p, answers: answersOf(p.id) })),
    })),
  };
}

/**
 * Deletes the account and everything in it, in one D1 batch (all or nothing): its sessions with
 * their students and answers, quizzes, own questions, classes with their rosters, sign-ins and the
 * account row (blocklist and settings with it, images' rows with it); then empties every session's
 * room and deletes every image file.
 */
export async function deleteAccount(env: Env, userId: string): Promise<void> {
  const db = database(env.DB);
  const owned = await db
    .select({ id: sessions.id, mode: sessions.mode, shards: sessions.shards })
    .from(sessions)
    .where(eq(sessions.ownerId, userId));
  // Sessions first: their answers refer to the teacher's own questions, which go after them.
  await db.batch([
    db.delete(sessions).where(eq(sessions.ownerId, userId)),
    db.delete(quizzes).where(eq(quizzes.ownerId, userId)),
    db.delete(questions).where(eq(questions.ownerId, userId)),
    db.delete(classes).where(eq(classes.ownerId, userId)),
    db.delete(userSessions).where(eq(userSessions.userId, userId)),
    db.delete(users).where(eq(users.id, userId)),
  ]);
  await forgetRooms(env, owned);
  // Image rows went with the account (ON DELETE CASCADE); its files are found by their prefix.
  await deleteOwnerFiles(env, userId);
}

export type AccountExport = Awaited<ReturnType<typeof exportAccount>>;
