/**
 * The session's room, one Durable Object per session (named by its id): D1 off the student's hot
 * path. It takes every session's joins (self-paced and live), and plays self-paced sessions.
 *
 * The room holds the session's facts, roster, questions, seats and their answers in memory, loaded
 * from D1 in one round trip when it wakes. A join is decided from memory (../lib/seats: names,
 * roster names, the caps), and every student request (the current question, an answer, the
 * review, the leaderboard, a live game's ticket) is answered from memory: the clock starts and
 * answers are scored here, on the server. A change is written to the room's own SQLite storage
 * before the reply leaves (the runtime's output gate holds the reply until that write is durable),
 * so an acknowledged seat or answer survives a crash; it is then copied to D1 in the background,
 * many per round trip when many arrive together (group commit), with an alarm as the safety net.
 * D1 stays the record the teacher's screens, reports and exports read: those routes ask the room
 * to {@link PlayRoom.flush} first, and routes that change a session in D1 ask it to
 * {@link PlayRoom.reload}. A live game itself is its live room's (./live-room), which has this
 * room copy the seats before it writes results.
 *
 * Why: a D1 round trip costs more than a whole trivial request (see bench/); a join needed two and
 * the answer route two; from the room they need none.
 */
import { DurableObject } from 'cloudflare:workers';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { asc, eq } from 'drizzle-orm';
import { answers, participants, questions, rosterEntries, sessionQuestions, sessions, users } from '../../db/schema';
import type { Env } from '../env';
import { newStudentToken, PARTICIPANT_TOKEN_TTL_MS } from '../lib/auth';
import { keyedHash, randomToken, sha256, shuffle } from '../lib/crypto';
import { database, type Database } from '../lib/db';
import { ApiError } from '../lib/errors';
import { SeatBook, type SeatRules } from '../lib/seats';
import { publicEntries, rank, type LeaderboardRow } from '../lib/leaderboard';
import { effectiveStatus, sessionInfoColumns, toSessionInfo } from '../lib/session-info';
import { INSERT_ANSWERS, chunks } from '../live/d1-sync';
import { reveal, toStudent } from '../questions/present';
import { storedResponse, grade, pointsFor } from '../questions/scoring';
import { SessionIds } from '../questions/session-ids';
import { migrate, migrateOnStart, type Migrations } from './storage-migrations';
import {
  studentLimitMs,
  type AnswerResult,
  type CodeLookup,
  type ErrorCode,
  type Joined,
  type LiveTicket,
  type Leaderboard,
  type PlayState,
  type PracticeResult,
  type Question,
  type Review,
  type SessionInfo,
  type Verdict,
} from '../contract';
import { roomName, shardOf } from '../live/contest';
import { liveMeta, type LiveIdentity } from '../live/identity';
import { joinOrigin } from '../lib/classroom';
import { joinLine } from '../lib/join-line';

/** A response body as JSON text, typed by what it encodes: the room serialises it once, the Worker sends it as is. */
export type Json<T> = string & { readonly __encodes?: T };
/** What a room method answers: the response body, or the API error the Worker turns into a 4xx. */
export type Outcome<T> =
  | { ok: true; json: Json<T> }
  | { ok: false; status: ContentfulStatusCode; code: ErrorCode; message: string };

/** The session's facts are read again from D1 after this long (catches changes no route announced, e.g. an account deleted). */
const FACTS_TTL_MS = 60_000;
/**
 * Changes wait this long before they go to D1 together (they are already durable in the room's
 * storage, and every teacher read has the room copy first): a class answering at 100 a second
 * needs 4 D1 round trips a second instead of 100.
 */
const COPY_AFTER_MS = 250;
/** Rows per copy (each kind), far below D1's limits on a statement's parameters. */
const COPY_BATCH = 1000;
/** The alarm that copies to D1 whatever a crash or a failed write left behind. */
const RETRY_MS = 5_000;

/** The room's own tables: what waits to be copied to D1 (see `./storage-migrations.ts`). */
const PLAY_STORAGE: Migrations = [
  `CREATE TABLE IF NOT EXISTS pending_answers (
     participant_id TEXT NOT NULL, question_id TEXT NOT NULL, row TEXT NOT NULL,
     PRIMARY KEY (participant_id, question_id));
   CREATE TABLE IF NOT EXISTS pending_progress (id TEXT PRIMARY KEY, row TEXT NOT NULL, version INTEGER NOT NULL);`,
  // The room's own session id: an alarm wakes the object without its name (ctx.id.name is then undefined).
  `CREATE TABLE IF NOT EXISTS room (k TEXT PRIMARY KEY, v TEXT NOT NULL);`,
  // Seats taken here, as their D1 rows, until D1 has them.
  `CREATE TABLE IF NOT EXISTS pending_participants (id TEXT PRIMARY KEY, row TEXT NOT NULL);`,
];

type Facts = Omit<SessionInfo, 'status' | 'questionCount'> &
  SeatRules & {
    id: string;
    status: 'open' | 'closed';
    shuffleOptions: boolean;
    shuffleQuestions: boolean;
    partialCredit: boolean;
    idSalt: string;
    /** Live team mode: teams the students are placed in (by the live room); 0 when none. */
    teams: number;
    /** By session position. */
    questions: Question[];
    /** By bank id: the room keeps bank ids, as D1 does; students only ever see {@link Facts.ids}. */
    byId: Map<string, Question>;
    ids: SessionIds;
    /** What {@link Facts.ids} were built from: the salt and every question's, option's and target's bank id. */
    idsFrom: string;
    loadedAt: number;
  };

