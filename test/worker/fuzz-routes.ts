/**
 * Every HTTP route of the Worker as the fuzz drives it: its credentials, path parameters, query
 * and valid example bodies (which the fuzz mutates), and the runner of one property per route.
 * The `fuzz*.test.ts` files each run a share of {@link ROUTES} (vitest runs files in parallel).
 */
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { sha256 } from '../../worker/lib/crypto';
import {
  bodyArb,
  contentTypeArb,
  encodeQuery,
  headerValue,
  ipArb,
  nastySegment,
  nastyString,
  ORIGIN,
  params as fcParams,
  paramArb,
  queryArb,
  Ref,
  ref,
  refN,
  resolveDeep,
  RUNS,
  sendAndCheck,
  Tally,
  timeoutFor,
  toJsonText,
  type Answer,
  type Body,
  type Produces,
  type Sent,
} from './fuzz-kit';
import {
  ARTICLE,
  asPlayStudent,
  authArb,
  cleanUp,
  later,
  PASSWORD,
  resolveRef,
  World,
  type AuthChoice,
  type CaseState,
  UNREACHABLE_CLOUD,
} from './fuzz-world';
import { QUESTION_TYPES, TOPICS } from '../../worker/contract';

export interface Route {
  method: string;
  /** With `:name` parameters, filled from {@link Route.params}. */
  path: string;
  auth: fc.Arbitrary<AuthChoice>;
  params?: Record<string, fc.Arbitrary<string | Ref>>;
  query?: ReturnType<typeof queryArb>;
  /** Valid bodies, mutated by the fuzz (none: arbitrary bodies only). */
  examples?: (w: World) => unknown[];
  produces?: Produces[];
  /** Extra headers this route cares about. */
  headers?: fc.Arbitrary<[string, string][]>;
  /** Runs before the case's references are resolved (e.g. serves a student's question). */
  before?: (w: World, state: CaseState) => Promise<void>;
  /** Runs after a case's answer was checked (e.g. to delete what it created). */
  after?: (answer: Answer, state: CaseState) => void | Promise<void>;
}

/** Deletes the row a 201 created (its `id` in the answer) after the case. */
const dropCreated =
  (table: 'sessions' | 'quizzes' | 'link_tokens') =>
  (a: Answer, state: CaseState): void => {
    const id = (a.json as { id?: unknown } | null)?.id;
    if (a.status === 201 && typeof id === 'string') later(state, `DELETE FROM ${table} WHERE id = ?`, id);
  };

/** The query of a CSV export: its language and time zone (real, unknown, mis-cased), and `more` keys. */
const exportQueryArb = (more: Record<string, fc.Arbitrary<string>> = {}) =>
  queryArb({
    lang: fc.constantFrom('zh', 'en', 'both', 'ZH'),
    tz: fc.constantFrom('Asia/Shanghai', 'UTC', 'America/New_York', 'asia/shanghai', 'Asia/Beijing', '+08:00'),
    ...more,
  });

export const routeName = (r: Pick<Route, 'method' | 'path'>) => `${r.method} ${r.path}`;

const now = Date.now();
const upgrade = fc.oneof(
  { weight: 8, arbitrary: fc.constant<[string, string][]>([['Upgrade', 'websocket']]) },
  { weight: 1, arbitrary: fc.constant<[string, string][]>([['Upgrade', 'WebSocket']]) },
  { weight: 1, arbitrary: fc.constant<[string, string][]>([]) },
  { weight: 1, arbitrary: headerValue.map((v): [string, string][] => [['Upgrade', v]]) },
);
const sessionParam = paramArb(
  ref('session'),
  ref('anonSession'),
  ref('otherSession'),
  ref('liveSession'),
  ref('closedSession'),
  ref('freshSession'),
  ref('freshAnonSession'),
);
const settings = {
  timeLimitSec: 30,
  shuffleQuestions: true,
  shuffleOptions: false,
  feedback: 'end',
  showLeaderboard: false,
  lang: 'zh',
  partialCredit: true,
};
/** A session id on the cloud: one whose header was received, one never sent, another account's. */
const syncParam = paramArb(ref('syncedSession'), ref('freshSyncId'), ref('otherSession'));
type Pair = readonly [string, string | Ref];
/** Made-up tickets: well-formed (a session id, a dot, a secret), some of real sessions, or not. */
const ticketish = fc.oneof(
  fc.constant(ref('liveToken')),
  fc.stringMatching(/^[A-Za-z0-9_-]{8,32}\.[A-Za-z0-9_-]{16,128}$/),
  fc.stringMatching(/^[A-Za-z0-9_-]{16,128}$/),
  nastyString,
);

