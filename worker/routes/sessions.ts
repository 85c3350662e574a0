/**
 * Sessions, from the teacher's side: open one (from a quiz, or drawn from the bank), watch it,
 * lock, schedule, close and reopen it, remove or link participants, delete it with all its answers.
 * Managed by the signed-in owner or through the secret teacher link (see lib/session-access).
 */
import { Hono } from 'hono';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import * as z from 'zod';
import {
  answers,
  classes,
  participants,
  questionRelations,
  questions,
  quizQuestions,
  quizzes,
  rosterEntries,
  sessionQuestions,
  sessions,
} from '../../db/schema';
import type { AppEnv, Env } from '../env';
import { clientAddress } from '../lib/client-address';
import { joinCode, randomToken, sha256, shuffle } from '../lib/crypto';
import { database, isUniqueViolation, type Database } from '../lib/db';
import { ApiError } from '../lib/errors';
import { leaderboardQuery, publicEntries, rank } from '../lib/leaderboard';
import { enforce, QUICK_SESSIONS } from '../lib/limits';
import { absentQuery, nicknameWhenUnlinked } from '../lib/roster-seats';
import { allLiveRooms, liveRoom, shardRooms, studentRoom } from '../lib/live-rooms';
import { contestShards } from '../live/contest';
import { changed, settle } from '../lib/play-rooms';
import { managedSession } from '../lib/session-access';
import { sessionInfoColumns, toSessionInfo } from '../lib/session-info';
import { mergeSettings } from '../lib/settings';
import { playableIn } from '../questions/language';
import { currentTeacher, requireTeacher } from '../lib/teacher-auth';
import { nameKey } from '../lib/nicknames';
import { validate } from '../lib/validate';
import { drawApart } from '../questions/relations';
import { answerGrid } from '../reports/answer-grid';
import { createSessionBody, linkRosterBody, patchSessionBody, recordId } from '../requests';
import {
  HOMEWORK_FEEDBACK,
  isHomework,
  isUngraded,
  seatCapacity,
  type CreatedSession,
  type SessionLang,
  type SessionList,
  type TeacherView,
} from '../contract';

/** A teacher's link stays valid this long. */
export const TEACHER_KEY_TTL_MS = 90 * 24 * 3600 * 1000;

const idParam = z.object({ id: recordId });

const participantParam = z.object({ id: recordId, pid: recordId });

/** Splits `items` into runs of at most `size`. */
const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/**
 * The question ids a new session plays: the quiz's, in order, or a random draw from the bank that
 * keeps related questions apart (see ../questions/relations). A session in English leaves out the
 * quiz's questions that have no English (worker/questions/language.ts); the bank's all have it.
 */
async function pickQuestions(
  db: Database,
  body: z.infer<typeof createSessionBody>,
  quizId: string | undefined,
  lang: SessionLang,
): Promise<string[]> {
  if (quizId) {
    const rows = await db
      .select({ id: quizQuestions.questionId, data: questions.data })
      .from(quizQuestions)
      .innerJoin(questions, eq(questions.id, quizQuestions.questionId))
      .where(eq(quizQuestions.quizId, quizId))
      .orderBy(asc(quizQuestions.position));
    if (rows.length === 0) throw new ApiError(400, 'empty_quiz', 'This quiz has no questions yet.');
    // A contest's word cloud would have to merge every shard's answers and hides: not offered.
    if (body.contestPlayers !== undefined && rows.some((r) => r.data.type === 'open'))
      throw new ApiError(
        400,
        'open_in_contest',
        'A contest cannot have open answer (word cloud) questions: remove them from the quiz, or play it as a live game.',
      );
    const playable = rows.filter((r) => playableIn(lang, r.data));
    if (playable.length === 0)
      throw new ApiError(400, 'no_english', 'No question of this quiz has English yet: add it, or play in Chinese.');
    return playable.map((r) => r.id);
  }
  const rows = await db
    .select({ id: questions.id, type: questions.type, topics: questions.topics, difficulty: questions.difficulty })
    .from(questions)
    .where(and(eq(questions.retired, false), sql`${questions.ownerId} IS NULL`));
  const pool = rows.filter(
    (q) =>
      (body.topics.length === 0 || body.topics.some((t) => q.topics.includes(t))) &&
      (body.types.length === 0 || body.types.includes(q.type)) &&
      (body.difficulties.length === 0 || body.difficulties.includes(q.difficulty as 1 | 2 | 3)),
  );
  if (pool.length === 0)
    throw new ApiError(400, 'no_questions', 'No question in the bank matches these topics, types and difficulties.');
  const shuffled = shuffle(pool.map((q) => q.id));
  if (body.count === null || body.count >= pool.length) return shuffled;
  // A draw never holds two related questions (one giving away the other's answer, or both testing
  // the same fact) while unrelated ones are left to take.
  return drawApart(shuffled, body.count, await db.select().from(questionRelations));
}