interface StoredAnswer {
  questionId: string;
  position: number;
  response: unknown;
  correct: boolean;
  points: number;
  timeMs: number;
  answeredAt: number;
}

/** A participant as the room keeps them; the progress fields are the ones copied to D1. */
interface Player {
  id: string;
  tokenHash: string;
  nickname: string;
  nicknameKey: string;
  rosterId: string | null;
  networkKey: string | null;
  joinedAt: number;
  expiresAt: number;
  order: number[] | null;
  position: number;
  servedAt: number | null;
  score: number;
  correctCount: number;
  finishedAt: number | null;
  /** Extra time from the roster name the seat is linked to (see `studentLimitMs`). */
  timeFactor: number;
  answers: Map<string, StoredAnswer>;
}

type Progress = Pick<Player, 'position' | 'servedAt' | 'score' | 'correctCount' | 'finishedAt'>;

interface Loaded {
  facts: Facts;
  players: Map<string, Player>;
  byId: Map<string, Player>;
  /** Every seat of the session, for the next join to be checked against. */
  seats: SeatBook;
  /** Leaderboard order, kept until a score changes. */
  ranked: ReturnType<typeof rank> | null;
}

const unauthorized = () =>
  new ApiError(401, 'unauthorized', 'This device is not in a quiz any more. Join again with the code.');
const unknownCode = () =>
  new ApiError(404, 'unknown_code', 'We could not find a quiz with that code. Check the code with your teacher.');

/** A join as the Worker passes it on: the code as typed (normalised), the student's choice, their address. */
export interface JoinInput {
  code: string;
  nickname?: string | undefined;
  rosterId?: string | undefined;
  device?: string | undefined;
  /** Kept only as a hash keyed by the session's secret, for the seats per network. */
  address: string;
}

/** A participant's row in D1, as the room stores it until D1 has it. */
type ParticipantRow = Pick<
  typeof participants.$inferSelect,
  | 'id'
  | 'nickname'
  | 'nicknameKey'
  | 'tokenHash'
  | 'joinedAt'
  | 'expiresAt'
  | 'questionOrder'
  | 'networkKey'
  | 'deviceKey'
  | 'rosterId'
>;

/**
 * True while the verdicts (and with them scores and answers) are held back: feedback at the end
 * and the student not finished, or feedback when the session closes and it is still open.
 */
const holdBack = (facts: Facts, p: Player, now: number) =>
  facts.feedback === 'end'
    ? p.finishedAt === null
    : facts.feedback === 'closed' && effectiveStatus(facts, now) !== 'closed';

const me = (facts: Facts, p: Player, now: number): PlayState['me'] => ({
  nickname: p.nickname,
  score: holdBack(facts, p, now) ? null : p.score,
  answered: p.position,
  finished: p.finishedAt !== null,
});

/** The answer and its proof, in the session's ids. */
const revealed = (facts: Facts, q: Question) => facts.ids.reveal(q, reveal(q));

const verdictOf = (facts: Facts, a: StoredAnswer, q: Question, limitMs: number): Verdict => ({
  correct: a.correct,
  late: limitMs > 0 && a.timeMs > limitMs,
  points: a.points,
  timeMs: a.timeMs,
  reveal: revealed(facts, q),
});

/** `q` as student `p` sees it: in their order, with the session's ids. */
const shown = (facts: Facts, p: Player, q: Question) =>
  facts.ids.student(toStudent(q, p.id, { shuffleOptions: facts.shuffleOptions }));

/** Score first, then the earlier finish (unfinished last), then the earlier join: the order of the `participants_leaderboard` index. */
const byStanding = (a: Player, b: Player) =>
  b.score - a.score ||
  (a.finishedAt ?? Number.MAX_SAFE_INTEGER) - (b.finishedAt ?? Number.MAX_SAFE_INTEGER) ||
  a.joinedAt - b.joinedAt;

const toRow = (p: Player, mine: boolean): LeaderboardRow => ({
  id: p.id,
  nickname: p.nickname,
  score: p.score,
  correct: p.correctCount,
  answered: p.position,
  finishedAt: p.finishedAt,
  mine: mine ? 1 : 0,
});

// Progress rows from the room to D1, as absolute values (repeating a copy is harmless).
// The unary `+` keeps SQLite on the primary key (see ../live/d1-sync.ts).
const UPDATE_PROGRESS = `UPDATE participants
SET position = json_extract(j.value, '$.position'), served_at = json_extract(j.value, '$.servedAt'), score = json_extract(j.value, '$.score'),
    correct_count = json_extract(j.value, '$.correctCount'), finished_at = json_extract(j.value, '$.finishedAt')
FROM json_each(?2) AS j
WHERE participants.id = json_extract(j.value, '$.id') AND +participants.session_id = ?1`;