export const ROUTES: Route[] = [
  { method: 'GET', path: '/api/health', auth: authArb('none') },
  { method: 'GET', path: '/api/join-origin', auth: authArb('none') },
  // Teacher accounts
  {
    method: 'POST',
    path: '/api/auth/register',
    auth: authArb('none'),
    examples: () => [
      { email: ref('freshEmail'), name: 'Ms Fuzz', password: PASSWORD },
      { email: ref('teacherEmail'), name: 'Already there', password: PASSWORD },
    ],
  },
  {
    method: 'POST',
    path: '/api/auth/signin',
    auth: authArb('none'),
    examples: () => [
      { email: ref('teacherEmail'), password: ref('password') },
      { email: 'nobody@school.example', password: 'not the password' },
    ],
  },
  {
    method: 'POST',
    path: '/api/auth/signout',
    auth: authArb('teacher', { cookieRef: 'freshCookie' }),
    examples: () => [{}],
  },
  { method: 'GET', path: '/api/auth/me', auth: authArb('teacher') },
  { method: 'GET', path: '/api/auth/blocklist', auth: authArb('teacher') },
  {
    method: 'PUT',
    path: '/api/auth/blocklist',
    auth: authArb('teacher', { cookieRef: 'pwCookie' }),
    examples: () => [{ words: ['pikachu', '坏蛋', 'ＡＢＣ'] }, { words: [] }],
  },
  {
    method: 'POST',
    path: '/api/auth/password',
    auth: authArb('teacher', { cookieRef: 'pwCookie' }),
    examples: () => [
      { current: ref('password'), next: 'another good password' },
      { current: 'not the password', next: PASSWORD },
    ],
  },
  { method: 'GET', path: '/api/auth/account', auth: authArb('teacher') },
  {
    method: 'PUT',
    path: '/api/auth/account',
    auth: authArb('teacher', { cookieRef: 'pwCookie' }),
    examples: () => [{ keepResultsDays: 30 }, { keepResultsDays: 365 }, { keepResultsDays: 6 }],
  },
  // The account with the least in it: an export per case stays small.
  { method: 'GET', path: '/api/auth/account/export', auth: authArb('teacher', { cookieRef: 'pwCookie' }) },
  {
    method: 'DELETE',
    path: '/api/auth/account',
    auth: authArb('teacher', { cookieRef: 'accountCookie' }),
    examples: () => [{ password: ref('password') }, { password: 'not the password' }],
  },
  { method: 'GET', path: '/api/bank', auth: authArb('none') },
  { method: 'GET', path: '/api/bank/relations', auth: authArb('none') },
  // Link tokens (the cloud's account page: a classroom laptop's credentials)
  { method: 'GET', path: '/api/link-tokens', auth: authArb('teacher') },
  {
    method: 'POST',
    path: '/api/link-tokens',
    auth: authArb('teacher', { cookieRef: 'writerCookie' }),
    examples: () => [{ name: 'Room 204' }, { name: '  初二(3)班的电脑  ' }, { name: ' ' }],
    after: dropCreated('link_tokens'),
  },
  {
    method: 'DELETE',
    path: '/api/link-tokens/:id',
    auth: authArb('teacher'),
    params: { id: paramArb(ref('freshLinkToken')) },
  },
  // The cloud's sync API (a laptop sends a closed session in steps, takes its library)
  { method: 'GET', path: '/api/sync/account', auth: authArb('link') },
  { method: 'GET', path: '/api/sync/library', auth: authArb('link') },
  {
    method: 'GET',
    path: '/api/sync/sessions/:id',
    auth: authArb('link'),
    params: { id: syncParam },
  },
  {
    method: 'PUT',
    path: '/api/sync/sessions/:id',
    auth: authArb('link'),
    params: { id: syncParam },
    examples: (w) => [
      w.syncHeader,
      { ...w.syncHeader, session: { ...w.syncHeader.session, title: 'Renamed on the laptop', locked: true } },
      { ...w.syncHeader, questions: [] },
    ],
  },
  {
    method: 'POST',
    path: '/api/sync/sessions/:id/participants',
    auth: authArb('link'),
    params: { id: syncParam },
    examples: (w) => [
      { participants: [{ ...w.syncStudent, id: ref('syncStudentId') }] },
      {
        participants: [
          { ...w.syncStudent, id: ref('syncStudentId'), nickname: 'Amy', nicknameKey: 'amy' },
          { ...w.syncStudent, id: ref('syncStudentId', 1), nickname: 'Ben', nicknameKey: 'ben' },
        ],
      },
      { participants: [] },
    ],
  },
  {
    method: 'POST',
    path: '/api/sync/sessions/:id/complete',
    auth: authArb('link'),
    params: { id: syncParam },
    examples: () => [
      { participants: 0, answers: 0 },
      { participants: 1, answers: 0 },
    ],
  },
  // The laptop's side of the link (`teacher` is linked to a cloud that cannot be reached)
  { method: 'GET', path: '/api/cloud/link', auth: authArb('teacher') },
  {
    method: 'PUT',
    path: '/api/cloud/link',
    auth: authArb('teacher', { cookieRef: 'writerCookie' }),
    examples: () => [
      { url: UNREACHABLE_CLOUD, token: `pgl_${'a'.repeat(43)}` },
      { url: `${UNREACHABLE_CLOUD}/some/path?q=1`, token: ` pgl_${'B-_9'.repeat(10)}abc ` },
      { url: 'ftp://quiz.example', token: `pgl_${'a'.repeat(43)}` },
    ],
  },
  { method: 'DELETE', path: '/api/cloud/link', auth: authArb('teacher', { cookieRef: 'writerCookie' }) },
  { method: 'GET', path: '/api/cloud/sessions', auth: authArb('teacher') },
  {
    method: 'POST',
    path: '/api/cloud/sessions/:id/send',
    auth: authArb('teacher'),
    params: { id: paramArb(ref('closedSession'), ref('session'), ref('otherSession')) },
    examples: () => [{}, { pageSize: 1, maxPages: 1 }, { pageSize: 200 }],
    // A send records its state (here: the cloud was unreachable); the world's sessions stay unsent.
    after: (_a, state) => {
      if (state.session) later(state, 'DELETE FROM sync_sends WHERE session_id = ?', state.session.id);
    },
  },
  { method: 'POST', path: '/api/cloud/pull', auth: authArb('teacher') },
  // Classes
  { method: 'GET', path: '/api/classes', auth: authArb('teacher') },
  {
    method: 'POST',
    path: '/api/classes',
    auth: authArb('teacher', { cookieRef: 'writerCookie' }),
    examples: () => [{ name: 'Class 7', roster: ['Amy', 'Ben', '王小明'] }, { name: 'Empty class' }],
  },
  {
    method: 'GET',
    path: '/api/classes/:id',
    auth: authArb('teacher'),
    params: { id: paramArb(ref('class'), ref('otherClass')) },
  },
  // Before the class's own PUT, whose examples replace the roster (and so the ids of its names).
  {
    method: 'PUT',
    path: '/api/classes/:id/roster/:rid',
    auth: authArb('teacher'),
    params: { id: paramArb(ref('class'), ref('otherClass')), rid: paramArb(ref('rosterEntry')) },
    examples: () => [{ timeFactor: 1.5 }, { timeFactor: 0 }, { timeFactor: 1 }],
  },
  {
    method: 'PUT',
    path: '/api/classes/:id',
    auth: authArb('teacher'),
    params: { id: paramArb(ref('class'), ref('otherClass'), ref('freshClass')) },
    examples: () => [
      { name: 'Renamed', roster: ['Amy', 'Cat', '王小明', '=SUM(A1)'] },
      { roster: [] },
      { name: 'Only the name' },
    ],
  },
  {
    method: 'DELETE',
    path: '/api/classes/:id',
    auth: authArb('teacher'),
    params: { id: paramArb(ref('freshClass'), ref('otherClass')) },
  },
  {
    method: 'GET',
    path: '/api/classes/:id/report',
    auth: authArb('teacher'),
    params: { id: paramArb(ref('class'), ref('otherClass'), ref('freshClass')) },
  },
  {
    method: 'GET',
    path: '/api/classes/:id/grid.csv',
    auth: authArb('teacher'),
    params: { id: paramArb(ref('class'), ref('otherClass'), ref('freshClass')) },
    query: exportQueryArb(),
    produces: ['json', 'csv'],
  },
  // Join codes
  {
    method: 'GET',
    path: '/api/codes/:code',
    auth: authArb('none'),
    params: { code: paramArb(refN('selfCode'), ref('liveCode'), ref('closedCode'), ref('playCode')) },
  },
  {
    method: 'POST',
    path: '/api/codes/:code/participants',
    auth: authArb('none'),
    params: { code: paramArb(refN('selfCode'), ref('liveCode'), ref('closedCode'), ref('playCode')) },
    examples: () => [
      { nickname: ref('freshNick') },
      { nickname: 'Amy' },
      { nickname: '  Ｂｅｎ  ', device: '0f8e2a9c4b7d1e3f5a6b8c9d0e1f2a3b' },
      { rosterId: ref('rosterEntry') },
    ],
    // The student who joined leaves again, so the session never fills up.
    after: async (a, state) => {
      const token = (a.json as { token?: unknown } | null)?.token;
      if (a.status === 201 && typeof token === 'string')
        later(state, 'DELETE FROM participants WHERE token_hash = ?', await sha256(token));
    },
  },
  // Create from text
  {
    method: 'POST',
    path: '/api/generate',
    auth: authArb('teacher', { cookieRef: 'writerCookie' }),
    examples: () => [{ text: ARTICLE }, { text: 'Too short.' }, { text: 'In 2020 the "Big Five" planted 12 trees.' }],
  },
  {
    method: 'POST',
    path: '/api/generate/accept',
    auth: authArb('teacher', { cookieRef: 'writerCookie' }),
    examples: (w) => [
      { title: 'Generated', drafts: w.draftExamples.slice(0, 3) },
      { title: 'One draft', drafts: w.draftExamples.slice(3, 4) },
    ],
  },
  // The live game: tickets, and the WebSocket a ticket opens (its protocol: fuzz-live.test.ts)
  { method: 'POST', path: '/api/play/live/ticket', auth: authArb('student', { bearerRef: 'liveBearer' }) },
  {
    method: 'POST',
    path: '/api/sessions/:id/live/ticket',
    auth: authArb('manager'),
    params: { id: paramArb(ref('liveSession'), ref('session'), ref('closedSession'), ref('otherSession')) },
    examples: () => [{ screen: 'projector' }, { screen: 'remote' }],
  },
  {
    method: 'GET',
    path: '/api/live',
    auth: authArb('none'),
    query: fc.oneof(
      { weight: 6, arbitrary: fc.constant([['ticket', ref('liveTicket')] as const] as Pair[]) },
      { weight: 2, arbitrary: ticketish.map((v): Pair[] => [['ticket', v]]) },
      // A credential where the ticket belongs opens nothing.
      { weight: 1, arbitrary: fc.constant([['key', ref('liveKey')] as const] as Pair[]) },
      { weight: 1, arbitrary: fc.constant([['token', ref('liveToken')] as const] as Pair[]) },
      { weight: 2, arbitrary: queryArb({ ticket: fc.constant(ref('liveTicket')), key: fc.constant(ref('liveKey')) }) },
    ),
    headers: upgrade,
    produces: ['json', 'ws'],
  },
  // Playing (a student's device)
  { method: 'GET', path: '/api/play', auth: authArb('student') },
  {
    method: 'POST',
    path: '/api/play/answers',
    auth: authArb('student'),
    before: asPlayStudent,
    examples: () => [
      { questionId: ref('currentQuestionId'), response: ref('response') },
      { questionId: ref('currentQuestionId'), response: null },
      { questionId: ref('currentQuestionId'), response: { optionId: ref('optionId') } },
      { questionId: ref('currentQuestionId'), response: { optionIds: [ref('optionId'), ref('optionId', 1)] } },
      {
        questionId: ref('currentQuestionId'),
        response: { order: [ref('optionId'), ref('optionId', 1), ref('optionId', 2)] },
      },
      { questionId: ref('currentQuestionId'), response: { pairs: { a: 'x' } } },
      { questionId: ref('currentQuestionId'), response: { value: 1 } },
      { questionId: ref('currentQuestionId'), response: { text: 'answer' } },
    ],
  },
  {
    method: 'POST',
    path: '/api/play/practice',
    auth: fc.oneof(authArb('student', { bearerRef: 'practiseBearer' }), authArb('student')),
    examples: () => [
      { questionId: ref('practiseQuestionId'), response: ref('practiseResponse') },
      { questionId: ref('practiseQuestionId'), response: null },
      { questionId: ref('practiseQuestionId'), response: { optionId: 'a' } },
      { questionId: 'int-001', response: { value: true } },
    ],
  },
  {
    method: 'GET',
    path: '/api/play/review',
    auth: fc.oneof(authArb('student', { bearerRef: 'finishedBearer' }), authArb('student')),
  },
  {
    method: 'GET',
    path: '/api/play/leaderboard',
    auth: fc.oneof(authArb('student'), authArb('student', { bearerRef: 'selfBearer' })),
    query: queryArb({ limit: fc.constantFrom('1', '2', '100', '500', '501', '0', '-1') }),
  },
  // Questions
  {
    method: 'GET',
    path: '/api/questions',
    auth: authArb('teacher'),
    query: queryArb({
      q: nastyString,
      topic: fc.constantFrom(...TOPICS, 'nope'),
      type: fc.constantFrom(...QUESTION_TYPES, 'essay'),
      difficulty: fc.constantFrom('1', '2', '3', '4', '0'),
      mine: fc.constantFrom('1', '0', '2', 'true'),
      limit: fc.constantFrom('1', '50', '200', '201', '0'),
      offset: fc.constantFrom('0', '1', '100000', '100001', '-1'),
    }),
  },
  {
    method: 'POST',
    path: '/api/questions',
    auth: authArb('teacher', { cookieRef: 'writerCookie' }),
    examples: (w) => w.questionExamples,
  },
  {
    method: 'POST',
    path: '/api/questions/import',
    auth: authArb('teacher', { cookieRef: 'writerCookie' }),
    examples: (w) => [
      { gift: w.giftExample, lang: 'both' },
      { gift: '::Q1:: 1+1=2 {T}\n\n::Q2:: Pick one {=right ~wrong ~also wrong}', lang: 'en' },
      { gift: '// comment\n$CATEGORY: x\n\n::N:: How many? {#4:0.5}\n\n::M:: Match {=a -> 1 =b -> 2 =c -> 3}' },
      { gift: '::多选:: 哪些? {~%50%甲 ~%50%乙 ~%-100%丙}', lang: 'zh' },
    ],
  },
  {
    method: 'PUT',
    path: '/api/questions/:id',
    auth: authArb('teacher'),
    params: { id: paramArb(ref('question'), ref('otherQuestion'), refN('bankQuestion'), ref('freshQuestion')) },
    examples: (w) => w.questionExamples,
  },
  {
    method: 'DELETE',
    path: '/api/questions/:id',
    auth: authArb('teacher'),
    params: { id: paramArb(ref('freshQuestion'), ref('otherQuestion'), refN('bankQuestion')) },
  },
  // Images (an upload is multipart: the fuzz's bodies are refused, never a 5xx)
  { method: 'POST', path: '/api/images', auth: authArb('teacher') },
  {
    method: 'GET',
    path: '/api/images/:id',
    auth: authArb('none'),
    params: { id: paramArb(ref('image')) },
    query: queryArb({ w: fc.constantFrom('1', '8', '640', '0', '-1', '99999', '1.5', 'x') }),
    produces: ['json', 'image'],
  },
  // Quizzes
  { method: 'GET', path: '/api/quizzes', auth: authArb('teacher') },
  {
    method: 'POST',
    path: '/api/quizzes',
    auth: authArb('teacher', { cookieRef: 'writerCookie' }),
    examples: () => [
      { title: 'Quiz', settings, questionIds: [ref('bankQuestion'), ref('bankQuestion', 1), ref('bankQuestion', 2)] },
      { title: 'Empty quiz' },
      { title: 'Default settings', settings: {}, questionIds: [ref('bankQuestion', 7)] },
    ],
  },
  {
    method: 'GET',
    path: '/api/quizzes/:id',
    auth: authArb('teacher'),
    params: { id: paramArb(ref('quiz'), ref('otherQuiz'), ref('freshQuiz')) },
  },
  {
    method: 'PUT',
    path: '/api/quizzes/:id',
    auth: authArb('teacher'),
    params: { id: paramArb(ref('quiz'), ref('otherQuiz'), ref('freshQuiz')) },
    examples: () => [
      { title: 'Renamed', settings: { timeLimitSec: 0 }, questionIds: [ref('bankQuestion'), ref('bankQuestion', 1)] },
      { settings: { feedback: 'now', lang: 'both' } },
      { questionIds: [] },
    ],
  },
  {
    method: 'POST',
    path: '/api/quizzes/:id/duplicate',
    auth: authArb('teacher'),
    params: { id: paramArb(ref('quiz'), ref('otherQuiz'), ref('freshQuiz')) },
    after: dropCreated('quizzes'),
  },
  {
    method: 'GET',
    path: '/api/quizzes/:id/export.gift',
    auth: authArb('teacher'),
    params: { id: paramArb(ref('quiz'), ref('otherQuiz'), ref('freshQuiz')) },
    query: queryArb({ lang: fc.constantFrom('zh', 'en', 'both', 'fr', 'ZH') }),
    produces: ['json', 'text'],
  },
  {
    method: 'DELETE',
    path: '/api/quizzes/:id',
    auth: authArb('teacher'),
    params: { id: paramArb(ref('freshQuiz'), ref('otherQuiz')) },
  },
  // Sessions (teacher side) and their reports
  {
    method: 'POST',
    path: '/api/sessions',
    auth: fc.oneof(authArb('teacher'), authArb('none')),
    after: dropCreated('sessions'),
    examples: () => [
      { title: 'Self-paced', count: 5, timeLimitSec: 30 },
      { title: 'Live', mode: 'live', count: 3 },
      { title: 'From a quiz', quizId: ref('quiz'), classId: ref('class'), allowGuests: true },
      {
        title: 'Filtered',
        mode: 'self',
        topics: ['history', 'culture'],
        types: ['single', 'multi'],
        difficulties: [1, 2],
        count: 2,
        opensAt: now + 3_600_000,
        closesAt: now + 7_200_000,
        maxPlayers: 5,
        seatsPerNetwork: 3,
        ...settings,
        timeLimitSec: 0,
      },
    ],
  },
  { method: 'GET', path: '/api/sessions', auth: authArb('teacher') },
  { method: 'GET', path: '/api/sessions/:id', auth: authArb('manager'), params: { id: sessionParam } },
  {
    method: 'PATCH',
    path: '/api/sessions/:id',
    auth: authArb('manager'),
    params: { id: sessionParam },
    examples: () => [
      { title: 'New title', locked: true },
      { locked: false, opensAt: null, closesAt: null },
      { showLeaderboard: false, maxPlayers: 300, seatsPerNetwork: 250, allowGuests: true },
      { opensAt: now + 1_000_000, closesAt: now + 2_000_000 },
    ],
  },
  { method: 'POST', path: '/api/sessions/:id/close', auth: authArb('manager'), params: { id: sessionParam } },
  { method: 'POST', path: '/api/sessions/:id/reopen', auth: authArb('manager'), params: { id: sessionParam } },
  {
    method: 'DELETE',
    path: '/api/sessions/:id',
    auth: authArb('manager'),
    params: { id: paramArb(ref('freshSession'), ref('freshAnonSession'), ref('freshOtherSession')) },
  },
  {
    method: 'DELETE',
    path: '/api/sessions/:id/participants',
    auth: authArb('manager'),
    params: { id: sessionParam },
    query: queryArb({ answered: fc.constantFrom('none', 'all', '') }),
  },
  {
    method: 'DELETE',
    path: '/api/sessions/:id/participants/:pid',
    auth: authArb('manager'),
    params: { id: sessionParam, pid: paramArb(ref('participant'), ref('otherParticipant')) },
  },
  {
    method: 'PUT',
    path: '/api/sessions/:id/participants/:pid/roster',
    auth: authArb('manager'),
    params: { id: sessionParam, pid: paramArb(ref('participant'), ref('otherParticipant')) },
    examples: () => [{ rosterId: ref('rosterEntry') }, { rosterId: null }],
  },
  { method: 'GET', path: '/api/sessions/:id/report', auth: authArb('manager'), params: { id: sessionParam } },
  {
    method: 'PUT',
    path: '/api/sessions/:id/report/hidden',
    auth: authArb('manager'),
    params: { id: paramArb(ref('cloudSession'), ref('session'), ref('otherSession')) },
    examples: () => [
      { questionId: ref('cloudQuestion'), participantId: ref('cloudParticipant'), hidden: true },
      { questionId: ref('cloudQuestion'), participantId: ref('cloudParticipant'), hidden: false },
      { questionId: ref('question'), participantId: ref('participant'), hidden: true },
    ],
  },
  {
    method: 'GET',
    path: '/api/sessions/:id/export.csv',
    auth: authArb('manager'),
    params: { id: sessionParam },
    query: exportQueryArb(),
    produces: ['json', 'csv'],
  },
  {
    method: 'GET',
    path: '/api/sessions/:id/grid.csv',
    auth: authArb('manager'),
    params: { id: sessionParam },
    query: exportQueryArb({ value: fc.constantFrom('points', 'correct', 'both') }),
    produces: ['json', 'csv'],
  },
];

