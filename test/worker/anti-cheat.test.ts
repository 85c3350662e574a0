/**
 * Anti-cheat harness. Records every HTTP response and every WebSocket message a
 * student's client receives across a full self-paced game and a full live game, and asserts that
 * nothing gives a question's answer away before the student answered it (self-paced) or before
 * its reveal (live): no answer/correct/isCorrect/key/solution field, no flag or unknown field next
 * to the choices, no explanation or source quote, no accepted text or numeric answer, no correct
 * option id outside the option list, no ordering served in its answer order; and, measured over
 * many students, that the position of the right choice varies when the session shuffles options.
 *
 * Nothing a student receives names a question, option or target by a stable id: no id of a stored
 * question or of its choices, and no id shared by two sessions of the same questions, so that an
 * answer key harvested in one session (question id → right option ids) is worthless in another.
 * The answer keys the checks look for are therefore the session's: each question with the ids it
 * was served with, matched by its stem and choice texts.
 *
 * Also: time is the server's (extra timing fields are refused, the stored time is server time,
 * answers after the limit score 0), and no question can be fetched or answered ahead of its turn.
 */
import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { rawBank } from '../../db/bank';
import { parseBank } from '../../db/seed-sql';
import { randomToken } from '../../worker/lib/crypto';
import { toStudent } from '../../worker/questions/present';
import { normalizeText } from '../../worker/questions/scoring';
import { SessionIds } from '../../worker/questions/session-ids';
import {
  age,
  asServed,
  call,
  expectError,
  keyFor,
  rightResponse,
  sessionOfToken,
  settle,
  storedQuestion,
  teacher,
  wrongResponse,
} from './helpers';
import { LiveClient, roomOf } from './live-client';
import type {
  AnswerResult,
  CreatedSession,
  GradedQuestion,
  Joined,
  PlayState,
  Question,
  ServerMessage,
  StudentQuestion,
} from '../../worker/contract';

const bank = parseBank(rawBank) as Question[];
const byType = (type: Question['type'], n = 0) => bank.filter((q) => q.type === type)[n]!;
/** One question of every type, two single choices (the shuffle statistics need them). */
const EVERY_TYPE = [
  byType('single'),
  byType('multi'),
  byType('truefalse'),
  byType('numeric'),
  byType('ordering'),
  byType('matching'),
  byType('text'),
  byType('single', 1),
].map((q) => q.id);

// The leak detector ------------------------------------------------------------------------------

/** A payload a student's client received: a response body or a WebSocket message. */
interface Received {
  label: string;
  body: unknown;
  /** Response headers, as text (a header could carry an answer too). */
  headers?: string;
  /** The request body this was the response to (self-paced), to tell which answer it acknowledges. */
  sent?: unknown;
}

/**
 * Every field name a student may receive before a reveal (the API's and the live protocol's
 * vocabulary). A new field fails the harness until someone has checked it gives nothing away and
 * added it here.
 */
const ALLOWED_KEYS = new Set([
  // SessionInfo, Joined, PlayState, AnswerResult, Leaderboard, errors
  'code',
  'title',
  'status',
  'questionCount',
  'timeLimitSec',
  'lang',
  'mode',
  'feedback',
  'autoAdvance',
  'showLeaderboard',
  'locked',
  'opensAt',
  'closesAt',
  'token',
  'nickname',
  'expiresAt',
  'session',
  'me',
  'score',
  'answered',
  'finished',
  'current',
  'position',
  'question',
  'limitMs',
  'remainingMs',
  'questionId',
  'repeated',
  'verdict',
  'hidden',
  'entries',
  'rank',
  'correct',
  'error',
  'message',
  // The roster of a class session, to pick one's name from (names and whether each is taken)
  'roster',
  'names',
  'name',
  'taken',
  'allowGuests',
  // StudentQuestion
  'id',
  'type',
  'stem',
  'options',
  'targets',
  'unit',
  'text',
  'zh',
  'en',
  // Live protocol (with the reveal and result of *other* questions reduced to their ids, see `sanitize`)
  'role',
  'serverTime',
  'phase',
  'playerCount',
  'participantId',
  'streak',
  'total',
  'endsAt',
  'paused',
  'top',
  'change',
  'podium',
  // Team mode: the number of teams (0 without), a student's team and its rank
  'teams',
  'team',
  'teamRank',
  // A live ticket (a live join's reply carries one too), and the end of the room
  'live',
  'ticket',
  'url',
  'expiresInSec',
  'closed',
  'reason',
]);
/** Keys under which a number is expected (counts, times, ranks); a numeric answer anywhere else is a leak. */
const NUMBER_KEYS = new Set([
  'teams',
  'team',
  'teamRank',
  'questionCount',
  'timeLimitSec',
  'opensAt',
  'closesAt',
  'expiresAt',
  'score',
  'answered',
  'position',
  'limitMs',
  'remainingMs',
  'rank',
  'correct',
  'serverTime',
  'playerCount',
  'streak',
  'total',
  'endsAt',
  'change',
  'expiresInSec',
]);
/** Keys under which a boolean is expected; any other boolean could be a right/wrong flag. */
const BOOLEAN_KEYS = new Set([
  'showLeaderboard',
  'autoAdvance',
  'locked',
  'finished',
  'repeated',
  'hidden',
  'paused',
  // A question shown again under its reveal (after the reveal only).
  'closed',
]);
/** Keys that name things, not choices: their string values are never an option id. */
const NAME_KEYS = new Set([
  'type',
  'status',
  'mode',
  'lang',
  'feedback',
  'role',
  'phase',
  'code',
  'token',
  'participantId',
  'nickname',
  'title',
  'ticket',
  'url',
  'reason',
]);
/** Keys whose values are random (codes, tokens, ids): no text check on them. */
const RANDOM_KEYS = new Set(['code', 'token', 'participantId', 'ticket', 'url']);