// New seats from the room to D1. A roster name the teacher gave another seat meanwhile (in D1,
// not yet told to the room) is left off rather than failing the whole copy; the seats of a session
// deleted meanwhile are dropped (as its answers are), not retried for ever.
const INSERT_PARTICIPANTS = `INSERT INTO participants (id, session_id, nickname, nickname_key, token_hash, joined_at, expires_at, question_order, network_key, device_key, roster_id)
SELECT json_extract(j.value, '$.id'), ?1, json_extract(j.value, '$.nickname'), json_extract(j.value, '$.nicknameKey'),
  json_extract(j.value, '$.tokenHash'), json_extract(j.value, '$.joinedAt'), json_extract(j.value, '$.expiresAt'),
  json_extract(j.value, '$.questionOrder'), json_extract(j.value, '$.networkKey'), json_extract(j.value, '$.deviceKey'),
  CASE WHEN EXISTS (SELECT 1 FROM participants p WHERE p.session_id = ?1 AND p.roster_id = json_extract(j.value, '$.rosterId'))
    THEN NULL ELSE json_extract(j.value, '$.rosterId') END
FROM json_each(?2) AS j
WHERE EXISTS (SELECT 1 FROM sessions WHERE id = ?1)
ON CONFLICT (id) DO NOTHING`;

/** Participants with the extra time of the roster name each is linked to (for the caller's `where`). */
const seated = (db: Database) =>
  db
    .select({ row: participants, timeFactor: rosterEntries.timeFactor })
    .from(participants)
    .leftJoin(rosterEntries, eq(rosterEntries.id, participants.rosterId));
type Seat = Awaited<ReturnType<typeof seated>>[number];

/** The session's facts and its questions in order (two queries, sent in the caller's batch). */
const factsQueries = (db: Database, id: string) =>
  [
    db
      .select({
        ...sessionInfoColumns,
        id: sessions.id,
        partialCredit: sessions.partialCredit,
        idSalt: sessions.idSalt,
        shuffleQuestions: sessions.shuffleQuestions,
        maxPlayers: sessions.maxPlayers,
        shards: sessions.shards,
        teams: sessions.teams,
        seatsPerNetwork: sessions.seatsPerNetwork,
        allowGuests: sessions.allowGuests,
        blockedWords: users.blockedWords,
      })
      .from(sessions)
      .leftJoin(users, eq(users.id, sessions.ownerId))
      .where(eq(sessions.id, id)),
    db
      .select({ data: questions.data })
      .from(sessionQuestions)
      .innerJoin(questions, eq(questions.id, sessionQuestions.questionId))
      .where(eq(sessionQuestions.sessionId, id))
      .orderBy(asc(sessionQuestions.position)),
    db
      .select({ id: rosterEntries.id, name: rosterEntries.name, timeFactor: rosterEntries.timeFactor })
      .from(rosterEntries)
      .innerJoin(sessions, eq(sessions.classId, rosterEntries.classId))
      .where(eq(sessions.id, id))
      .orderBy(asc(rosterEntries.name)),
  ] as const;
type FactsRows = Awaited<ReturnType<typeof factsQueries>[0]>;
type RosterRows = Awaited<ReturnType<typeof factsQueries>[2]>;

/** Runs `work`: its result as JSON, or the API error it threw, never an exception. */
async function outcome<T>(work: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, json: JSON.stringify(await work()) };
  } catch (err) {
    if (err instanceof ApiError) return { ok: false, status: err.status, code: err.code, message: err.message };
    throw err;
  }
}

/** A live ticket as the API answers it. */
export const liveTicketOf = (ticket: string, expiresInSec: number): LiveTicket => ({
  ticket,
  url: `/api/live?ticket=${encodeURIComponent(ticket)}`,
  expiresInSec,
});