/** The routes named `method path`; fails on a name that is not a route (a route renamed in the Worker must be renamed here). */
export function routes(...names: string[]): Route[] {
  return names.map((name) => {
    const r = ROUTES.find((x) => routeName(x) === name);
    if (!r) throw new Error(`fuzz: no route ${name}`);
    return r;
  });
}

const isTeacherPart = (r: Route) => /^\/api\/(classes|questions|quizzes|images)(\/|$)/.test(r.path);
const isSessionsPart = (r: Route) => r.path.startsWith('/api/sessions');

/** The routes each fuzz file runs: a partition of {@link ROUTES} (every route in exactly one file). */
export const PARTS = {
  /** fuzz.test.ts: health, accounts, bank, join codes, create from text, the live upgrade, playing (live tickets too). */
  accounts: ROUTES.filter((r) => !isTeacherPart(r) && !isSessionsPart(r)),
  /** fuzz-teacher.test.ts: classes and their reports, questions, quizzes, images. */
  teacher: ROUTES.filter(isTeacherPart),
  /** fuzz-sessions.test.ts: sessions (teacher side) and their reports. */
  sessions: ROUTES.filter(isSessionsPart),
};

const originArb = fc.oneof(
  { weight: 12, arbitrary: fc.constant<string | undefined>(ORIGIN) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<string | undefined>(
      'https://evil.example',
      'null',
      'http://quiz.test.evil.example',
      'HTTP://QUIZ.TEST',
      'http://quiz.test:80',
      '',
    ),
  },
  { weight: 1, arbitrary: fc.constant<string | undefined>(undefined) },
);