/** Inserts a session with a join code unique among open sessions, drawing again on the rare clash. */
async function insertWithFreshCode(db: Database, write: (code: string) => Promise<unknown>): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = joinCode();
    try {
      await write(code);
      return code;
    } catch (err) {
      if (!isUniqueViolation(err, 'sessions.code')) throw err;
    }
  }
  throw new ApiError(503, 'no_code', 'Could not find a free join code; please try again.');
}

/**
 * Each seat with how many others its device took (`sameDevice`) and, for devices holding several,
 * a number per device in order of joining (`sharedDevice`), without the device's key. Counted here
 * rather than in SQL: the rows are read anyway, and a correlated count would read the session's
 * seats once per seat.
 */
function withSharedDevices<P extends { deviceKey: string | null }>(seats: P[]) {
  const perDevice = new Map<string, number>();
  for (const { deviceKey } of seats) if (deviceKey) perDevice.set(deviceKey, (perDevice.get(deviceKey) ?? 0) + 1);
  const numbers = new Map<string, number>();
  return seats.map(({ deviceKey, ...seat }) => {
    const sameDevice = deviceKey ? perDevice.get(deviceKey)! - 1 : 0;
    if (!deviceKey || sameDevice === 0) return { ...seat, sameDevice, sharedDevice: null };
    if (!numbers.has(deviceKey)) numbers.set(deviceKey, numbers.size + 1);
    return { ...seat, sameDevice, sharedDevice: numbers.get(deviceKey)! };
  });
}