const textsCache = new WeakMap<Map<string, Question>, Set<string>>();
/** Stems, choices and units of `questions`, as authored. */
function authoredTexts(questions: Map<string, Question>): Set<string> {
  let out = textsCache.get(questions);
  if (!out) {
    out = new Set();
    for (const q of questions.values()) {
      const localized = [
        q.stem,
        ...('options' in q ? q.options.map((o) => o.text) : []),
        ...('targets' in q ? q.targets.map((o) => o.text) : []),
        ...('unit' in q && q.unit ? [q.unit] : []),
      ];
      for (const l of localized) out.add(l.zh).add(l.en);
    }
    textsCache.set(questions, out);
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A question as served to a student (StudentQuestion). */
const isServedQuestion = (
  v: unknown,
): v is { id: string; type: string; options?: { id: string }[]; targets?: { id: string }[] } =>
  isObject(v) && typeof v.id === 'string' && typeof v.type === 'string' && isObject(v.stem);

function walk(
  value: unknown,
  visit: (key: string, value: unknown, parent: Record<string, unknown> | unknown[]) => void,
) {
  if (Array.isArray(value)) for (const v of value) (visit('', v, value), walk(v, visit));
  else if (isObject(value))
    for (const [k, v] of Object.entries(value)) {
      visit(k, v, value);
      walk(v, visit);
    }
}

/** The reveal that legitimately travels in `body` (the answer to an answered question), by question id. */
function revealsIn(body: unknown): string[] {
  const out: string[] = [];
  walk({ body }, (_k, v) => {
    if (!isObject(v)) return;
    // Self-paced: an AnswerResult with a verdict; the review's items.
    if (typeof v.questionId === 'string' && isObject(v.verdict)) out.push(v.questionId);
    if (isServedQuestion(v.question) && isObject(v.verdict)) out.push(v.question.id);
    // Live: the reveal message.
    if (v.type === 'reveal' && typeof v.questionId === 'string') out.push(v.questionId);
  });
  return out;
}

/**
 * `body` without the parts that are about *another* question `r` (its verdict, reveal or result,
 * legitimately received once `r` was answered or revealed). Each removed reveal is checked to be
 * `r`'s own answer, so that nothing of `q` can hide in it.
 */
function sanitize(body: unknown, q: Question, keys: Map<string, Question>, problems: string[]): unknown {
  const copy = structuredClone(body);
  walk({ copy }, (_k, v) => {
    if (!isObject(v)) return;
    const about =
      typeof v.questionId === 'string'
        ? v.questionId
        : isServedQuestion(v.question) && isObject(v.verdict)
          ? v.question.id
          : null;
    if (about === null || about === q.id) return;
    const r = keys.get(about);
    const reveal = isObject(v.verdict) ? (v.verdict.reveal as Record<string, unknown>) : v.type === 'reveal' ? v : null;
    if (reveal && r && JSON.stringify(reveal.answer) !== JSON.stringify((r as GradedQuestion).answer))
      problems.push(`the reveal of ${about} carries another answer`);
    if (isObject(v.verdict)) delete v.verdict;
    if (v.type === 'reveal' || v.type === 'result')
      for (const k of Object.keys(v)) if (!['type', 'questionId', 'position'].includes(k)) delete v[k];
    if ('response' in v) delete v.response;
  });
  return copy;
}

/** Ways `body` (received before `q` was answered or revealed) gives `q`'s answer away. */
function leaksOf(received: Received, q: Question, keys: Map<string, Question>): string[] {
  const problems: string[] = [];
  const body = sanitize(received.body, q, keys, problems);
  const where = (what: string) => `${received.label}: ${what} (question ${q.id}, ${q.type})`;
  const correctIds: string[] = q.type === 'single' ? [q.answer] : q.type === 'multi' ? q.answer : [];
  /** The authored texts of the game's questions (stems, choices, units): shown by design, so left out of the text checks. */
  const shownTexts = authoredTexts(keys);

  walk({ body }, (key, value) => {
    // (Array elements come with the key '': they get every check but the field-name one.)
    if (key !== '' && key !== 'body' && !ALLOWED_KEYS.has(key)) problems.push(where(`unknown field "${key}"`));
    if (typeof value === 'boolean' && !BOOLEAN_KEYS.has(key)) problems.push(where(`a flag "${key}": ${value}`));
    if (key === 'correct' && typeof value !== 'number')
      problems.push(where(`"correct" that is not a count: ${JSON.stringify(value)}`));
    if (key === 'verdict' && value !== null && value !== undefined) problems.push(where('a verdict'));
    if (typeof value === 'number' && q.type === 'numeric' && value === q.answer && !NUMBER_KEYS.has(key))
      problems.push(where(`the numeric answer under "${key}"`));
    if (typeof value === 'string' && correctIds.includes(value) && key !== 'id' && !NAME_KEYS.has(key))
      problems.push(where(`the right option id under "${key}"`));
    if (typeof value === 'string' && !RANDOM_KEYS.has(key) && !shownTexts.has(value)) {
      const folded = normalizeText(value);
      if (value.includes(q.explanation!.zh) || value.includes(q.explanation!.en))
        problems.push(where('the explanation'));
      if (q.source.quote && value.includes(q.source.quote)) problems.push(where('the source quote'));
      if (q.type === 'text')
        for (const a of q.answer)
          if (normalizeText(a).length >= 2 && folded.includes(normalizeText(a)))
            problems.push(where(`an accepted answer "${a}"`));
      if (
        q.type === 'numeric' &&
        new RegExp(`(^|[^0-9.])${String(q.answer).replace('.', '\\.')}($|[^0-9])`).test(value)
      )
        problems.push(where('the numeric answer in a text'));
    }
    // The served form of q: only its stem and choices, each choice only an id and a text.
    if (isServedQuestion(value) && value.id === q.id) {
      for (const k of Object.keys(value))
        if (!['id', 'type', 'stem', 'options', 'targets', 'unit'].includes(k))
          problems.push(where(`question field "${k}"`));
      for (const o of [...(value.options ?? []), ...(value.targets ?? [])])
        if (Object.keys(o).sort().join() !== 'id,text')
          problems.push(where(`a choice with fields ${Object.keys(o).join(',')}`));
      if (q.type === 'ordering' && value.options?.map((o) => o.id).join() === q.answer.join())
        problems.push(where('the items to order in their answer order'));
    }
  });
  if (received.headers) {
    if (received.headers.includes(q.explanation!.en) || (q.source.quote && received.headers.includes(q.source.quote)))
      problems.push(where('proof in a header'));
    if (/answer|correct|solution/i.test(received.headers)) problems.push(where('a header about answers'));
  }
  return problems;
}

/**
 * Where a question's reveal may legitimately first reach a student: self-paced, the response to
 * their own answer to it (or the review, once finished); live, a `reveal` message after the
 * question was open. Anything earlier that "reveals" it is a leak in itself.
 */
function legitimateReveal(received: Received[], at: number, q: Question): boolean {
  const r = received[at]!;
  if (r.label.startsWith('GET /api/play/review')) return true;
  if (r.label.startsWith('POST /api/play/answers'))
    return (r.sent as { questionId?: string } | undefined)?.questionId === q.id;
  const body = r.body as ServerMessage;
  if (body.type !== 'reveal') return false;
  return received
    .slice(0, at)
    .some(
      (m) =>
        (m.body as ServerMessage).type === 'question' && (m.body as { question: { id: string } }).question.id === q.id,
    );
}

/**
 * Checks everything `received` (in order) against every question of the game: what arrived before
 * the question's reveal to this student must not give its answer away, and the reveal must come
 * where it may. Returns the problems found, and how many (payload, question) pairs were checked.
 */
function leaksIn(received: Received[], questions: Question[]): { problems: string[]; pairs: number } {
  const problems: string[] = [];
  const seen = asReceived(received, questions, problems);
  const keys = new Map(seen.map((q) => [q.id, q]));
  for (const r of received)
    for (const id of identifiersIn(r.body))
      if (storedIds.has(id)) problems.push(`${r.label}: the stored id "${id}" instead of the session's`);
  let pairs = 0;
  for (const q of seen) {
    const revealedAt = received.findIndex((r) => revealsIn(r.body).includes(q.id));
    if (revealedAt >= 0 && !legitimateReveal(received, revealedAt, q))
      problems.push(`${received[revealedAt]!.label}: reveals ${q.id} before its time`);
    for (const r of revealedAt < 0 ? received : received.slice(0, revealedAt)) {
      pairs++;
      problems.push(...leaksOf(r, q, keys));
    }
  }
  return { problems, pairs };
}

/**
 * `questions` with the ids the student was served them with (each matched by its stem, its choices
 * by their texts); a question never served stays as it is.
 */
function asReceived(received: Received[], questions: Question[], problems: string[]): Question[] {
  const served: StudentQuestion[] = [];
  for (const r of received) walk({ body: r.body }, (_k, v) => isServedQuestion(v) && served.push(v as StudentQuestion));
  return questions.map((q) => {
    const shown = served.find((x) => x.type === q.type && x.stem.zh === q.stem.zh && x.stem.en === q.stem.en);
    try {
      return shown ? asServed(q, shown) : q;
    } catch (err) {
      problems.push(`${q.id} was served with other choices: ${(err as Error).message}`);
      return q;
    }
  });
}

// Stable ids -------------------------------------------------------------------------------------------

/** Ids of every stored question and of its options and targets (filled before the tests). */
const storedIds = new Set<string>();
beforeAll(async () => {
  const { results } = await env.DB.prepare('SELECT id, data FROM questions').all<{ id: string; data: string }>();
  for (const row of results) {
    const q = JSON.parse(row.data) as Question;
    storedIds.add(row.id);
    for (const o of [...('options' in q ? q.options : []), ...(q.type === 'matching' ? q.targets : [])])
      storedIds.add(o.id);
  }
});

/** Keys whose values name questions, options or targets (a record's keys too: matching pairs). */
const ID_KEYS = new Set(['id', 'questionId', 'optionId', 'optionIds', 'order', 'pairs', 'answer']);
/** Accepted answers of text questions: they come under `answer` too, and are the same in every session by design. */
const TEXT_ANSWERS = new Set(bank.flatMap((q) => (q.type === 'text' ? q.answer : [])));

/**
 * Every id of a question, option or target in `body`: of served questions and their choices, the
 * questions answers and results name, the options a reveal, a response or a class's counts name.
 */
function identifiersIn(body: unknown): string[] {
  const out: string[] = [];
  const add = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(add);
    else if (isObject(v)) for (const [k, x] of Object.entries(v)) (out.push(k), add(x));
  };
  walk({ body }, (key, value) => {
    if (ID_KEYS.has(key)) add(value);
    // A class's counts per choice (a live reveal's distribution), keyed by option id or true/false.
    if (key === 'options' && isObject(value))
      out.push(...Object.keys(value).filter((k) => k !== 'true' && k !== 'false'));
  });
  return out.filter((id) => !TEXT_ANSWERS.has(id));
}

/**
 * Ids that students of one of two sessions of the same questions (`a`, `b`) received and that occur
 * anywhere in what students of the other received: an answer key would carry over by them.
 */
function sharedIds(a: Received[], b: Received[]): string[] {
  const text = (side: Received[]) => JSON.stringify(side.map((r) => [r.body, r.headers ?? '']));
  const idsOf = (side: Received[]) => new Set(side.flatMap((r) => identifiersIn(r.body)));
  const [textA, textB] = [text(a), text(b)];
  return [...[...idsOf(a)].filter((id) => textB.includes(id)), ...[...idsOf(b)].filter((id) => textA.includes(id))];
}

function expectNoSharedIds(a: Received[], b: Received[]) {
  // Each side received ids at all (questions, choices, answers), or the check would pass on nothing.
  for (const side of [a, b]) expect(side.flatMap((r) => identifiersIn(r.body)).length).toBeGreaterThan(10);
  expect(sharedIds(a, b)).toEqual([]);
}

function expectNoLeaks(received: Received[], questions: Question[]): number {
  const { problems, pairs } = leaksIn(received, questions);
  expect(problems, problems.slice(0, 20).join('\n')).toEqual([]);
  return pairs;
}

// A student's device, recorded ----------------------------------------------------------------------

class Device {
  readonly received: Received[] = [];
  token = '';
  constructor(readonly nickname: string) {}

  /** A request as the web client makes it; its response is recorded. */
  async call(path: string, init: Parameters<typeof call>[1] = {}) {
    const res = await call(path, { ...init, token: init.token ?? (this.token || undefined) });
    const headers = [...res.headers]
      .filter(([k]) => !['content-type', 'content-length', 'date'].includes(k))
      .map(([k, v]) => `${k}: ${v}`);
    this.received.push({
      label: `${init.method ?? (init.body !== undefined ? 'POST' : 'GET')} ${path} → ${res.status}`,
      body: res.json ?? res.text,
      headers: headers.join('\n'),
      sent: init.body,
    });
    return res;
  }

  async join(code: string): Promise<Joined> {
    const info = await this.call(`/api/codes/${code}`);
    expect(info.status).toBe(200);
    const res = await this.call(`/api/codes/${code}/participants`, { body: { nickname: this.nickname } });
    expect(res.status, res.text).toBe(201);
    this.token = res.json.token;
    return res.json;
  }

  /** Opens the live socket as the web client does: a ticket (recorded) first, then its address. */
  async live(): Promise<LiveClient> {
    const res = await this.call('/api/play/live/ticket', { method: 'POST' });
    expect(res.status, res.text).toBe(200);
    return LiveClient.open(res.json.url);
  }

  /** Messages of a live socket, recorded in arrival order (call when the socket is done with). */
  record(client: LiveClient, label: string) {
    client.messages.forEach((m, i) => this.received.push({ label: `${label} #${i} ${m.type}`, body: m }));
  }
}

/** A signed-in teacher's session from a quiz of `questionIds`. */
async function sessionFrom(
  questionIds: string[],
  settings: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Promise<CreatedSession> {
  const t = await teacher();
  const quiz = await call('/api/quizzes', { cookie: t.cookie, body: { title: 'Anti-cheat', questionIds, settings } });
  expect(quiz.status, quiz.text).toBe(201);
  const s = await call('/api/sessions', {
    cookie: t.cookie,
    body: { title: 'Anti-cheat', quizId: quiz.json.id, ...extra },
  });
  expect(s.status, s.text).toBe(201);
  return s.json;
}

const questionsOf = (ids: string[]) => Promise.all(ids.map(storedQuestion));

/** The ids session `sessionId` shows for `questions`, derived from its salt as the server does: to say what each student must be served. */
async function sessionIdsOf(sessionId: string, questions: Question[]): Promise<SessionIds> {
  const row = await env.DB.prepare('SELECT id_salt FROM sessions WHERE id = ?')
    .bind(sessionId)
    .first<{ id_salt: string }>();
  return SessionIds.create(row!.id_salt, questions);
}

/** Plays a self-paced game through on `device`, answering right or wrong by `pick`, with the reads a real client makes. */
async function playThrough(device: Device, pick: (i: number) => 'right' | 'wrong' | 'none') {
  for (let i = 0; ; i++) {
    const st = (await device.call('/api/play')).json as PlayState;
    await device.call('/api/play/leaderboard');
    if (!st.current) return st;
    const q = await keyFor(sessionOfToken(device.token), st.current.question);
    // A reload shows the same question (and must not start anything new).
    await device.call('/api/play');
    const how = pick(i);
    const res = await device.call('/api/play/answers', {
      body: {
        questionId: q.id,
        response: how === 'right' ? rightResponse(q) : how === 'wrong' ? wrongResponse(q) : null,
      },
    });
    expect(res.status, res.text).toBe(200);
    // A double tap.
    expect(
      (await device.call('/api/play/answers', { body: { questionId: q.id, response: rightResponse(q) } })).json
        .repeated,
    ).toBe(true);
  }
}

/** Moves the live room's open question back by `ms`, as if that much time had passed. */
const rewind = (sessionId: string, ms: number) =>
  runInDurableObject(roomOf(sessionId), (_room, state) => {
    state.storage.sql.exec(
      `UPDATE meta SET v = json_set(v, '$.startedAt', json_extract(v, '$.startedAt') - ?1, '$.endsAt', json_extract(v, '$.endsAt') - ?1) WHERE k = 'game'`,
      ms,
    );
  });

// The tests ------------------------------------------------------------------------------------------

describe('anti-cheat: what a student receives', () => {
  it('the harness itself catches every kind of planted leak', async () => {
    // The game as a session shows it: every question in the session's ids.
    const bankKeys = await questionsOf(EVERY_TYPE);
    const servedAs = new Map<string, StudentQuestion>();
    const storedAs = new Map<string, Question>();
    /** `q`'s key in the ids of `session`, as served to `seed`. */
    const inSession = (session: SessionIds, q: Question, seed: string) => {
      const served = session.student(toStudent(q, seed, { shuffleOptions: true }));
      const key = asServed(q, served);
      servedAs.set(key.id, served);
      storedAs.set(key.id, q);
      return key;
    };
    const ids = await SessionIds.create('harness', bankKeys);
    const questions = bankKeys.map((q) => inSession(ids, q, 'participant-x'));
    const baseline = (q: Question): Received[] => [
      {
        label: 'GET /api/play → 200',
        body: {
          session: {
            code: 'ABC234',
            title: 'Quiz',
            status: 'open',
            questionCount: 8,
            timeLimitSec: 30,
            lang: 'both',
            mode: 'self',
            feedback: 'now',
            showLeaderboard: true,
            locked: false,
            opensAt: null,
            closesAt: null,
          },
          me: { nickname: 'Amy', score: 0, answered: 0, finished: false },
          current: {
            position: 0,
            question: structuredClone(servedAs.get(q.id)!),
            limitMs: 30_000,
            remainingMs: 29_000,
          },
        },
        headers: 'cache-control: no-store',
      },
      {
        label: 'POST /api/play/answers → 200',
        sent: { questionId: q.id, response: rightResponse(q) },
        body: {
          questionId: q.id,
          repeated: false,
          verdict: {
            correct: true,
            late: false,
            points: 900,
            timeMs: 100,
            reveal: { answer: (q as GradedQuestion).answer, explanation: q.explanation },
          },
          me: { nickname: 'Amy', score: 900, answered: 1, finished: false },
        },
      },
    ];
    type State = {
      session: Record<string, unknown>;
      me: Record<string, unknown>;
      current: { question: Record<string, unknown> & { options?: Record<string, unknown>[] } } & Record<
        string,
        unknown
      >;
    };
    const rightIds = (q: Question) => (q.type === 'single' ? [q.answer] : q.type === 'multi' ? q.answer : []);
    const plant: [string, (s: State, q: Question, rec: Received[]) => boolean][] = [
      ['an answer field', (s, q) => ((s.current.question.answer = (q as GradedQuestion).answer), true)],
      ['a key field', (s, q) => ((s.current.key = q.key ?? ['x']), true)],
      [
        'a flag on the right choice',
        (s, q) =>
          rightIds(q).length > 0 &&
          (s.current.question.options!.forEach((o) => (o.isCorrect = rightIds(q).includes(o.id as string))), true),
      ],
      [
        '"correct" on the choices',
        (s, q) =>
          rightIds(q).length > 0 &&
          (s.current.question.options!.forEach((o) => (o.correct = rightIds(q).includes(o.id as string) ? 1 : 0)),
          true),
      ],
      [
        'the right option id in a message',
        (s, q) => rightIds(q).length > 0 && ((s.current.message = rightIds(q)[0]), true),
      ],
      [
        'the right option ids in a list',
        (s, q) => rightIds(q).length > 0 && ((s.me.answered = rightIds(q) as never), true),
      ],
      ['the explanation as a hint', (s, q) => ((s.current.hint = q.explanation!.en), true)],
      ['the explanation in an allowed text field', (s, q) => ((s.me.nickname = `${q.explanation!.zh}`), true)],
      ['the explanation as the stem', (s, q) => ((s.current.question.stem = q.explanation), true)],
      [
        'the source quote in the title',
        (s, q) => !!q.source.quote && ((s.session.title = `see: ${q.source.quote}`), true),
      ],
      ['the accepted text answer', (s, q) => q.type === 'text' && ((s.me.nickname = q.answer[0]), true)],
      [
        'the numeric answer in a text',
        (s, q) => q.type === 'numeric' && ((s.session.title = `about ${q.answer} or so`), true),
      ],
      [
        'the numeric answer in a field',
        (s, q) =>
          q.type === 'numeric' &&
          ((s.current.question.unit = { zh: '个', en: 'units' }), (s.current.max = q.answer), true),
      ],
      [
        'the boolean answer as a flag',
        (s, q) => q.type === 'truefalse' && ((s.current.question.value = q.answer), true),
      ],
      [
        'items to order in their answer order',
        (s, q) =>
          q.type === 'ordering' &&
          ((s.current.question.options = q.answer.map((id) => ({ ...q.options.find((o) => o.id === id)! }))), true),
      ],
      ['an extra field on a choice', (s, q) => 'options' in q && ((s.current.question.options![0]!.weight = 1), true)],
      ['a verdict before answering', (s) => ((s.current.verdict = { correct: false }), true)],
      [
        'an answer header',
        (_s, q, rec) => ((rec[0]!.headers += `\nx-answer: ${JSON.stringify((q as GradedQuestion).answer)}`), true),
      ],
      [
        'a reveal before the answer',
        (_s, q, rec) => (
          rec.unshift({
            label: 'GET /api/play → 200',
            body: { questionId: q.id, verdict: { reveal: { answer: (q as GradedQuestion).answer } } },
          }),
          true
        ),
      ],
      ['the stored id of the question', (s, q) => ((s.current.question.id = storedAs.get(q.id)!.id), true)],
      [
        'the stored ids of the choices',
        (s, q) => {
          const stored = storedAs.get(q.id)!;
          if (!('options' in stored)) return false;
          s.current.question.options!.forEach((o, i) => (o.id = stored.options[i]!.id));
          return true;
        },
      ],
      [
        'a stored option id in a reveal',
        (_s, q, rec) => {
          const stored = storedAs.get(q.id)!;
          if (stored.type !== 'single') return false;
          (rec[1]!.body as AnswerResult).verdict!.reveal.answer = stored.answer;
          return true;
        },
      ],
      [
        'a live reveal before its question',
        (_s, q, rec) => (
          rec.unshift({
            label: 'live #0 reveal',
            body: { type: 'reveal', questionId: q.id, position: 0, answer: (q as GradedQuestion).answer },
          }),
          true
        ),
      ],
    ];
    let planted = 0;
    for (const q of questions) {
      expect(leaksIn(baseline(q), questions).problems, q.id).toEqual([]);
      for (const [what, mutate] of plant) {
        const rec = baseline(q);
        if (!mutate(rec[0]!.body as State, q, rec)) continue;
        planted++;
        expect(
          leaksIn(rec, questions).problems.length,
          `${what} in ${q.id} (${q.type}) went unnoticed`,
        ).toBeGreaterThan(0);
      }
    }
    expect(planted).toBeGreaterThan(80);

    // Ids that stay the same from one session to the next, even if no stored id: a key would carry over by them.
    const other = await SessionIds.create('another session', bankKeys);
    for (const q of questions) {
      const elsewhere = inSession(other, storedAs.get(q.id)!, 'participant-y');
      expect(sharedIds(baseline(q), baseline(elsewhere)), q.id).toEqual([]);
      expect(sharedIds(baseline(q), baseline(q)).length, q.id).toBeGreaterThan(0);
    }
  });

  it('the bank itself does not encode answers in ids, authored positions or sorted order', () => {
    const singles = bank.filter((q): q is Extract<Question, { type: 'single' }> => q.type === 'single');
    const share = (values: unknown[]) =>
      Math.max(...[...new Set(values.map(String))].map((v) => values.filter((x) => String(x) === v).length)) /
      values.length;
    // Picking "always option a" or "always the first" must not pay.
    expect(share(singles.map((q) => q.answer))).toBeLessThan(0.4);
    expect(share(singles.map((q) => q.options.findIndex((o) => o.id === q.answer)))).toBeLessThan(0.4);
    for (const q of bank) {
      if (q.type === 'ordering') {
        // Sorting the items by id (or by authored position) must not solve it.
        expect([...q.answer].sort().join(), q.id).not.toBe(q.answer.join());
        expect(q.options.map((o) => o.id).join(), q.id).not.toBe(q.answer.join());
      }
      if (q.type === 'matching') {
        const left = q.options.map((o) => o.id).sort();
        const right = q.targets.map((o) => o.id).sort();
        expect(
          Object.entries(q.answer).every(([l, t]) => left.indexOf(l) === right.indexOf(t)),
          q.id,
        ).toBe(false);
        expect(
          Object.entries(q.answer).every(([l, t]) => l === t),
          q.id,
        ).toBe(false);
      }
    }
  });

  it('no bank question, served to any of 200 students, carries its key, a flag or its proof', () => {
    const keys = new Map(bank.map((q) => [q.id, q]));
    for (const q of bank)
      for (let seed = 0; seed < 200; seed++) {
        const served = toStudent(q, `student-${seed}`, { shuffleOptions: seed % 2 === 0 });
        const problems = leaksOf({ label: `toStudent(${q.id}, ${seed})`, body: { question: served } }, q, keys);
        if (problems.length) expect.fail(problems.join('\n'));
      }
  });

  it('a full self-paced game: nothing gives an answer away before the student answered it, nor names it as another session does', async () => {
    const s = await sessionFrom(EVERY_TYPE, { shuffleOptions: true, timeLimitSec: 60 });
    // Ben plays the same questions in another teacher's session.
    const elsewhere = await sessionFrom(EVERY_TYPE, { shuffleOptions: true, timeLimitSec: 60 });
    const questions = await questionsOf(EVERY_TYPE);
    const amy = new Device('Amy');
    const ben = new Device('Ben');
    await amy.join(s.code);
    await ben.join(elsewhere.code);
    // Amy looks for answers where there are none: the review before the end, a question ahead.
    expectError(await amy.call('/api/play/review'), 409, 'not_finished');
    await playThrough(amy, (i) => (i % 3 === 0 ? 'wrong' : i % 3 === 1 ? 'right' : 'none'));
    await playThrough(ben, (i) => (i % 2 ? 'right' : 'wrong'));
    expect((await amy.call('/api/play/review')).status).toBe(200);
    for (const d of [amy, ben]) {
      expect(d.received.length).toBeGreaterThan(5 * EVERY_TYPE.length);
      // Each question was revealed to the student exactly when they answered it.
      for (const q of asReceived(d.received, questions, []))
        expect(
          d.received.some((r) => revealsIn(r.body).includes(q.id)),
          q.id,
        ).toBe(true);
      expect(expectNoLeaks(d.received, questions)).toBeGreaterThan(100);
    }
    expectNoSharedIds(amy.received, ben.received);
  });

  it('feedback at the end: no verdict, score or answer reaches the student before they finished', async () => {
    const ids = EVERY_TYPE.slice(0, 5);
    const s = await sessionFrom(ids, { feedback: 'end', shuffleOptions: true });
    const questions = await questionsOf(ids);
    const cat = new Device('Cat');
    await cat.join(s.code);
    const final = await playThrough(cat, (i) => (i % 2 ? 'right' : 'wrong'));
    expect(final.me.finished).toBe(true);
    // Nothing was revealed while playing: the answers' verdicts were all null, scores hidden.
    const answerResults = cat.received
      .filter((r) => r.label.startsWith('POST /api/play/answers'))
      .map((r) => r.body as AnswerResult);
    expect(answerResults.slice(0, -2).every((r) => r.verdict === null && r.me.score === null)).toBe(true);
    expectNoLeaks(cat.received, questions);
    // After finishing, the review shows everything.
    const review = await cat.call('/api/play/review');
    expect(review.json.items).toHaveLength(ids.length);
  });

  it('feedback at the end: the leaderboard does not give the verdicts away while the student plays', async () => {
    // A true/false question answered "true" that scores nothing was "false": a score that moves
    // during the game decodes to the answers the session holds back until the end.
    const ids = [byType('truefalse').id, byType('truefalse', 1).id, byType('single').id];
    const s = await sessionFrom(ids, { feedback: 'end' });
    const dee = new Device('Dee');
    await dee.join(s.code);
    const seen: unknown[] = [];
    for (let i = 0; i < ids.length; i++) {
      const st = (await dee.call('/api/play')).json as PlayState;
      const q = await keyFor(s.id, st.current!.question);
      const res = await dee.call('/api/play/answers', {
        body: { questionId: q.id, response: i === 0 ? rightResponse(q) : wrongResponse(q) },
      });
      expect(res.status, res.text).toBe(200);
      if (i === ids.length - 1) break;
      const board = await dee.call('/api/play/leaderboard');
      seen.push(board.json);
      const own = board.json.me ?? {};
      const row = (board.json.entries ?? []).find((e: { nickname: string }) => e.nickname === 'Dee') ?? {};
      expect(
        [own.score ?? 0, own.correct ?? 0, row.score ?? 0, row.correct ?? 0],
        `leaderboard after answer ${i + 1}: ${JSON.stringify(board.json)}`,
      ).toEqual([0, 0, 0, 0]);
    }
    expect(seen).toHaveLength(ids.length - 1);
  });

  it('a full live game: nothing gives an answer away before the reveal, across a pause, a sync and a reconnect', async () => {
    const s = await sessionFrom(EVERY_TYPE, { shuffleOptions: true, timeLimitSec: 30 }, { mode: 'live' });
    const questions = await questionsOf(EVERY_TYPE);
    const host = await LiveClient.host(s);
    await host.next('welcome');
    const devices = [new Device('Amy'), new Device('Ben'), new Device('Cat')];
    const sockets = new Map<Device, LiveClient>();
    const participant = new Map<Device, string>();
    for (const d of devices) {
      await d.join(s.code);
      // A live session is not played over the self-paced routes.
      expectError(await d.call('/api/play'), 409, 'live_session');
      const client = await d.live();
      participant.set(d, (await client.next('welcome')).me!.participantId);
      await host.next('player');
      sockets.set(d, client);
    }
    const [amy, ben, cat] = devices as [Device, Device, Device];
    const ids = await sessionIdsOf(s.id, questions);
    host.send({ type: 'start' });
    for (let position = 0; position < EVERY_TYPE.length; position++) {
      const q = await host.next('question');
      expect(q.position).toBe(position);
      const k = await keyFor(s.id, q.question);
      const stored = questions.find((x) => x.id === ids.bankId(q.question.id))!;
      // Each student gets their own shuffle of the choices (seeded by their id), never the projector's.
      for (const d of devices)
        expect((await sockets.get(d)!.next('question')).question).toEqual(
          ids.student(toStudent(stored, participant.get(d)!, { shuffleOptions: true })),
        );
      if (position === 1) {
        host.send({ type: 'pause' });
        for (const d of devices) await sockets.get(d)!.next('paused');
        host.send({ type: 'resume' });
        for (const d of devices) await sockets.get(d)!.next('resumed');
      }
      if (position === 2) {
        // Cat reloads mid-question, and asks for a snapshot.
        const old = sockets.get(cat)!;
        const again = await cat.live();
        await again.next('welcome');
        await again.next('question');
        await old.closedWith();
        cat.record(old, 'live (first socket)');
        sockets.set(cat, again);
        again.send({ type: 'sync' });
        await again.next('welcome');
        await again.next('question');
      }
      sockets.get(amy)!.send({ type: 'answer', questionId: k.id, response: rightResponse(k) });
      expect(await sockets.get(amy)!.next('ack')).toEqual({ type: 'ack', questionId: k.id, repeated: false });
      sockets.get(ben)!.send({ type: 'answer', questionId: k.id, response: wrongResponse(k) });
      expect(await sockets.get(ben)!.next('ack')).toEqual({ type: 'ack', questionId: k.id, repeated: false });
      // Ben tries again with the right answer: a repeat, which says nothing about the first.
      sockets.get(ben)!.send({ type: 'answer', questionId: k.id, response: rightResponse(k) });
      expect(await sockets.get(ben)!.next('ack')).toEqual({ type: 'ack', questionId: k.id, repeated: true });
      // Cat answers every other question; otherwise the teacher reveals without her.
      if (position % 2 === 0) sockets.get(cat)!.send({ type: 'answer', questionId: k.id, response: rightResponse(k) });
      else host.send({ type: 'reveal' });
      await host.next('reveal');
      for (const d of devices) {
        await sockets.get(d)!.next('reveal');
        await sockets.get(d)!.next('result');
      }
      host.send({ type: 'next' });
      if (position < EVERY_TYPE.length - 1) {
        await host.next('leaderboard');
        for (const d of devices) await sockets.get(d)!.next('leaderboard');
        host.send({ type: 'next' });
      }
    }
    await host.next('final');
    for (const d of devices) {
      await sockets.get(d)!.next('final');
      d.record(sockets.get(d)!, 'live');
      const types = new Set(d.received.map((r) => (r.body as ServerMessage).type));
      // Students never get the projector's messages.
      expect(types.has('answerCount')).toBe(false);
      for (const q of asReceived(d.received, questions, []))
        expect(
          d.received.some((r) => revealsIn(r.body).includes(q.id)),
          q.id,
        ).toBe(true);
      expect(expectNoLeaks(d.received, questions)).toBeGreaterThan(100);
    }
  });

  it(
    'with shuffled options the right choice moves around across students; items to order and match always do',
    { timeout: 120_000 },
    async () => {
      const ids = [
        byType('single').id,
        byType('single', 1).id,
        byType('multi').id,
        byType('ordering').id,
        byType('matching').id,
      ];
      const questions = await questionsOf(ids);
      // Through the API: what each student is served is the per-student shuffle of their participant id.
      const shuffled = await sessionFrom(ids, { shuffleOptions: true, timeLimitSec: 0 });
      const plain = await sessionFrom(ids, { shuffleOptions: false, timeLimitSec: 0 });
      const servedSingle: string[] = [];
      for (const [session, shuffleOptions, n] of [
        [shuffled, true, 12],
        [plain, false, 6],
      ] as const) {
        const sessionIds = await sessionIdsOf(session.id, questions);
        for (let i = 0; i < n; i++) {
          const d = new Device(`S${i}`);
          await d.join(session.code);
          await settle(session.id);
          const { id } = (await env.DB.prepare('SELECT id FROM participants WHERE session_id = ? AND nickname = ?')
            .bind(session.id, d.nickname)
            .first<{ id: string }>())!;
          for (;;) {
            const st = (await d.call('/api/play')).json as PlayState;
            if (!st.current) break;
            const served = st.current.question;
            const q = questions.find((x) => x.id === sessionIds.bankId(served.id))!;
            expect(served, q.id).toEqual(sessionIds.student(toStudent(q, id, { shuffleOptions })));
            if (shuffleOptions && q.id === ids[0]) servedSingle.push(served.options!.map((o) => o.id).join());
            if (!shuffleOptions && (q.type === 'single' || q.type === 'multi'))
              expect(
                served.options!.map((o) => o.text),
                q.id,
              ).toEqual(q.options.map((o) => o.text));
            await d.call('/api/play/answers', { body: { questionId: served.id, response: null } });
          }
          expectNoLeaks(d.received, questions);
        }
      }
      expect(new Set(servedSingle).size).toBeGreaterThan(1);

      // Over 600 students (participant ids are 12 random bytes, as when joining).
      const STUDENTS = 600;
      const share = (values: string[]) =>
        Math.max(...values.map((v) => values.filter((x) => x === v).length)) / values.length;
      const students = Array.from({ length: STUDENTS }, () => randomToken(12));
      for (const q of questions) {
        const orders = students.map((id) => {
          const served = toStudent(q, id, { shuffleOptions: true });
          return (q.type === 'matching' ? served.targets! : served.options!).map((o) => o.id);
        });
        if (q.type === 'single' || q.type === 'multi') {
          const answer = q.type === 'single' ? [q.answer] : q.answer;
          // Where the right choices stand: every place occurs, none much more than its share.
          const places = orders.map((o) => answer.map((a) => o.indexOf(a)).join());
          if (q.type === 'single') expect(new Set(places).size, q.id).toBe(q.options.length);
          expect(share(places), q.id).toBeLessThan(q.type === 'single' ? 1.5 / q.options.length : 0.4);
        }
        if (q.type === 'ordering') {
          expect(
            orders.some((o) => o.join() === q.answer.join()),
            q.id,
          ).toBe(false);
          expect(share(orders.map((o) => o.join())), q.id).toBeLessThan(0.4);
          expect(share(orders.map((o) => String(o.indexOf(q.answer[0]!)))), q.id).toBeLessThan(0.5);
        }
        if (q.type === 'matching') {
          // The targets' order does not line up with the items: aligned pairings are rare, orders vary.
          const aligned = orders.filter((o) => Object.entries(q.answer).every(([l], i) => o[i] === q.answer[l])).length;
          expect(aligned / orders.length, q.id).toBeLessThan(0.2);
          expect(share(orders.map((o) => o.join())), q.id).toBeLessThan(0.3);
        }
      }
    },
  );
});

describe('anti-cheat: an answer key harvested in one session is worthless in another', () => {
  /** The types whose answers name options: a key of them is what stable ids would carry from one session to another. */
  const CHOICE_TYPES = new Set<Question['type']>(['single', 'multi', 'ordering', 'matching']);
  /** An entry of a harvested key: the revealed answer to a question, and its type. */
  type Harvested = { type: Question['type']; answer: GradedQuestion['answer'] | null };
  /** The response that copies a harvested answer. */
  const replay = (k: Harvested) => rightResponse({ type: k.type, answer: k.answer } as Question);

  it('self-paced: what a second nickname collects in session A is refused in session B', async () => {
    const questions = await questionsOf(EVERY_TYPE);
    const a = await sessionFrom(EVERY_TYPE, { shuffleOptions: true, timeLimitSec: 0 });
    // Another teacher's session of the same questions, each student's in their own order.
    const b = await sessionFrom(EVERY_TYPE, { shuffleQuestions: true, shuffleOptions: true, timeLimitSec: 0 });

    // In A, a second nickname skips every question and keeps the answer each reveal shows, by the question id it was shown.
    const harvester = new Device('Harvest');
    await harvester.join(a.code);
    const key = new Map<string, Harvested>();
    for (let st = (await harvester.call('/api/play')).json as PlayState; st.current; ) {
      const { id, type } = st.current.question;
      const res = await harvester.call('/api/play/answers', { body: { questionId: id, response: null } });
      key.set((res.json as AnswerResult).questionId, {
        type,
        answer: (res.json as AnswerResult).verdict!.reveal.answer,
      });
      st = (await harvester.call('/api/play')).json as PlayState;
    }
    expect(key.size).toBe(EVERY_TYPE.length);

    const cheat = new Device('Cheat');
    await cheat.join(b.code);
    let asked = 0;
    for (let st = (await cheat.call('/api/play')).json as PlayState; st.current; asked++) {
      const shown = st.current.question;
      // The key names no question of B, and B takes no answer to a question of A.
      expect(key.has(shown.id)).toBe(false);
      for (const [questionId, k] of key)
        expectError(
          await cheat.call('/api/play/answers', { body: { questionId, response: replay(k) } }),
          409,
          'not_current_question',
        );
      // Every harvested choice answer of this type, the one to this very question included, names no option of B.
      for (const k of key.values())
        if (k.type === shown.type && CHOICE_TYPES.has(k.type))
          expectError(
            await cheat.call('/api/play/answers', { body: { questionId: shown.id, response: replay(k) } }),
            400,
            'invalid_answer',
          );
      const res = await cheat.call('/api/play/answers', { body: { questionId: shown.id, response: null } });
      expect(res.json.verdict).toMatchObject({ correct: false, points: 0 });
      st = (await cheat.call('/api/play')).json as PlayState;
    }
    expect(asked).toBe(EVERY_TYPE.length);
    expect(((await cheat.call('/api/play')).json as PlayState).me).toMatchObject({ score: 0, finished: true });
    await settle(b.id);
    const right = await env.DB.prepare('SELECT count(*) AS n FROM answers WHERE session_id = ? AND correct = 1')
      .bind(b.id)
      .first<{ n: number }>();
    expect(right).toEqual({ n: 0 });
    expectNoSharedIds(harvester.received, cheat.received);
    expectNoLeaks(harvester.received, questions);
    expectNoLeaks(cheat.received, questions);
  });

  it('live: what a student collects from the reveals of game A is refused in game B', async () => {
    const questions = await questionsOf(EVERY_TYPE);
    /** A live game of every type with one student, the teacher's socket and the student's open. */
    const game = async (nickname: string) => {
      const s = await sessionFrom(EVERY_TYPE, { shuffleOptions: true, timeLimitSec: 0 }, { mode: 'live' });
      const host = await LiveClient.host(s);
      await host.next('welcome');
      const device = new Device(nickname);
      await device.join(s.code);
      const socket = await device.live();
      await socket.next('welcome');
      host.send({ type: 'start' });
      return { host, device, socket };
    };
    /** The teacher reveals the open question, then opens the next one (or ends the game). */
    const moveOn = async (host: LiveClient, position: number) => {
      host.send({ type: 'reveal' });
      await host.next('reveal');
      host.send({ type: 'next' });
      if (position === EVERY_TYPE.length - 1) return;
      await host.next('leaderboard');
      host.send({ type: 'next' });
    };

    // Game A: the key, from every reveal, by the question id the student was shown.
    const a = await game('Harvest');
    const key = new Map<string, Harvested>();
    for (let position = 0; position < EVERY_TYPE.length; position++) {
      const { question } = await a.socket.next('question');
      await moveOn(a.host, position);
      const reveal = await a.socket.next('reveal');
      expect(reveal.questionId).toBe(question.id);
      key.set(reveal.questionId, { type: question.type, answer: reveal.answer });
    }
    await a.socket.next('final');
    a.device.record(a.socket, 'game A');

    // Game B, another teacher's of the same questions: the key replayed.
    const b = await game('Cheat');
    const refused = async (questionId: string, response: unknown) => {
      b.socket.send({ type: 'answer', questionId, response });
      return (await b.socket.next('error')).code;
    };
    for (let position = 0; position < EVERY_TYPE.length; position++) {
      const { question } = await b.socket.next('question');
      expect(key.has(question.id)).toBe(false);
      // Each harvested id once (more would exceed the socket's frame budget, FRAME_LIMIT).
      if (position === 0)
        for (const [questionId, k] of key) expect(await refused(questionId, replay(k))).toBe('not_current_question');
      for (const k of key.values())
        if (k.type === question.type && CHOICE_TYPES.has(k.type))
          expect(await refused(question.id, replay(k))).toBe('invalid_answer');
      await moveOn(b.host, position);
      expect(await b.socket.next('result')).toMatchObject({ answered: false, correct: false, points: 0 });
    }
    expect((await b.socket.next('final')).me).toMatchObject({ score: 0, correct: 0 });
    b.device.record(b.socket, 'game B');
    expectNoSharedIds(a.device.received, b.device.received);
    expectNoLeaks(a.device.received, questions);
    expectNoLeaks(b.device.received, questions);
  });
});

describe('anti-cheat: answers name option ids, never positions', () => {
  it('students served different orders are graded alike by option id; a position is refused', async () => {
    const q = byType('single');
    const s = await sessionFrom([q.id, byType('multi').id], { shuffleOptions: true });
    const orders = new Set<string>();
    for (let i = 0; i < 12 && orders.size < 3; i++) {
      const d = new Device(`P${i}`);
      await d.join(s.code);
      const st = (await d.call('/api/play')).json as PlayState;
      orders.add(st.current!.question.options!.map((o) => o.id).join());
      const k = await keyFor(s.id, st.current!.question);
      if (k.type !== 'single') throw new Error('expected the single choice first');
      const index = st.current!.question.options!.findIndex((o) => o.id === k.answer);
      expect(index).toBeGreaterThanOrEqual(0);
      for (const response of [{ optionId: index }, { optionId: String(index) }, { index }, { position: index }, index])
        expect(
          (await d.call('/api/play/answers', { body: { questionId: k.id, response } })).status,
          JSON.stringify(response),
        ).toBe(400);
      const res = await d.call('/api/play/answers', { body: { questionId: k.id, response: { optionId: k.answer } } });
      expect(res.json.verdict).toMatchObject({ correct: true });
    }
    // Several different orders were served, and the right id was right in each.
    expect(orders.size).toBeGreaterThan(1);
  });
});

describe('anti-cheat: time is the server’s, and questions come in turn', () => {
  it('refuses extra timing fields, stores server time, scores a late answer 0', async () => {
    const ids = EVERY_TYPE.slice(0, 3);
    const s = await sessionFrom(ids, { timeLimitSec: 20 });
    const d = new Device('Dan');
    await d.join(s.code);
    const st = (await d.call('/api/play')).json as PlayState;
    const q = await keyFor(s.id, st.current!.question);
    await age(d.token, 9_000);
    // A client claiming it answered in 1 ms, in the body or inside the response: refused, nothing stored.
    for (const body of [
      { questionId: q.id, response: rightResponse(q), timeMs: 1 },
      { questionId: q.id, response: rightResponse(q), answeredAt: Date.now() - 19_000, servedAt: Date.now() - 19_001 },
      { questionId: q.id, response: { ...(rightResponse(q) as object), timeMs: 1 } },
    ]) {
      const res = await d.call('/api/play/answers', { body });
      expect(res.status, res.text).toBe(400);
      expect(JSON.stringify(res.json)).not.toContain(q.explanation!.en);
    }
    const stored = () =>
      env.DB.prepare('SELECT count(*) AS n FROM answers WHERE session_id = ?').bind(s.id).first<{ n: number }>();
    await settle(s.id);
    expect((await stored())!.n).toBe(0);
    // Headers claiming a time are ignored.
    const served = await env.DB.prepare('SELECT served_at FROM participants WHERE session_id = ?')
      .bind(s.id)
      .first<{ served_at: number }>();
    const res = await d.call('/api/play/answers', {
      body: { questionId: q.id, response: rightResponse(q) },
      headers: {
        Date: new Date(served!.served_at + 1).toUTCString(),
        'X-Client-Time': String(served!.served_at + 1),
        'X-Time-Ms': '1',
      },
    });
    expect(res.status, res.text).toBe(200);
    await settle(s.id);
    const row = await env.DB.prepare('SELECT time_ms, answered_at, points FROM answers WHERE session_id = ?')
      .bind(s.id)
      .first<{ time_ms: number; answered_at: number; points: number }>();
    // The stored time is the server's: receive time minus the time it served the question (≥ the 9 s that passed).
    expect(row!.time_ms).toBe(row!.answered_at - served!.served_at);
    expect(row!.time_ms).toBeGreaterThanOrEqual(9_000);
    expect(res.json.verdict.timeMs).toBe(row!.time_ms);
    expect(row!.points).toBe(Math.round(1000 * (1 - row!.time_ms / 40_000)));

    // Past the limit: right, but 0 points.
    const next = (await d.call('/api/play')).json as PlayState;
    const q2 = await keyFor(s.id, next.current!.question);
    await age(d.token, 20_001);
    const late = await d.call('/api/play/answers', { body: { questionId: q2.id, response: rightResponse(q2) } });
    expect(late.json.verdict).toMatchObject({ correct: true, late: true, points: 0 });
    expect(late.json.me.score).toBe(row!.points);
  });

  it('serves only the current question; answers to any other one are refused without a reveal', async () => {
    const ids = EVERY_TYPE.slice(0, 4);
    const s = await sessionFrom(ids, { timeLimitSec: 30 });
    const questions = await questionsOf(ids);
    // The keys as this session names them (a classmate further on would have seen these ids).
    const sessionIds = await sessionIdsOf(s.id, questions);
    const keys = questions.map((q) => asServed(q, sessionIds.student(toStudent(q, 'a classmate'))));
    const d = new Device('Eve');
    await d.join(s.code);
    // Before the first question is served, an answer to it is refused.
    expectError(
      await d.call('/api/play/answers', { body: { questionId: keys[0]!.id, response: rightResponse(keys[0]!) } }),
      409,
      'not_served',
    );
    const st = (await d.call('/api/play')).json as PlayState;
    expect(st.current!.question.id).toBe(keys[0]!.id);
    // Ways to ask for another question: ignored or not found, never another question.
    for (const path of [
      '/api/play?position=2',
      `/api/play?questionId=${keys[2]!.id}`,
      '/api/play/next',
      `/api/play/questions/${keys[2]!.id}`,
      '/api/play/1',
    ]) {
      const res = await d.call(path);
      if (res.status === 200) expect((res.json as PlayState).current!.question.id, path).toBe(keys[0]!.id);
      else expect(res.status, path).toBe(404);
    }
    // Answering ahead is refused, and the refusal reveals nothing.
    for (const later of keys.slice(1)) {
      const res = await d.call('/api/play/answers', { body: { questionId: later.id, response: rightResponse(later) } });
      expectError(res, 409, 'not_current_question');
    }
    // The first is still open with its own clock; answering it moves on to the second, which starts its clock only when served.
    expect(
      (await d.call('/api/play/answers', { body: { questionId: keys[0]!.id, response: wrongResponse(keys[0]!) } }))
        .status,
    ).toBe(200);
    expectError(
      await d.call('/api/play/answers', { body: { questionId: keys[1]!.id, response: rightResponse(keys[1]!) } }),
      409,
      'not_served',
    );
    await settle(s.id);
    const second = await env.DB.prepare('SELECT position, served_at FROM participants WHERE session_id = ?')
      .bind(s.id)
      .first<{ position: number; served_at: number | null }>();
    expect(second).toEqual({ position: 1, served_at: null });
    expect(((await d.call('/api/play')).json as PlayState).current!.question.id).toBe(keys[1]!.id);
    expect(
      await env.DB.prepare('SELECT count(*) AS n FROM answers WHERE session_id = ?').bind(s.id).first<{ n: number }>(),
    ).toEqual({ n: 1 });
    expectNoLeaks(d.received, questions);
  });

  it('live: extra timing fields are refused, the stored time is the room’s, late answers score 0, no question before its turn', async () => {
    const ids = EVERY_TYPE.slice(0, 3);
    const s = await sessionFrom(ids, { timeLimitSec: 20 }, { mode: 'live' });
    const questions = await questionsOf(ids);
    const sessionIds = await sessionIdsOf(s.id, questions);
    const keys = questions.map((q) => asServed(q, sessionIds.student(toStudent(q, 'a classmate'))));
    const host = await LiveClient.host(s);
    await host.next('welcome');
    const d = new Device('Fay');
    const other = new Device('Gus');
    await d.join(s.code);
    await other.join(s.code);
    const fay = await d.live();
    const gus = await other.live();
    await fay.next('welcome');
    await gus.next('welcome');
    // In the lobby: no question, and answering one (its id guessed) is refused.
    fay.send({ type: 'answer', questionId: keys[0]!.id, response: rightResponse(keys[0]!) });
    expect(await fay.next('error')).toMatchObject({ code: 'not_now' });
    fay.send({ type: 'sync' });
    await fay.next('welcome');
    // Nothing of the first question reached the lobby.
    expect(fay.messages.filter((m) => m.type === 'question')).toEqual([]);
    host.send({ type: 'start' });
    const q = await fay.next('question');
    await gus.next('question');
    expect(q.question.id).toBe(keys[0]!.id);
    // Ahead of its turn: refused.
    fay.send({ type: 'answer', questionId: keys[1]!.id, response: rightResponse(keys[1]!) });
    expect(await fay.next('error')).toMatchObject({ code: 'not_current_question' });
    // A claimed time: refused as malformed, nothing stored.
    fay.send({ type: 'answer', questionId: keys[0]!.id, response: rightResponse(keys[0]!), timeMs: 1 } as never);
    expect(await fay.next('error')).toMatchObject({ code: 'malformed' });
    fay.send({
      type: 'answer',
      questionId: keys[0]!.id,
      response: { ...(rightResponse(keys[0]!) as object), answeredAt: 0 },
    });
    expect(await fay.next('error')).toMatchObject({ code: 'invalid_answer' });
    await rewind(s.id, 8_000);
    fay.send({ type: 'answer', questionId: keys[0]!.id, response: rightResponse(keys[0]!) });
    await fay.next('ack');
    const stored = await runInDurableObject(roomOf(s.id), (_r, state) =>
      state.storage.sql
        .exec<{ time_ms: number; answered_at: number; base: number }>('SELECT time_ms, answered_at, base FROM answers')
        .toArray(),
    );
    const started = JSON.parse(
      await runInDurableObject(
        roomOf(s.id),
        (_r, state) => state.storage.sql.exec<{ v: string }>(`SELECT v FROM meta WHERE k = 'game'`).one().v,
      ),
    ) as { startedAt: number };
    expect(stored).toHaveLength(1);
    expect(stored[0]!.time_ms).toBe(stored[0]!.answered_at - started.startedAt);
    expect(stored[0]!.time_ms).toBeGreaterThanOrEqual(8_000);
    // Gus answers after the deadline: right, but 0 points, and it closes the question.
    await rewind(s.id, 13_000);
    gus.send({ type: 'answer', questionId: keys[0]!.id, response: rightResponse(keys[0]!) });
    await gus.next('ack');
    expect(await gus.next('result')).toMatchObject({ correct: true, late: true, points: 0 });
    const fayResult = await fay.next('result');
    expect(fayResult).toMatchObject({ correct: true, late: false });
    expect(fayResult.points).toBe(Math.round(1000 * (1 - stored[0]!.time_ms / 40_000)));
    // After the reveal the closed question cannot be answered again.
    fay.send({ type: 'answer', questionId: keys[1]!.id, response: rightResponse(keys[1]!) });
    expect(await fay.next('error')).toMatchObject({ code: 'question_closed' });
    d.record(fay, 'live');
    other.record(gus, 'live');
    expectNoLeaks(d.received, questions);
    expectNoLeaks(other.received, questions);
  });
});