const forgedIdentity = encodeURIComponent(
  JSON.stringify({
    role: 'host',
    session: {
      sessionId: 'x',
      code: 'ABCDEF',
      title: 't',
      timeLimitSec: 0,
      lang: 'en',
      partialCredit: false,
      shuffleOptions: false,
      showLeaderboard: true,
      questionCount: 1,
      idSalt: 'forged',
    },
  }),
);
const extraHeaders = fc.array(
  fc.tuple(
    fc.constantFrom(
      'Accept',
      'Accept-Language',
      'Upgrade',
      'X-Live-Identity',
      'X-Forwarded-For',
      'If-None-Match',
      'Range',
      'X-Requested-With',
      'Sec-Fetch-Site',
      'X-HTTP-Method-Override',
    ),
    fc.oneof(headerValue, fc.constant(forgedIdentity)),
  ),
  { maxLength: 2 },
);

/** One generated request for a route, with its references still unresolved. */
export interface Case {
  n: number;
  params: Record<string, string | Ref>;
  query: (readonly [string, string | Ref])[] | string;
  auth: AuthChoice;
  body: Body;
  contentType: string | undefined;
  origin: string | undefined;
  ip: string;
  extra: [string, string][];
}

/** Cases for `route` (bodies built from the world's examples). */
export function caseArb(route: Route, w: World): fc.Arbitrary<Case> {
  const hasBody = route.method !== 'GET' && route.method !== 'HEAD';
  return fc.record({
    n: fc.nat({ max: 1_000_000 }),
    params: fc.record(route.params ?? {}),
    query: route.query ?? queryArb(),
    auth: route.auth,
    body: hasBody ? bodyArb(route.examples?.(w) ?? []) : fc.constant<Body>({ kind: 'none' }),
    contentType: contentTypeArb,
    origin: originArb,
    ip: ipArb,
    extra: route.headers ? fc.tuple(route.headers, extraHeaders).map(([a, b]) => [...a, ...b]) : extraHeaders,
  });
}

