/**
 * The laptop reading a closed session as the cloud is sent it (./wire.ts): the session with its
 * questions and class, and its students with their answers in id order (the cursor's order).
 */
import { asc, eq } from 'drizzle-orm';
import { answers, classes, participants, questions, rosterEntries, sessionQuestions, sessions } from '../../db/schema';
import type { Database } from '../lib/db';
import type { SessionHeader, WireClass, WireParticipant } from './wire';

type SessionRow = typeof sessions.$inferSelect;

/** The header of a closed session (`session` as D1 holds it). */
export async function readHeader(db: Database, session: SessionRow & { closedAt: number }): Promise<SessionHeader> {
  const [qs, cls, roster] = await db.batch([
    db
      .select({ origin: questions.origin, retired: questions.retired, data: questions.data })
      .from(sessionQuestions)
      .innerJoin(questions, eq(questions.id, sessionQuestions.questionId))
      .where(eq(sessionQuestions.sessionId, session.id))
      .orderBy(asc(sessionQuestions.position)),
    db
      .select({ id: classes.id, name: classes.name, createdAt: classes.createdAt })
      .from(classes)
      .where(eq(classes.id, session.classId ?? '')),
    db
      .select({ id: rosterEntries.id, name: rosterEntries.name, timeFactor: rosterEntries.timeFactor })
      .from(rosterEntries)
      .where(eq(rosterEntries.classId, session.classId ?? ''))
      .orderBy(asc(rosterEntries.id)),
  ]);
  const s = session;
  return {
    session: {
      code: s.code,
      title: s.title,
      timeLimitSec: s.timeLimitSec,
      mode: s.mode,
      lang: s.lang,
      partialCredit: s.partialCredit,
      shuffleQuestions: s.shuffleQuestions,
      shuffleOptions: s.shuffleOptions,
      feedback: s.feedback,
      autoAdvance: s.autoAdvance,
      showLeaderboard: s.showLeaderboard,
      locked: s.locked,
      allowGuests: s.allowGuests,
      maxPlayers: s.maxPlayers,
      shards: s.shards,
      teams: s.teams,
      seatsPerNetwork: s.seatsPerNetwork,
      idSalt: s.idSalt,
      opensAt: s.opensAt,
      closesAt: s.closesAt,
      teacherKeyExpiresAt: s.teacherKeyExpiresAt,
      createdAt: s.createdAt,
      closedAt: s.closedAt,
    },
    questions: qs,
    class: cls[0] ? { ...cls[0], roster: roster as WireClass['roster'] } : null,
    quizId: s.quizId,
  };
}

/** Every student of the session with their answers, in ascending id. */
export async function readParticipants(db: Database, sessionId: string): Promise<WireParticipant[]> {
  const [people, given] = await db.batch([
    db.select().from(participants).where(eq(participants.sessionId, sessionId)).orderBy(asc(participants.id)),
    db.select().from(answers).where(eq(answers.sessionId, sessionId)).orderBy(asc(answers.position)),
  ]);
  const byStudent = new Map<string, WireParticipant['answers']>();
  for (const a of given)
    byStudent.set(a.participantId, [
      ...(byStudent.get(a.participantId) ?? []),
      {
        questionId: a.questionId,
        position: a.position,
        response: a.response ?? null,
        correct: a.correct,
        points: a.points,
        timeMs: a.timeMs,
        answeredAt: a.answeredAt,
      },
    ]);
  return people.map((p) => ({
    id: p.id,
    nickname: p.nickname,
    nicknameKey: p.nicknameKey,
    joinedAt: p.joinedAt,
    expiresAt: p.expiresAt,
    position: p.position,
    servedAt: p.servedAt,
    score: p.score,
    correctCount: p.correctCount,
    finishedAt: p.finishedAt,
    questionOrder: p.questionOrder,
    rosterId: p.rosterId,
    networkKey: p.networkKey,
    deviceKey: p.deviceKey,
    answers: byStudent.get(p.id) ?? [],
  }));
}
