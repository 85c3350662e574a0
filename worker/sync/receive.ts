/**
 * The cloud storing a session a laptop sends (worker/routes/sync.ts), each step idempotent: rows
 * keep their laptop ids and are inserted or updated on them, so a step sent twice stores the same
 * thing, and students' totals are copied as the laptop computed them (the laptop's own answers
 * add up to them).
 *
 * Ownership: a session, class, quiz or own question whose id the cloud has under another account
 * is refused (403). A class the cloud does not have is created for the token's teacher with its
 * roster; a quiz it does not have is not (the session keeps its own questions, and its quiz
 * reference is dropped). A bank question the cloud's bank lacks (another bank version) is stored
 * retired, as the bank keeps a question it dropped.
 */
import { eq, inArray, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { classes, questions, quizzes, rosterEntries, sessionQuestions, sessions, syncReceipts } from '../../db/schema';
import { EXPIRED_TOKEN_PREFIX } from '../lib/retention';
import { randomToken, sha256 } from '../lib/crypto';
import { batchAll, type Database } from '../lib/db';
import { ApiError } from '../lib/errors';
import { insertQuestion } from './questions';
import type { Receipt, SessionHeader, WireParticipant } from './wire';

const otherAccount = (code: 'session' | 'class' | 'quiz' | 'question', what: string) =>
  new ApiError(403, `${code}_other_account`, `${what} belongs to another account on the cloud.`);

/** The receipt of a session sent by `ownerId`; 404 when there is none (its header was never sent), 403 for another account's. */
export async function receiptOf(db: Database, sessionId: string, ownerId: string): Promise<Receipt> {
  const [row] = await db
    .select({ ownerId: sessions.ownerId, cursor: syncReceipts.cursor, completedAt: syncReceipts.completedAt })
    .from(sessions)
    .innerJoin(syncReceipts, eq(syncReceipts.sessionId, sessions.id))
    .where(eq(sessions.id, sessionId));
  if (!row) throw new ApiError(404, 'session_not_found', 'Send the session itself first (PUT), then its students.');
  if (row.ownerId !== ownerId) throw otherAccount('session', 'This session');
  return { cursor: row.cursor, complete: row.completedAt !== null };
}

/** Stores the session's header (session, questions, class and roster), refusing what another account owns. */
export async function receiveHeader(
  db: Database,
  sessionId: string,
  ownerId: string,
  body: SessionHeader,
): Promise<Receipt> {
  const ids = body.questions.map((q) => q.data.id);
  const [[session], [cls], [quiz], known] = await db.batch([
    db.select({ ownerId: sessions.ownerId }).from(sessions).where(eq(sessions.id, sessionId)),
    db
      .select({ ownerId: classes.ownerId })
      .from(classes)
      .where(eq(classes.id, body.class?.id ?? '')),
    db
      .select({ ownerId: quizzes.ownerId })
      .from(quizzes)
      .where(eq(quizzes.id, body.quizId ?? '')),
    db.select({ id: questions.id, ownerId: questions.ownerId }).from(questions).where(inArray(questions.id, ids)),
  ]);
  if (session && session.ownerId !== ownerId) throw otherAccount('session', 'This session');
  if (cls && cls.ownerId !== ownerId) throw otherAccount('class', 'This class');
  if (quiz && quiz.ownerId !== ownerId) throw otherAccount('quiz', 'This quiz');
  if (known.some((q) => q.ownerId !== null && q.ownerId !== ownerId))
    throw otherAccount('question', 'A question of this session');
  const now = Date.now();
  const s = body.session;
  const row = {
    ...s,
    status: 'closed' as const,
    ownerId,
    classId: body.class?.id ?? null,
    quizId: quiz ? body.quizId : null,
    // The laptop's teacher link opens nothing here: a key nobody holds.
    teacherKeyHash: await sha256(randomToken(32)),
  };
  const { teacherKeyHash: _key, ...updated } = row;
  const bank = new Set(known.map((q) => q.id));
  const cloudClass = body.class;
  const statements: BatchItem<'sqlite'>[] = [
    // Questions first (answers and the session's list refer to them); one the cloud has is the same
    // question (an edited question that sessions used is kept, retired, and the edit gets a new id).
    ...body.questions
      .filter((q) => !bank.has(q.data.id))
      .map((q) =>
        insertQuestion(
          db,
          q,
          { ownerId: q.origin === 'bank' ? null : ownerId, retired: q.origin === 'bank' || q.retired },
          now,
        ),
      ),
    ...(cloudClass
      ? [
          db
            .insert(classes)
            .values({ id: cloudClass.id, ownerId, name: cloudClass.name, createdAt: cloudClass.createdAt })
            .onConflictDoNothing(),
          // A roster name the cloud's class has under another id stays the cloud's; the seat that
          // picked the laptop's is then stored without one.
          ...cloudClass.roster.map((r) =>
            db
              .insert(rosterEntries)
              .values({ ...r, classId: cloudClass.id })
              .onConflictDoNothing(),
          ),
        ]
      : []),
    db
      .insert(sessions)
      .values({ id: sessionId, ...row })
      .onConflictDoUpdate({ target: sessions.id, set: updated }),
    ...ids.map((questionId, position) =>
      db.insert(sessionQuestions).values({ sessionId, position, questionId }).onConflictDoNothing(),
    ),
    db
      .insert(syncReceipts)
      .values({ sessionId, cursor: null, completedAt: null, updatedAt: now })
      .onConflictDoUpdate({ target: syncReceipts.sessionId, set: { updatedAt: now } }),
  ];
  await batchAll(db, statements);
  return receiptOf(db, sessionId, ownerId);
}

/**
 * Frees the names a page of students (`?1` session, `?2` the page) takes: a name stored under
 * another student of the session (the laptop renamed them, or removed them and a newcomer took the
 * name), and the stored name of a student of the page whose name changed. Their name keys become
 * unique placeholders until their own row arrives, so that the laptop's names land whatever the
 * order of the pages: two students who swapped names would otherwise meet the session's one seat
 * per name half way. The names shown stay as they were.
 */
const FREE_NAMES = `
  UPDATE participants SET nickname_key = char(0) || id
  WHERE session_id = ?1 AND EXISTS (
    SELECT 1 FROM json_each(?2) p
    WHERE (p.value->>'nicknameKey' = participants.nickname_key AND p.value->>'id' <> participants.id)
       OR (p.value->>'id' = participants.id AND p.value->>'nicknameKey' <> participants.nickname_key))`;

/**
 * Frees the roster names a page (`?1` session, `?2` the page) gives its students when another
 * student of the session holds one here (the laptop removed them, and a newcomer picked the name):
 * the one who left keeps their nickname, without the roster name.
 */
const FREE_ROSTER_NAMES = `
  UPDATE participants SET roster_id = NULL
  WHERE session_id = ?1 AND roster_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM json_each(?2) p WHERE p.value->>'rosterId' = participants.roster_id AND p.value->>'id' <> participants.id)`;

/**
 * Upserts a page of students (`?1` session, `?2` the expired-token prefix, `?3` the page as JSON),
 * once {@link FREE_NAMES} and {@link FREE_ROSTER_NAMES} have freed their names: the laptop's
 * names are the true ones.
 */
const STORE_PARTICIPANTS = `
  INSERT INTO participants (id, session_id, nickname, nickname_key, token_hash, joined_at, expires_at,
    position, served_at, score, correct_count, finished_at, question_order, roster_id, network_key, device_key)
  SELECT p.value->>'id', ?1, p.value->>'nickname', p.value->>'nicknameKey', ?2 || (p.value->>'id'),
    p.value->>'joinedAt', p.value->>'expiresAt', p.value->>'position', p.value->>'servedAt',
    p.value->>'score', p.value->>'correctCount', p.value->>'finishedAt',
    CASE WHEN json_type(p.value, '$.questionOrder') = 'array' THEN p.value->'questionOrder' END,
    (SELECT r.id FROM roster_entries r JOIN sessions s ON s.class_id = r.class_id
      WHERE r.id = p.value->>'rosterId' AND s.id = ?1),
    p.value->>'networkKey', p.value->>'deviceKey'
  FROM json_each(?3) p WHERE true
  ON CONFLICT (id) DO UPDATE SET nickname = excluded.nickname, nickname_key = excluded.nickname_key,
    joined_at = excluded.joined_at, expires_at = excluded.expires_at, position = excluded.position,
    served_at = excluded.served_at, score = excluded.score, correct_count = excluded.correct_count,
    finished_at = excluded.finished_at, question_order = excluded.question_order,
    roster_id = excluded.roster_id, network_key = excluded.network_key, device_key = excluded.device_key
  WHERE participants.session_id = excluded.session_id
  ON CONFLICT DO NOTHING`;

/**
 * Upserts their answers (`?1` session, `?2` the page). Only answers of this session's students to
 * this session's questions: anything else would belong to another session (the last step's counts
 * then tell the laptop).
 */
const STORE_ANSWERS = `
  INSERT INTO answers (participant_id, question_id, session_id, position, response, correct, points,
    time_ms, answered_at)
  SELECT p.value->>'id', a.value->>'questionId', ?1, a.value->>'position',
    CASE WHEN json_type(a.value, '$.response') <> 'null' THEN a.value->'response' END,
    a.value->>'correct', a.value->>'points', a.value->>'timeMs', a.value->>'answeredAt'
  FROM json_each(?2) p, json_each(p.value, '$.answers') a
  WHERE EXISTS (SELECT 1 FROM participants x WHERE x.id = p.value->>'id' AND x.session_id = ?1)
    AND EXISTS (SELECT 1 FROM session_questions q WHERE q.session_id = ?1 AND q.question_id = a.value->>'questionId')
  ON CONFLICT (participant_id, question_id) DO UPDATE SET position = excluded.position,
    response = excluded.response, correct = excluded.correct, points = excluded.points,
    time_ms = excluded.time_ms, answered_at = excluded.answered_at
  WHERE answers.session_id = excluded.session_id`;

/**
 * Stores a page of students with their answers: five statements in one batch (all or nothing),
 * each reading the page as JSON, so a page costs the same few statements whatever its size. The
 * cursor moves to the page's last id.
 */
export async function receiveParticipants(
  db: Database,
  sessionId: string,
  ownerId: string,
  page: readonly WireParticipant[],
): Promise<Receipt> {
  await receiptOf(db, sessionId, ownerId);
  const json = JSON.stringify(page);
  const last = page.map((p) => p.id).reduce((a, b) => (b > a ? b : a));
  // Raw D1 statements: drizzle cannot put a raw statement with parameters in a batch.
  const d1 = db.$client;
  await d1.batch([
    d1.prepare(FREE_NAMES).bind(sessionId, json),
    d1.prepare(FREE_ROSTER_NAMES).bind(sessionId, json),
    d1.prepare(STORE_PARTICIPANTS).bind(sessionId, EXPIRED_TOKEN_PREFIX, json),
    d1.prepare(STORE_ANSWERS).bind(sessionId, json),
    d1
      .prepare("UPDATE sync_receipts SET cursor = max(coalesce(cursor, ''), ?2), updated_at = ?3 WHERE session_id = ?1")
      .bind(sessionId, last, Date.now()),
  ]);
  return receiptOf(db, sessionId, ownerId);
}

/** The last step: complete once the cloud holds as many students and answers as the laptop. */
export async function completeSession(
  db: Database,
  sessionId: string,
  ownerId: string,
  expected: { participants: number; answers: number },
): Promise<Receipt> {
  await receiptOf(db, sessionId, ownerId);
  const [counts] = await db.all<{ participants: number; answers: number }>(sql`
    SELECT (SELECT count(*) FROM participants WHERE session_id = ${sessionId}) AS participants,
           (SELECT count(*) FROM answers WHERE session_id = ${sessionId}) AS answers`);
  if (counts!.participants !== expected.participants || counts!.answers !== expected.answers)
    throw new ApiError(
      409,
      'sync_incomplete',
      `The cloud holds ${counts!.participants} students and ${counts!.answers} answers of this session, not ${expected.participants} and ${expected.answers}: send it again.`,
    );
  const now = Date.now();
  await db
    .update(syncReceipts)
    .set({ completedAt: sql`coalesce(${syncReceipts.completedAt}, ${now})`, updatedAt: now })
    .where(eq(syncReceipts.sessionId, sessionId));
  return { cursor: (await receiptOf(db, sessionId, ownerId)).cursor, complete: true };
}