/** Resolves a case's references and builds its request. */
export async function buildRequest(method: string, path: string, c: Case, w: World, state: CaseState): Promise<Sent> {
  const resolve = (r: Ref) => resolveRef(w, state, r);
  let url = path;
  for (const [name, v] of Object.entries(c.params)) {
    const segment = v instanceof Ref ? encodeURIComponent(String(await resolve(v))) : v;
    url = url.replace(`:${name}`, () => segment);
  }
  const query =
    typeof c.query === 'string'
      ? c.query
      : await Promise.all(c.query.map(async ([k, v]) => [k, v instanceof Ref ? String(await resolve(v)) : v] as const));
  url += encodeQuery(query);

  const headers: Record<string, string> = { 'CF-Connecting-IP': c.ip };
  if (c.origin !== undefined) headers.Origin = c.origin;
  for (const [k, v] of c.extra) headers[k] = v;
  if (c.auth.cookie !== undefined)
    headers.Cookie = String(c.auth.cookie instanceof Ref ? await resolve(c.auth.cookie) : c.auth.cookie);
  if (c.auth.authorization !== undefined)
    headers.Authorization = String(
      c.auth.authorization instanceof Ref ? await resolve(c.auth.authorization) : c.auth.authorization,
    );
  if (c.contentType !== undefined) headers['Content-Type'] = c.contentType;

  let body: string | Uint8Array | undefined;
  let stream = false;
  if (method.toUpperCase() !== 'GET' && method.toUpperCase() !== 'HEAD') {
    if (c.body.kind === 'json') body = toJsonText(await resolveDeep(c.body.value, resolve));
    else if (c.body.kind === 'text') body = c.body.text;
    else if (c.body.kind === 'bytes') body = c.body.bytes;
    stream = (c.body.kind === 'json' || c.body.kind === 'text') && c.body.stream === true;
  }
  return { method, path: url, headers, body, stream };
}