/** The room of one session (named by the session id): its seats, and self-paced play. */
export class PlayRoom extends DurableObject<Env> {
  /** The D1 binding the room reads and writes (a field, so that tests can count its round trips). */
  d1: D1Database;
  private held: Loaded | null = null;
  /** Loads and D1 copies run one at a time: a load must never read D1 between a copy and its bookkeeping. */
  private d1Queue: Promise<unknown> = Promise.resolve();
  private loading: Promise<Loaded | null> | null = null;
  private copying: Promise<void> | null = null;
  private version = 0;
  private alarmSet = false;
  private copyTimer: ReturnType<typeof setTimeout> | null = null;
  private tables = false;
  /** Address → its network key in this session: a class joins from one address, an HMAC worth computing once. */
  private readonly networkKeys = new Map<string, Promise<string>>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.d1 = env.DB;
    // Rows waiting for D1 are read in their table's current shape; a room that never wrote stays empty.
    migrateOnStart(ctx, PLAY_STORAGE, { onlyIfUsed: true });
  }

  // Joining ---------------------------------------------------------------------------------

  /** `GET /api/codes/:code`: the session's public facts, and the roster to pick from while it takes students. */
  lookup(code: string): Promise<Outcome<CodeLookup>> {
    return outcome(async () => {
      const loaded = await this.loaded();
      if (!loaded || loaded.facts.code !== code) throw unknownCode();
      const { facts, seats } = loaded;
      const info = this.info(facts, Date.now());
      // Only while students can join: a closed session's code may come back, its names should not.
      const roster =
        info.status === 'open' && facts.roster.length > 0
          ? { names: seats.roster(facts), allowGuests: facts.allowGuests }
          : null;
      return { ...info, roster };
    });
  }

  /**
   * `POST /api/codes/:code/participants`: a seat for the student, decided from memory and stored
   * here before the reply leaves (D1 gets it with the next copy). In a live session the reply
   * carries the ticket for the game's socket.
   */
  join(input: JoinInput): Promise<Outcome<Joined>> {
    return outcome(async () => {
      const first = await this.loaded();
      if (!first || first.facts.code !== input.code) throw unknownCode();
      const status = effectiveStatus(first.facts, Date.now());
      if (status === 'closed')
        throw new ApiError(410, 'session_closed', 'This quiz has ended. Ask your teacher for a new code.');
      if (status === 'scheduled')
        throw new ApiError(409, 'not_open_yet', 'This quiz has not started yet. Try again when your teacher says so.');
      if (first.facts.locked)
        throw new ApiError(409, 'session_locked', 'The teacher has locked this quiz: no one new can join right now.');
      // The hashes first: from the seat's decision to its storing nothing awaits, so joins at the same moment cannot both take a name.
      const { idSalt, id: sessionId } = first.facts;
      const token = newStudentToken(sessionId);
      // Stored only as keyed by the session's secret: never the address itself, and not comparable across sessions.
      const [tokenHash, networkKey, deviceKey] = await Promise.all([
        sha256(token),
        this.networkKey(idSalt, input.address),
        input.device === undefined ? null : keyedHash(idSalt, `device:${input.device}`),
      ]);
      const loaded = (await this.loaded()) ?? first;
      const { facts } = loaded;
      const name = loaded.seats.take(facts, input, networkKey);
      const now = Date.now();
      const row: ParticipantRow = {
        id: loaded.seats.newId(() => randomToken(12)),
        ...name,
        tokenHash,
        joinedAt: now,
        expiresAt: now + PARTICIPANT_TOKEN_TTL_MS,
        // With shuffled questions each student gets an order of their own, fixed at joining.
        questionOrder: facts.shuffleQuestions ? shuffle(facts.questions.map((_, i) => i)) : null,
        networkKey,
        deviceKey,
      };
      this.ensureTables();
      this.ctx.storage.sql.exec(
        'INSERT INTO pending_participants (id, row) VALUES (?, ?)',
        row.id,
        JSON.stringify(row),
      );
      const p = this.adopt(loaded, this.newSeat(facts, row), []);
      this.armAlarm();
      this.copySoon();
      if (joinOrigin(this.env)) console.log(joinLine(facts.code, p.nickname, loaded.seats.size));
      const joined: Joined = { token, nickname: p.nickname, expiresAt: p.expiresAt, session: this.info(facts, now) };
      // The seat is taken whatever the live room says: without a ticket here, the phone asks for one.
      if (facts.mode === 'live')
        try {
          joined.live = await this.liveTicketFor(facts, p);
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
        }
      return joined;
    });
  }

  /**
   * `POST /api/play/live/ticket`: a ticket for the live game's socket, for the student whose token
   * has this hash. A closed session's room decides (a game that ended by itself shows its podium).
   */
  liveTicket(hash: string): Promise<Outcome<LiveTicket>> {
    return outcome(async () => {
      const { loaded, p } = await this.student(hash);
      return this.liveTicketFor(loaded.facts, p);
    });
  }

  /**
   * Asks the session's live room for a single-use ticket for this student (the checks of
   * {@link liveMeta}: a live session, not scheduled; a closed one is the live room's to decide).
   */
  private async liveTicketFor(facts: Facts, p: Player): Promise<LiveTicket> {
    const { meta, closed } = liveMeta(facts, facts.questions.length);
    // In a contest, the student's own shard: found by hashing their id, with no one to ask.
    const shard = meta.shards > 1 ? shardOf(p.id, meta.shards) : null;
    const session = { ...meta, shard };
    const identity: LiveIdentity = { role: 'player', participantId: p.id, nickname: p.nickname, session };
    const room = this.env.LIVE_ROOM.get(this.env.LIVE_ROOM.idFromName(roomName(facts.id, shard)));
    const issued = await room.issueTicket(identity, closed);
    if (!issued.ok) throw new ApiError(issued.status, issued.code, issued.message);
    return liveTicketOf(issued.ticket, issued.expiresInSec);
  }

  // Student requests ------------------------------------------------------------------------

  /** The student's state and current question; starts the question's clock the first time it is served. */
  state(hash: string): Promise<Outcome<PlayState>> {
    return this.answering(hash, ({ facts }, p, now) => {
      const playable = effectiveStatus(facts, now) === 'open' && p.finishedAt === null && p.expiresAt > now;
      const question = this.current(facts, p);
      if (playable && question && p.servedAt === null) {
        p.servedAt = now;
        this.save(p);
      }
      const limitMs = studentLimitMs(facts.timeLimitSec, p.timeFactor);
      return {
        session: this.info(facts, now),
        me: me(facts, p, now),
        current:
          playable && question && p.servedAt !== null
            ? {
                position: p.position,
                question: shown(facts, p, question),
                limitMs,
                remainingMs: limitMs > 0 ? Math.max(0, p.servedAt + limitMs - now) : null,
              }
            : null,
      };
    });
  }

  /** Scores an answer to the student's current question, once; a repeat gets the first result back. */
  answer(hash: string, questionId: string, response: unknown): Promise<Outcome<AnswerResult>> {
    return this.answering(hash, (loaded, p, now) => {
      const { facts } = loaded;
      const limitMs = studentLimitMs(facts.timeLimitSec, p.timeFactor);
      const result = (a: StoredAnswer, q: Question, repeated: boolean): AnswerResult => ({
        questionId,
        repeated,
        verdict: holdBack(facts, p, now) ? null : verdictOf(facts, a, q, limitMs),
        me: me(facts, p, now),
      });
      // Undefined for an id this session never gave out: no such answer, and not the current question.
      const bankId = facts.ids.bankId(questionId);
      const previous = bankId === undefined ? undefined : p.answers.get(bankId);
      const previousQuestion = previous && facts.byId.get(previous.questionId);
      if (previous && previousQuestion) return result(previous, previousQuestion, true);

      const status = effectiveStatus(facts, now);
      if (status === 'closed')
        throw new ApiError(410, 'session_closed', 'This quiz has ended; no more answers are taken.');
      if (status === 'scheduled') throw new ApiError(409, 'not_open_yet', 'This quiz has not started yet.');
      const question = this.current(facts, p);
      if (p.finishedAt !== null || !question)
        throw new ApiError(409, 'finished', 'You have answered every question already.');
      if (p.servedAt === null) throw new ApiError(409, 'not_served', 'Open the question before answering it.');
      if (question.id !== bankId)
        throw new ApiError(
          409,
          'not_current_question',
          'That is not the question you are on. Reload to get the current one.',
        );

      let correct = false;
      let credit = 0;
      // Graded and stored in bank ids, as D1 and the reports keep them.
      const given = facts.ids.toBank(question, response);
      if (given !== null) {
        const verdict = grade(question, given, { partialCredit: facts.partialCredit });
        if (!verdict.ok) throw new ApiError(400, 'invalid_answer', verdict.message);
        ({ correct, credit } = verdict);
      }
      const kept = given === null ? null : storedResponse(question, given);
      const timeMs = now - p.servedAt;
      const stored: StoredAnswer = {
        questionId: question.id,
        position: p.position,
        response: kept,
        correct,
        points: pointsFor(credit, timeMs, limitMs),
        timeMs,
        answeredAt: now,
      };
      p.answers.set(question.id, stored);
      p.score += stored.points;
      p.correctCount += correct ? 1 : 0;
      p.position += 1;
      p.servedAt = null;
      if (p.position >= facts.questions.length) p.finishedAt = now;
      loaded.ranked = null;
      this.record(p, stored);
      return result(stored, question, false);
    });
  }

  /** Every answer with its verdict, once the student has finished or the session has closed. */
  review(hash: string): Promise<Outcome<Review>> {
    return this.answering(hash, ({ facts }, p, now) => {
      if (p.finishedAt === null && effectiveStatus(facts, now) !== 'closed')
        throw new ApiError(409, 'not_finished', 'The review opens once you have answered every question.');
      if (holdBack(facts, p, now))
        throw new ApiError(409, 'answers_after_close', 'The answers are shown when the quiz closes.');
      const limitMs = studentLimitMs(facts.timeLimitSec, p.timeFactor);
      return {
        items: [...p.answers.values()]
          .sort((a, b) => a.position - b.position)
          .flatMap((a) => {
            const q = facts.byId.get(a.questionId);
            return q
              ? [
                  {
                    position: a.position,
                    question: shown(facts, p, q),
                    response: facts.ids.fromBank(q, a.response),
                    verdict: verdictOf(facts, a, q, limitMs),
                  },
                ]
              : [];
          }),
      };
    });
  }

  /**
   * A question of the session answered again for practice, once the session has closed (the
   * answers are then no secret): judged like an answer, with partial credit counted as wrong, and
   * neither stored nor scored, so a student may practise as often as they like.
   */
  practise(hash: string, questionId: string, response: unknown): Promise<Outcome<PracticeResult>> {
    return this.answering(hash, ({ facts }, _p, now) => {
      if (effectiveStatus(facts, now) !== 'closed')
        throw new ApiError(409, 'practice_after_close', 'Practice opens when the quiz has closed.');
      const bankId = facts.ids.bankId(questionId);
      const q = bankId === undefined ? undefined : facts.byId.get(bankId);
      if (!q) throw new ApiError(400, 'invalid_answer', 'This quiz has no such question.');
      const verdict = grade(q, facts.ids.toBank(q, response), { partialCredit: false });
      if (!verdict.ok) throw new ApiError(400, 'invalid_answer', verdict.message);
      return { correct: verdict.correct, reveal: revealed(facts, q) };
    });
  }

  /** The top `limit` of the session and the student's own row, unless hidden from students. */
  leaderboard(hash: string, limit: number): Promise<Outcome<Leaderboard>> {
    return this.answering(hash, (loaded, p, now) => {
      const { facts } = loaded;
      // Hidden by the teacher, or held back with the verdicts (scores moving would tell right from wrong).
      if (!facts.showLeaderboard || holdBack(facts, p, now)) return { hidden: true, entries: [] };
      loaded.ranked ??= rank([...loaded.byId.values()].sort(byStanding).map((x) => toRow(x, false)));
      const own = loaded.ranked.find((e) => e.id === p.id)!;
      return { entries: publicEntries(loaded.ranked.slice(0, limit)), me: publicEntries([{ ...own, mine: true }])[0]! };
    });
  }

  // Teacher routes ----------------------------------------------------------------------------

  /** Copies everything not yet in D1 there; true when D1 is up to date. For routes that read results from D1. */
  async flush(): Promise<boolean> {
    // Until nothing waits, or a copy made no progress (D1 failing: the alarm tries again).
    for (
      let left = this.pendingCount(), before = Infinity;
      left > 0 && left < before;
      before = left, left = this.pendingCount()
    )
      await this.copy();
    return this.pendingCount() === 0;
  }

  /** Flushes, then forgets what it holds, so that the next request reads the session again (after a teacher changed it in D1). */
  async reload(): Promise<boolean> {
    const flushed = await this.flush();
    this.held = null;
    this.loading = null;
    return flushed;
  }

  /**
   * Deletes everything the room holds, in its storage and in memory, answers not yet copied to D1
   * included: for a session whose results were deleted (retention, a deleted account). Call it
   * after the D1 rows are gone, so that a student request in between cannot load them again.
   */
  async forget(): Promise<void> {
    await this.exclusive(async () => {
      if (this.copyTimer !== null) clearTimeout(this.copyTimer);
      this.copyTimer = null;
      this.held = null;
      this.loading = null;
      await this.ctx.storage.deleteAlarm();
      await this.ctx.storage.deleteAll();
      this.alarmSet = false;
      this.tables = false;
    });
  }

  override async alarm(): Promise<void> {
    this.alarmSet = false;
    await this.flush();
    if (this.pendingCount() > 0) this.armAlarm();
  }

  // Loading -----------------------------------------------------------------------------------

  /** Runs a student request against the loaded room: errors become outcomes, never exceptions. */
  private answering<T>(hash: string, handle: (loaded: Loaded, p: Player, now: number) => T): Promise<Outcome<T>> {
    return outcome(async () => {
      const { loaded, p, now } = await this.student(hash);
      if (loaded.facts.mode === 'live')
        throw new ApiError(409, 'live_session', 'This quiz is played live: follow it on the live screen.');
      return handle(loaded, p, now);
    });
  }

  /** The loaded room and the student whose token has this hash, or the 401 that says why not. */
  private async student(hash: string): Promise<{ loaded: Loaded; p: Player; now: number }> {
    const loaded = await this.loaded();
    const p = loaded && (loaded.players.get(hash) ?? (await this.loadPlayer(loaded, hash)));
    if (!loaded || !p) throw unauthorized();
    const now = Date.now();
    if (p.expiresAt <= now)
      throw new ApiError(401, 'token_expired', 'Your place in this quiz has expired. Join again with the code.');
    return { loaded, p, now };
  }

  /** The room's state, loaded from D1 when it wakes and its facts refreshed now and then; null when the session does not exist. */
  private async loaded(): Promise<Loaded | null> {
    if (this.held && Date.now() - this.held.facts.loadedAt < FACTS_TTL_MS) return this.held;
    this.loading ??= this.exclusive(() => (this.held ? this.refreshFacts(this.held) : this.loadAll())).finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  private sessionId(): string {
    const name =
      this.ctx.id.name ??
      (this.hasTables()
        ? this.ctx.storage.sql.exec<{ v: string }>(`SELECT v FROM room WHERE k = 'session'`).toArray()[0]?.v
        : undefined);
    if (!name) throw new Error('play room: named by its session id only');
    return name;
  }

  /**
   * The facts of the rows. The session's ids (a few HMACs per question) are built when the room
   * loads, and kept from `previous` on each refresh unless what they are made of changed.
   */
  private async toFacts(
    session: FactsRows,
    questionRows: { data: Question }[],
    roster: RosterRows,
    previous?: Facts,
  ): Promise<Facts | null> {
    const row = session[0];
    if (!row) return null;
    const list = questionRows.map((q) => q.data);
    const { questionCount: _count, blockedWords, ...info } = row;
    const { idSalt } = row;
    const ids = (items: readonly { id: string }[] | undefined) => (items ?? []).map((o) => o.id);
    const idsFrom = JSON.stringify([
      idSalt,
      list.map((q) => [
        q.id,
        ids('options' in q ? q.options : undefined),
        ids(q.type === 'matching' ? q.targets : undefined),
      ]),
    ]);
    return {
      ...info,
      blockedWords: blockedWords ?? [],
      roster,
      questions: list,
      byId: new Map(list.map((q) => [q.id, q])),
      ids: previous?.idsFrom === idsFrom ? previous.ids : await SessionIds.create(idSalt, list),
      idsFrom,
      loadedAt: Date.now(),
    };
  }

  /** Everything, in one D1 round trip, then what the room's own storage holds that D1 does not have yet. */
  private async loadAll(): Promise<Loaded | null> {
    const db = database(this.d1);
    const id = this.sessionId();
    const [session, questionRows, roster, people, given] = await db.batch([
      ...factsQueries(db, id),
      seated(db).where(eq(participants.sessionId, id)),
      db.select().from(answers).where(eq(answers.sessionId, id)),
    ]);
    const facts = await this.toFacts(session, questionRows, roster);
    if (!facts) {
      // Deleted (or never was): anything still waiting here belongs to nobody.
      if (this.hasTables()) await this.ctx.storage.deleteAll();
      this.tables = false;
      return null;
    }
    const loaded: Loaded = {
      facts,
      players: new Map(),
      byId: new Map(),
      seats: new SeatBook(facts.shards),
      ranked: null,
    };
    for (const seat of people) this.adopt(loaded, seat, given);
    // Seats taken here that D1 does not have yet.
    if (this.hasTables())
      for (const { row: json } of this.ctx.storage.sql.exec<{ row: string }>('SELECT row FROM pending_participants')) {
        const row = JSON.parse(json) as ParticipantRow;
        if (!loaded.byId.has(row.id)) this.adopt(loaded, this.newSeat(facts, row), []);
      }
    this.held = loaded;
    return loaded;
  }

  private async refreshFacts(loaded: Loaded): Promise<Loaded | null> {
    const [session, questionRows, roster] = await database(this.d1).batch(
      factsQueries(database(this.d1), this.sessionId()),
    );
    const facts = await this.toFacts(session, questionRows, roster, loaded.facts);
    if (!facts) return (this.held = null);
    loaded.facts = facts;
    return loaded;
  }

  /**
   * A seat the room did not take itself (written to D1 by other means, e.g. before the room took
   * joins): their row (and answers, if any) from D1, once.
   */
  private loadPlayer(loaded: Loaded, hash: string): Promise<Player | undefined> {
    return this.exclusive(async () => {
      const known = loaded.players.get(hash);
      if (known) return known;
      const db = database(this.d1);
      const [people, given] = await db.batch([
        seated(db).where(eq(participants.tokenHash, hash)),
        db
          .select({ answer: answers })
          .from(answers)
          .innerJoin(participants, eq(participants.id, answers.participantId))
          .where(eq(participants.tokenHash, hash)),
      ]);
      const seat = people[0];
      if (!seat || seat.row.sessionId !== this.sessionId()) return undefined;
      return this.adopt(
        loaded,
        seat,
        given.map((g) => g.answer),
      );
    });
  }

  /** Adds a participant read from D1, with the progress and answers this room has not copied to D1 yet laid over it. */
  private adopt(loaded: Loaded, { row, timeFactor }: Seat, given: (typeof answers.$inferSelect)[]): Player {
    const p: Player = {
      timeFactor: timeFactor ?? 1,
      id: row.id,
      tokenHash: row.tokenHash,
      nickname: row.nickname,
      nicknameKey: row.nicknameKey,
      rosterId: row.rosterId,
      networkKey: row.networkKey,
      joinedAt: row.joinedAt,
      expiresAt: row.expiresAt,
      order: row.questionOrder ?? null,
      position: row.position,
      servedAt: row.servedAt,
      score: row.score,
      correctCount: row.correctCount,
      finishedAt: row.finishedAt,
      answers: new Map(),
    };
    for (const a of given)
      if (a.participantId === p.id)
        p.answers.set(a.questionId, {
          questionId: a.questionId,
          position: a.position,
          response: a.response,
          correct: a.correct,
          points: a.points,
          timeMs: a.timeMs,
          answeredAt: a.answeredAt,
        });
    if (this.hasTables()) {
      const sql = this.ctx.storage.sql;
      for (const { row: json } of sql.exec<{ row: string }>('SELECT row FROM pending_progress WHERE id = ?', p.id))
        Object.assign(p, JSON.parse(json) as Progress);
      for (const { row: json } of sql.exec<{ row: string }>(
        'SELECT row FROM pending_answers WHERE participant_id = ?',
        p.id,
      )) {
        const a = JSON.parse(json) as StoredAnswer;
        p.answers.set(a.questionId, a);
      }
    }
    loaded.players.set(p.tokenHash, p);
    loaded.byId.set(p.id, p);
    loaded.seats.add(p);
    loaded.ranked = null;
    return p;
  }

  private networkKey(idSalt: string, address: string): Promise<string> {
    let key = this.networkKeys.get(address);
    if (key === undefined) {
      if (this.networkKeys.size >= 1000) this.networkKeys.clear();
      this.networkKeys.set(address, (key = keyedHash(idSalt, `network:${address}`)));
    }
    return key;
  }

  /** A seat taken here, as the D1 row it will be, with the extra time of its roster name. */
  private newSeat(facts: Facts, row: ParticipantRow): Seat {
    return {
      row: { ...row, sessionId: facts.id, position: 0, servedAt: null, score: 0, correctCount: 0, finishedAt: null },
      timeFactor: facts.roster.find((r) => r.id === row.rosterId)?.timeFactor ?? null,
    };
  }

  private current(facts: Facts, p: Player): Question | undefined {
    return facts.questions[p.order?.[p.position] ?? p.position];
  }

  private info(facts: Facts, now: number): SessionInfo {
    return toSessionInfo({ ...facts, questionCount: facts.questions.length }, now);
  }

  // The room's storage and the copy to D1 -------------------------------------------------------

  private hasTables(): boolean {
    if (
      !this.tables &&
      this.ctx.storage.sql.exec(`SELECT 1 FROM sqlite_master WHERE name = 'pending_progress'`).toArray().length
    ) {
      this.tables = true;
      // Versions only ever grow, across restarts too (a copy deletes the version it sent, not a newer one).
      this.version =
        this.ctx.storage.sql.exec<{ v: number | null }>('SELECT max(version) AS v FROM pending_progress').one().v ?? 0;
    }
    return this.tables;
  }

  /** Created on the first write only: a room asked about a session that does not exist stores nothing. */
  private ensureTables(): void {
    if (this.hasTables()) return;
    migrate(this.ctx.storage, PLAY_STORAGE);
    this.ctx.storage.sql.exec(`INSERT OR IGNORE INTO room (k, v) VALUES ('session', ?)`, this.sessionId());
    this.tables = true;
  }

  /** Stores a student's progress (the clock started) until D1 has it. */
  private save(p: Player): void {
    this.ensureTables();
    const progress: Progress & { id: string } = {
      id: p.id,
      position: p.position,
      servedAt: p.servedAt,
      score: p.score,
      correctCount: p.correctCount,
      finishedAt: p.finishedAt,
    };
    this.ctx.storage.sql.exec(
      'INSERT INTO pending_progress (id, row, version) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET row = excluded.row, version = excluded.version',
      p.id,
      JSON.stringify(progress),
      ++this.version,
    );
    this.armAlarm();
    this.copySoon();
  }

  /** Stores an answer with the progress it made, in one implicit transaction (no await between). */
  private record(p: Player, a: StoredAnswer): void {
    this.ensureTables();
    this.ctx.storage.sql.exec(
      'INSERT OR IGNORE INTO pending_answers (participant_id, question_id, row) VALUES (?, ?, ?)',
      p.id,
      a.questionId,
      JSON.stringify(a),
    );
    this.save(p);
  }

  private pendingCount(): number {
    if (!this.hasTables()) return 0;
    return this.ctx.storage.sql
      .exec<{
        n: number;
      }>(
        'SELECT (SELECT count(*) FROM pending_answers) + (SELECT count(*) FROM pending_progress) + (SELECT count(*) FROM pending_participants) AS n',
      )
      .one().n;
  }

  private armAlarm(): void {
    if (this.alarmSet) return;
    this.alarmSet = true;
    void this.ctx.storage.setAlarm(Date.now() + RETRY_MS);
  }

  /** Starts a copy to D1 shortly: the changes of that moment go together, one round trip for all of them. */
  private copySoon(): void {
    if (this.copyTimer !== null) return;
    this.copyTimer = setTimeout(() => {
      this.copyTimer = null;
      void this.copy();
    }, COPY_AFTER_MS);
  }

  /** Copies what is waiting to D1, one batch at a time; while one is on its way, new changes gather for the next (group commit). */
  private copy(): Promise<void> {
    this.copying ??= this.exclusive(async () => {
      // Changes arriving meanwhile wait for their own timer, so that they gather; only a full batch goes on at once.
      while ((await this.copyOnce()) === COPY_BATCH);
    }).finally(() => {
      this.copying = null;
    });
    return this.copying;
  }

  /** One D1 batch; the number of seats, answers or progress rows copied (the largest), 0 when none or D1 failed (the alarm tries again). */
  private async copyOnce(): Promise<number> {
    if (!this.hasTables()) return 0;
    const sql = this.ctx.storage.sql;
    const seats = sql
      .exec<{
        row: string;
        rowid: number;
      }>('SELECT row, rowid FROM pending_participants ORDER BY rowid LIMIT ?', COPY_BATCH)
      .toArray();
    const keys = sql
      .exec<{
        participant_id: string;
        row: string;
        rowid: number;
      }>('SELECT participant_id, row, rowid FROM pending_answers ORDER BY rowid LIMIT ?', COPY_BATCH)
      .toArray();
    const given = keys.map((k) => JSON.parse(k.row) as StoredAnswer);
    const progress = sql
      .exec<{
        row: string;
        version: number;
      }>('SELECT row, version FROM pending_progress ORDER BY version LIMIT ?', COPY_BATCH)
      .toArray();
    if (seats.length === 0 && given.length === 0 && progress.length === 0) return 0;
    const id = this.sessionId();
    const rows = given.map((a, i) => ({
      p: keys[i]!.participant_id,
      q: a.questionId,
      n: a.position,
      r: a.response === null ? null : JSON.stringify(a.response),
      c: a.correct ? 1 : 0,
      pts: a.points,
      t: a.timeMs,
      at: a.answeredAt,
    }));
    try {
      // Seats first: answers and progress are only written for seats D1 has.
      await this.d1.batch([
        ...chunks(seats.map((r) => r.row)).map((part) =>
          this.d1.prepare(INSERT_PARTICIPANTS).bind(id, `[${part.join(',')}]`),
        ),
        ...chunks(rows).map((part) => this.d1.prepare(INSERT_ANSWERS).bind(id, JSON.stringify(part))),
        ...chunks(progress.map((r) => r.row)).map((part) =>
          this.d1.prepare(UPDATE_PROGRESS).bind(id, `[${part.join(',')}]`),
        ),
      ]);
    } catch (err) {
      console.error('play room: D1 write failed; the alarm retries', err);
      this.armAlarm();
      return 0;
    }
    // Answers are written once, with growing row ids; a student's progress written again while D1
    // was busy got a newer version and stays for the next copy.
    if (seats.length) sql.exec('DELETE FROM pending_participants WHERE rowid <= ?', seats[seats.length - 1]!.rowid);
    if (keys.length) sql.exec('DELETE FROM pending_answers WHERE rowid <= ?', keys[keys.length - 1]!.rowid);
    if (progress.length)
      sql.exec('DELETE FROM pending_progress WHERE version <= ?', progress[progress.length - 1]!.version);
    return Math.max(seats.length, keys.length, progress.length);
  }

  /** Runs D1 work one piece at a time. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.d1Queue.then(work, work);
    this.d1Queue = run.catch(() => undefined);
    return run;
  }
}