export const sessionsRoute = new Hono<AppEnv>()
  .post('/', validate('json', createSessionBody), async (c) => {
    const body = c.req.valid('json');
    const db = database(c.env.DB);
    // Signed in, the session is the teacher's own (and may use their quizzes and classes); signed
    // out, it is managed through its secret link alone.
    const owner = await currentTeacher(c);
    if ((body.quizId || body.classId) && !owner)
      throw new ApiError(401, 'signed_out', 'Sign in to open a session from a quiz or for a class.');
    // Without an account, a session costs nothing to ask for: limited per address.
    if (!owner) await enforce(c, QUICK_SESSIONS, [clientAddress(c)]);
    const quiz = body.quizId
      ? await db.query.quizzes.findFirst({ where: and(eq(quizzes.id, body.quizId), eq(quizzes.ownerId, owner!.id)) })
      : undefined;
    if (body.quizId && !quiz) throw new ApiError(404, 'quiz_not_found', 'There is no such quiz.');
    if (
      body.classId &&
      !(await db.query.classes.findFirst({ where: and(eq(classes.id, body.classId), eq(classes.ownerId, owner!.id)) }))
    )
      throw new ApiError(404, 'class_not_found', 'There is no such class.');
    const settings = mergeSettings(
      quiz?.settings ?? {},
      isHomework(body.mode, body.closesAt) ? { feedback: HOMEWORK_FEEDBACK } : {},
      body,
    );
    const picked = await pickQuestions(db, body, quiz?.id, settings.lang);

    const sessionId = randomToken(12);
    const teacherKey = randomToken(32);
    const now = Date.now();
    const keyHash = await sha256(teacherKey);
    const code = await insertWithFreshCode(db, (code) =>
      db.batch([
        db.insert(sessions).values({
          id: sessionId,
          code,
          title: body.title,
          mode: body.mode,
          ...settings,
          ownerId: owner?.id ?? null,
          classId: body.classId ?? null,
          quizId: quiz?.id ?? null,
          opensAt: body.opensAt,
          closesAt: body.closesAt,
          maxPlayers: body.contestPlayers ?? body.maxPlayers,
          shards: body.contestPlayers === undefined ? 1 : contestShards(body.contestPlayers),
          teams: body.teams,
          seatsPerNetwork: body.seatsPerNetwork,
          allowGuests: body.allowGuests,
          idSalt: randomToken(16),
          teacherKeyHash: keyHash,
          teacherKeyExpiresAt: now + TEACHER_KEY_TTL_MS,
          createdAt: now,
        }),
        // D1 binds at most 100 parameters per statement: 3 per row, so 33 rows per insert.
        ...chunks(picked, 33).map((ids, chunk) =>
          db
            .insert(sessionQuestions)
            .values(ids.map((questionId, i) => ({ sessionId, position: chunk * 33 + i, questionId }))),
        ),
      ]),
    );
    const created: CreatedSession = {
      ...toSessionInfo(
        {
          code,
          title: body.title,
          status: 'open',
          mode: body.mode,
          ...settings,
          locked: false,
          opensAt: body.opensAt,
          closesAt: body.closesAt,
          questionCount: picked.length,
        },
        now,
      ),
      id: sessionId,
      teacherKey,
      teacherPath: `/teach/${sessionId}#key=${teacherKey}`,
      joinPath: `/join/${code}`,
    };
    return c.json(created, 201);
  })
  .get('/', requireTeacher, async (c) => {
    const db = database(c.env.DB);
    const rows = await db
      .select({
        id: sessions.id,
        createdAt: sessions.createdAt,
        classId: sessions.classId,
        className: classes.name,
        quizId: sessions.quizId,
        participants: sql<number>`(SELECT count(*) FROM ${participants} WHERE ${participants.sessionId} = ${sessions.id})`,
        ...sessionInfoColumns,
      })
      .from(sessions)
      .leftJoin(classes, eq(classes.id, sessions.classId))
      .where(eq(sessions.ownerId, c.get('teacher').id))
      .orderBy(desc(sessions.createdAt))
      .limit(200);
    const now = Date.now();
    const body: SessionList = {
      sessions: rows.map((r) => ({
        ...toSessionInfo(r, now),
        id: r.id,
        createdAt: r.createdAt,
        classId: r.classId,
        className: r.className,
        quizId: r.quizId,
        participants: r.participants,
      })),
    };
    return c.json(body);
  })
  .get('/:id', validate('param', idParam), async (c) => {
    const db = database(c.env.DB);
    const session = await managedSession(c, c.req.valid('param').id);
    await settle(c.env, session);
    const [perQuestion, board, people, recent, given, absent] = await db.batch([
      db
        .select({
          position: sessionQuestions.position,
          data: questions.data,
          answered: sql<number>`count(${answers.participantId})`,
          correct: sql<number>`coalesce(sum(${answers.correct}), 0)`,
        })
        .from(sessionQuestions)
        .innerJoin(questions, eq(questions.id, sessionQuestions.questionId))
        .leftJoin(
          answers,
          and(eq(answers.sessionId, sessionQuestions.sessionId), eq(answers.questionId, sessionQuestions.questionId)),
        )
        .where(eq(sessionQuestions.sessionId, session.id))
        .groupBy(sessionQuestions.position)
        .orderBy(sessionQuestions.position),
      leaderboardQuery(db, session.id),
      db
        .select({
          id: participants.id,
          nickname: participants.nickname,
          rosterId: participants.rosterId,
          joinedAt: participants.joinedAt,
          answered: participants.position,
          score: participants.score,
          finishedAt: participants.finishedAt,
          deviceKey: participants.deviceKey,
        })
        .from(participants)
        .where(eq(participants.sessionId, session.id))
        .orderBy(asc(participants.joinedAt)),
      db
        .select({
          nickname: participants.nickname,
          position: answers.position,
          correct: answers.correct,
          points: answers.points,
          timeMs: answers.timeMs,
          answeredAt: answers.answeredAt,
        })
        .from(answers)
        .innerJoin(participants, eq(participants.id, answers.participantId))
        .where(eq(answers.sessionId, session.id))
        .orderBy(desc(answers.answeredAt))
        .limit(20),
      db
        .select({
          participantId: answers.participantId,
          questionId: answers.questionId,
          correct: answers.correct,
          blank: sql<boolean>`${answers.response} IS NULL`.mapWith(Boolean),
        })
        .from(answers)
        .where(eq(answers.sessionId, session.id)),
      // Without a class no roster name matches the empty class id.
      absentQuery(db, session.id, session.classId ?? ''),
    ]);
    const blanks = new Map<string, number>();
    for (const a of given) if (a.blank) blanks.set(a.participantId, (blanks.get(a.participantId) ?? 0) + 1);
    const view: TeacherView = {
      session: {
        ...toSessionInfo({ ...session, questionCount: perQuestion.length }),
        id: session.id,
        createdAt: session.createdAt,
        closedAt: session.closedAt,
        classId: session.classId,
        quizId: session.quizId,
        shuffleQuestions: session.shuffleQuestions,
        shuffleOptions: session.shuffleOptions,
        partialCredit: session.partialCredit,
        maxPlayers: session.maxPlayers,
        seatsPerNetwork: session.seatsPerNetwork,
        allowGuests: session.allowGuests,
        shards: session.shards,
        teams: session.teams,
      },
      questions: perQuestion.map((q) => ({
        position: q.position,
        id: q.data.id,
        type: q.data.type,
        stem: q.data.stem,
        answered: q.answered,
        correct: q.correct,
      })),
      leaderboard: publicEntries(rank(board)),
      participants: withSharedDevices(people).map(({ finishedAt, ...p }) => ({
        ...p,
        finished: finishedAt !== null,
        // From the answers the grid reads anyway, rather than a count per seat in SQL.
        blankAnswers: blanks.get(p.id) ?? 0,
      })),
      // By question id: with shuffled questions an answer's stored position is the student's own.
      grid: answerGrid(
        perQuestion.map((q) => q.data.id),
        people.map((p) => p.id),
        given,
        new Set(perQuestion.filter((q) => isUngraded(q.data.type)).map((q) => q.data.id)),
      ),
      absent,
      recent,
    };
    c.header('Cache-Control', 'no-store');
    return c.json(view);
  })
  .patch('/:id', validate('param', idParam), validate('json', patchSessionBody), async (c) => {
    const session = await managedSession(c, c.req.valid('param').id);
    const body = c.req.valid('json');
    const opensAt = body.opensAt === undefined ? session.opensAt : body.opensAt;
    const closesAt = body.closesAt === undefined ? session.closesAt : body.closesAt;
    if (opensAt !== null && closesAt !== null && closesAt <= opensAt)
      throw new ApiError(400, 'invalid_json', 'closesAt: The closing time must come after the opening time.');
    if (body.maxPlayers !== undefined && body.maxPlayers > seatCapacity(session.shards))
      throw new ApiError(
        400,
        'invalid_json',
        `maxPlayers: This session takes at most ${seatCapacity(session.shards)} students.`,
      );
    const [updated] = await database(c.env.DB).update(sessions).set(body).where(eq(sessions.id, session.id)).returning({
      title: sessions.title,
      locked: sessions.locked,
      opensAt: sessions.opensAt,
      closesAt: sessions.closesAt,
      showLeaderboard: sessions.showLeaderboard,
      maxPlayers: sessions.maxPlayers,
      seatsPerNetwork: sessions.seatsPerNetwork,
      allowGuests: sessions.allowGuests,
    });
    await changed(c.env, session);
    return c.json({ id: session.id, ...updated! });
  })
  .post('/:id/close', validate('param', idParam), async (c) => {
    const session = await managedSession(c, c.req.valid('param').id);
    // A live game ends first, its results in D1, every screen told; then its room takes nothing more.
    // A contest's coordinator ends the game on every shard first; then each shard closes.
    if (session.mode === 'live') {
      await liveRoom(c.env, session).closeSession();
      await Promise.all(shardRooms(c.env, session).map((room) => room.closeSession()));
    }
    const closedAt = session.closedAt ?? Date.now();
    await database(c.env.DB).update(sessions).set({ status: 'closed', closedAt }).where(eq(sessions.id, session.id));
    await changed(c.env, session);
    return c.json({ id: session.id, status: 'closed' as const, closedAt });
  })
  .post('/:id/reopen', validate('param', idParam), async (c) => {
    const session = await managedSession(c, c.req.valid('param').id);
    if (session.status === 'open') return c.json({ id: session.id, status: 'open' as const, code: session.code });
    const db = database(c.env.DB);
    // Its code may have gone to another open session meanwhile: keep it if free, else draw a new one.
    const reopen = (code: string) =>
      db
        .update(sessions)
        .set({ status: 'open', closedAt: null, code, closesAt: null })
        .where(eq(sessions.id, session.id));
    let code = session.code;
    try {
      await reopen(code);
    } catch (err) {
      if (!isUniqueViolation(err, 'sessions.code')) throw err;
      code = await insertWithFreshCode(db, reopen);
    }
    // A live game stays over (its results are in D1): its screens may connect again to the podium.
    if (session.mode === 'live') await Promise.all(allLiveRooms(c.env, session).map((room) => room.reopenSession()));
    await changed(c.env, session);
    return c.json({ id: session.id, status: 'open' as const, code });
  })
  .delete('/:id', validate('param', idParam), async (c) => {
    const session = await managedSession(c, c.req.valid('param').id);
    // The live room first: it closes every screen, empties its storage and writes nothing to D1 after.
    if (session.mode === 'live') await Promise.all(allLiveRooms(c.env, session).map((room) => room.deleteSession()));
    // Participants, answers and the question list go with it (ON DELETE CASCADE).
    await database(c.env.DB).delete(sessions).where(eq(sessions.id, session.id));
    await changed(c.env, session);
    return c.body(null, 204);
  })
  .delete('/:id/participants/:pid', validate('param', participantParam), async (c) => {
    const { id: sessionId, pid } = c.req.valid('param');
    const session = await managedSession(c, sessionId);
    // A seat taken a moment ago may still be on its way to D1.
    await settle(c.env, session);
    // In a live game the room drops them too (closing their socket), so they leave the running game;
    // it deletes their row in D1 itself, so that the delete below may find nothing left.
    const kicked = session.mode === 'live' && (await studentRoom(c.env, session, pid).removeStudent(pid));
    // The student's answers go with them (ON DELETE CASCADE); their token stops working.
    const gone = await database(c.env.DB)
      .delete(participants)
      .where(and(eq(participants.id, pid), eq(participants.sessionId, sessionId)))
      .returning({ id: participants.id });
    if (gone.length === 0 && !kicked)
      throw new ApiError(404, 'participant_not_found', 'No such student in this session.');
    await changed(c.env, session);
    return c.body(null, 204);
  })
  // Seats that never answered (bots, or a device that joined twice), removed in one action: the
  // teacher does this once the class is answering, and may lock the session against more.
  .delete(
    '/:id/participants',
    validate('param', idParam),
    validate('query', z.object({ answered: z.literal('none') })),
    async (c) => {
      const session = await managedSession(c, c.req.valid('param').id);
      const live = session.mode === 'live';
      // Seats and answers still on their way to D1 count: the play room copies them first, the live rooms know their answers.
      await settle(c.env, session);
      const keep = live ? (await Promise.all(allLiveRooms(c.env, session).map((room) => room.answering()))).flat() : [];
      const gone = await database(c.env.DB)
        .delete(participants)
        .where(
          and(
            eq(participants.sessionId, session.id),
            sql`${participants.id} NOT IN (SELECT value FROM json_each(${JSON.stringify(keep)}))`,
            sql`NOT EXISTS (SELECT 1 FROM ${answers} WHERE ${answers.participantId} = ${participants.id} AND ${answers.response} IS NOT NULL)`,
          ),
        )
        .returning({ id: participants.id });
      if (live) for (const { id } of gone) await studentRoom(c.env, session, id).removeStudent(id);
      await changed(c.env, session);
      return c.json({ removed: gone.length });
    },
  )
  .put(
    '/:id/participants/:pid/roster',
    validate('param', participantParam),
    validate('json', linkRosterBody),
    async (c) => {
      const { id: sessionId, pid } = c.req.valid('param');
      const session = await managedSession(c, sessionId);
      const { rosterId } = c.req.valid('json');
      const db = database(c.env.DB);
      // The seat, and the seats that may hold the name, as the room has them.
      await settle(c.env, session);
      const [seat] = await db
        .select({
          sessionId: participants.sessionId,
          nickname: participants.nickname,
          nicknameKey: participants.nicknameKey,
          rosterName: rosterEntries.name,
        })
        .from(participants)
        .leftJoin(rosterEntries, eq(rosterEntries.id, participants.rosterId))
        .where(and(eq(participants.id, pid), eq(participants.sessionId, sessionId)));
      if (!seat) throw new ApiError(404, 'participant_not_found', 'No such student in this session.');
      if (rosterId !== null) {
        const entry = session.classId
          ? await db.query.rosterEntries.findFirst({
              where: and(eq(rosterEntries.id, rosterId), eq(rosterEntries.classId, session.classId)),
            })
          : undefined;
        if (!entry)
          throw new ApiError(404, 'roster_entry_not_found', "That name is not on this session's class roster.");
      }
      // Unlinked, a seat called by the name gives the name up too: another device can then pick it.
      const renamed = rosterId === null ? await nicknameWhenUnlinked(db, seat) : null;
      try {
        await db
          .update(participants)
          .set({ rosterId, ...(renamed === null ? {} : { nickname: renamed, nicknameKey: nameKey(renamed) }) })
          .where(and(eq(participants.id, pid), eq(participants.sessionId, sessionId)));
      } catch (err) {
        if (isUniqueViolation(err, 'participants.roster_id'))
          throw new ApiError(
            409,
            'name_taken',
            'Another student of this session has that name: unlink or remove them first.',
          );
        throw err;
      }
      // The room decides the next joins by names and roster names: it reads them again.
      await changed(c.env, session);
      return c.json({ id: pid, rosterId, nickname: renamed ?? seat.nickname });
    },
  );