/** Sets up the file's world once (in `beforeAll`) and returns its getter. */
export function useWorld(): () => World {
  let world: World | undefined;
  beforeAll(async () => {
    world = await World.create();
  }, 180_000);
  return () => {
    if (!world) throw new Error('fuzz: the world was not set up');
    return world;
  };
}

/**
 * Routes that must answer 2xx at least once in a run (so the fuzz is known to get past validation).
 * Not the image upload: it takes multipart/form-data, which the fuzz does not write (its successes
 * are test/worker/images.test.ts's).
 * Not the link to a cloud nor the pull from it: they succeed only when the cloud answers, and no
 * cloud is reachable from the test pool (here they answer `cloud_unreachable`, a 409).
 */
const NEVER_SUCCEED = new Set(['POST /api/images', 'PUT /api/cloud/link', 'POST /api/cloud/pull']);
export const MUST_SUCCEED = new Set(ROUTES.map(routeName).filter((name) => !NEVER_SUCCEED.has(name)));

/**
 * Registers one test per route: `RUNS` generated requests, each checked by {@link sendAndCheck}.
 * `world()` gives the file's world (set up in its `beforeAll`).
 */
export function fuzzRoutes(list: Route[], world: () => World) {
  for (const route of list) {
    const name = routeName(route);
    it(
      `${name}: ${RUNS} arbitrary requests, no 5xx, errors as JSON`,
      async () => {
        const w = world();
        const tally = new Tally();
        await fc.assert(
          fc.asyncProperty(caseArb(route, w), async (c) => {
            const state: CaseState = { n: c.n };
            await route.before?.(w, state);
            const req = await buildRequest(route.method, route.path, c, w, state);
            const answer = await sendAndCheck(req, route.produces);
            tally.add(answer);
            await route.after?.(answer, state);
            await cleanUp(state);
          }),
          fcParams(name),
        );
        console.log(`fuzz ${name}: ${tally}`);
        if (MUST_SUCCEED.has(name) && RUNS >= 200)
          expect(tally.count(100, 300), `no success among ${RUNS} cases: ${tally}`).toBeGreaterThan(0);
      },
      timeoutFor(RUNS),
    );
  }
}

/** Paths of the real routes with arbitrary parameters, and paths that are no route at all. */
const anyPath = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom(...ROUTES.map((r) => r.path)), fc.array(nastySegment, { minLength: 2, maxLength: 2 }))
      .map(([p, [a, b]]) => p.replace(/:\w+/, () => a!).replace(/:\w+/, () => b!)),
  },
  { weight: 2, arbitrary: fc.array(nastySegment, { maxLength: 5 }).map((s) => `/api/${s.join('/')}`) },
  { weight: 1, arbitrary: fc.array(nastySegment, { maxLength: 4 }).map((s) => `/${s.join('/')}`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '/api',
      '/api/',
      '//api/health',
      '/api//health',
      '/API/health',
      '/api/health/',
      '/api/./health',
      '/api/sessions/',
      '/api/codes/',
      '/api/play/',
      '/api/../api/health',
      '/api/%2e%2e/health',
    ),
  },
);

/**
 * Any method on any path (wrong methods on real routes, unknown routes): every answer a JSON 4xx or
 * a valid success. Signed in with a cookie of its own per case (it may well hit the sign-out).
 */
export function fuzzUnknownRoutes(world: () => World) {
  const name = 'ANY /api/*';
  it(
    `${name}: ${RUNS} arbitrary methods and paths`,
    async () => {
      const w = world();
      const tally = new Tally();
      const arb = fc.tuple(
        fc.constantFrom(
          'GET',
          'POST',
          'PUT',
          'PATCH',
          'DELETE',
          'OPTIONS',
          'HEAD',
          'PROPFIND',
          'TRACE',
          'get',
          'Post',
          'patch',
        ),
        anyPath,
        caseArb({ method: 'POST', path: '/', auth: authArb('teacher', { cookieRef: 'freshCookie' }) }, w),
      );
      await fc.assert(
        fc.asyncProperty(arb, async ([method, path, c]) => {
          const state: CaseState = { n: c.n };
          const req = await buildRequest(method, path, { ...c, params: {} }, w, state);
          tally.add(await sendAndCheck(req, ['json', 'csv', 'text']));
          await cleanUp(state);
        }),
        fcParams(name),
      );
      console.log(`fuzz ${name}: ${tally}`);
    },
    timeoutFor(RUNS),
  );
}
