/**
 * Input fuzzing of the live game's WebSocket protocol: real sockets through the Worker
 * to a live session's Durable Object, a teacher (host) and three students (players) sending
 * arbitrary frames — unicode and broken strings, arbitrary JSON, protocol messages with fields of
 * the wrong type or missing, huge frames, binary frames — and valid commands now and then, so the
 * game moves through its phases (lobby, question, paused, reveal, leaderboard, ended) while it is
 * fuzzed. After every frame the sender asks `{"type":"sync"}` and must get its `welcome`: the room
 * is alive and still answers a valid message normally.
 *
 * Checked for every frame: an invalid frame (binary, too large, not JSON, not a protocol message)
 * is answered with `error` `malformed`; a student sending a teacher's command, or the teacher an
 * answer, with `error` `forbidden`; a student's answer with `ack` or one of the answer refusals.
 * Throughout: every server frame is a JSON object with a `type`, no `error` is ever `internal`
 * (an exception inside the room), error codes are those of the protocol, and no socket is closed
 * by the server. At the end a normal game step still works (start/answer/reveal/next/end).
 *
 * Each socket may send only so many frames in a burst (FRAME_LIMIT; the fuzz sends far faster
 * than it refills), so a socket near its budget is replaced by a new connection of the same
 * teacher or student, with a new ticket, before it would be closed for flooding.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientMessageSchema } from '../../worker/live/protocol';
import {
  boundaryString,
  dispatch,
  mutate,
  nastyString,
  params,
  RawJson,
  Ref,
  RUNS,
  timeoutFor,
  toJsonText,
} from './fuzz-kit';
import { api, plausibleResponse, unique, World, type SessionRef } from './fuzz-world';
import {
  FRAME_LIMIT,
  type LiveErrorCode,
  MAX_CLIENT_FRAME,
  type ServerMessage,
  type StudentQuestion,
} from '../../worker/contract';

/** Every code of the protocol (a record, so that a new code must be listed here to type-check). */
const ERROR_CODES = new Set(
  Object.keys({
    malformed: true,
    forbidden: true,
    not_now: true,
    not_current_question: true,
    question_closed: true,
    paused: true,
    invalid_answer: true,
    unknown_player: true,
    no_such_team: true,
    no_questions: true,
    internal: true,
  } satisfies Record<LiveErrorCode, true>),
);
const ANSWER_REPLIES = new Set([
  'not_now',
  'not_current_question',
  'question_closed',
  'paused',
  'invalid_answer',
  'unknown_player',
]);
const WAIT_MS = 15_000;

/** A live socket with an inbox; records every protocol violation it sees. */
class Socket {
  readonly messages: ServerMessage[] = [];
  readonly violations: string[] = [];
  closed: { code: number; reason: string } | null = null;
  /** The question this client was last shown. */
  question: StudentQuestion | null = null;
  /** Frames sent on this socket (against its budget, FRAME_LIMIT). */
  sent = 0;
  private wake: (() => void)[] = [];

  private constructor(
    readonly name: string,
    readonly ws: WebSocket,
    /** The address of a new connection of the same teacher or student (a fresh ticket's). */
    private readonly ticketUrl: () => Promise<string>,
  ) {
    ws.addEventListener('message', (e) => {
      let msg: ServerMessage;
      try {
        msg = JSON.parse(e.data as string) as ServerMessage;
      } catch {
        this.violations.push(`${name}: a frame that is not JSON: ${String(e.data).slice(0, 200)}`);
        return this.notify();
      }
      if (!msg || typeof msg !== 'object' || typeof msg.type !== 'string')
        this.violations.push(`${name}: a frame without a type: ${String(e.data).slice(0, 200)}`);
      if (msg.type === 'error') {
        if (msg.code === 'internal')
          this.violations.push(`${name}: error "internal" (an exception in the room): ${msg.message}`);
        if (!ERROR_CODES.has(msg.code) || typeof msg.message !== 'string' || !msg.message)
          this.violations.push(`${name}: an error outside the protocol: ${String(e.data).slice(0, 200)}`);
      }
      if (msg.type === 'question') this.question = msg.question;
      this.messages.push(msg);
      this.notify();
    });
    ws.addEventListener('close', (e) => {
      this.closed = { code: e.code, reason: e.reason };
      this.notify();
    });
  }

  private notify() {
    for (const w of this.wake.splice(0)) w();
  }

  /** Opens the live socket at a fresh ticket's address, through the Worker. */
  static async open(name: string, ticketUrl: () => Promise<string>): Promise<Socket> {
    const res = await dispatch({ method: 'GET', path: await ticketUrl(), headers: { Upgrade: 'websocket' } });
    if (res.status !== 101 || !res.webSocket)
      throw new Error(`setup: live upgrade answered ${res.status}: ${await res.text()}`);
    res.webSocket.accept();
    return new Socket(name, res.webSocket, ticketUrl);
  }

  /** A new connection of the same teacher or student, its welcome received. */
  async again(): Promise<Socket> {
    const next = await Socket.open(this.name, this.ticketUrl);
    await next.until(() => next.count('welcome') > 0, 'welcome');
    return next;
  }

  send(frame: string | ArrayBuffer) {
    this.sent++;
    this.ws.send(frame);
  }

  count(type: ServerMessage['type']) {
    return this.messages.filter((m) => m.type === type).length;
  }

  /** Waits until `check` holds, re-checked on every frame. */
  async until(check: () => boolean, what: string, ms = WAIT_MS): Promise<void> {
    const deadline = Date.now() + ms;
    while (!check()) {
      if (this.closed)
        throw new Error(
          `${this.name}: closed by the server (${this.closed.code} ${this.closed.reason}) while waiting for ${what}`,
        );
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `${this.name}: no ${what} within ${ms} ms; last frames: ${JSON.stringify(this.messages.slice(-5)).slice(0, 800)}`,
        );
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 250));
        this.wake.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
}

interface Game {
  session: SessionRef;
  host: Socket;
  players: Socket[];
  /** Cases since the game ended (a new game starts after a while). */
  endedFor: number;
}

let world: World;
const games: Game[] = [];

/** A live session with its teacher and three students connected. */
async function newGame(): Promise<Game> {
  const n = unique();
  const session = await world.freshSession(true, {
    mode: 'live',
    count: 4,
    timeLimitSec: n % 2 ? 0 : 30,
    shuffleOptions: n % 3 === 0,
  });
  const hostTicket = async () =>
    (await api(`/api/sessions/${session.id}/live/ticket`, { bearer: session.key, body: { screen: 'remote' } }, 200))
      .json.url as string;
  const host = await Socket.open('host', hostTicket);
  await host.until(() => host.count('welcome') > 0, 'welcome');
  const players: Socket[] = [];
  for (let i = 0; i < 3; i++) {
    const student = await world.mintStudent(session.id);
    const playerTicket = async () =>
      (await api('/api/play/live/ticket', { method: 'POST', bearer: student.token }, 200)).json.url as string;
    const p = await Socket.open(`player${i}`, playerTicket);
    await p.until(() => p.count('welcome') > 0, 'welcome');
    players.push(p);
  }
  const game = { session, host, players, endedFor: 0 };
  games.push(game);
  return game;
}

beforeAll(async () => {
  world = await World.create();
}, 120_000);

afterAll(() => {
  for (const g of games) for (const s of [g.host, ...g.players]) if (!s.closed) s.ws.close(1000, 'done');
});

// ---------------------------------------------------------------------------------------------
// Frames
// ---------------------------------------------------------------------------------------------

type Frame = { kind: 'text'; text: string } | { kind: 'json'; value: unknown } | { kind: 'binary'; bytes: Uint8Array };

const VALID: Record<string, unknown>[] = [
  { type: 'start' },
  { type: 'next' },
  { type: 'reveal' },
  { type: 'pause' },
  { type: 'resume' },
  { type: 'skip' },
  { type: 'end' },
  { type: 'kick', participantId: 'nobody-here' },
  { type: 'team', participantId: 'nobody-here', team: 2 },
  { type: 'answer', questionId: new Ref('current'), response: new Ref('response') },
  { type: 'answer', questionId: new Ref('current'), response: { optionId: 'a' } },
  { type: 'ping' },
  { type: 'sync' },
];
/** Commands that move the game along (sent unmutated now and then). */
const MOVES = [
  { type: 'start' },
  { type: 'next' },
  { type: 'reveal' },
  { type: 'pause' },
  { type: 'resume' },
  { type: 'skip' },
];

const frameArb: fc.Arbitrary<Frame> = fc.oneof(
  { weight: 8, arbitrary: fc.oneof(...VALID.map((v) => mutate(v))).map((value): Frame => ({ kind: 'json', value })) },
  { weight: 1, arbitrary: fc.constantFrom(...VALID).map((value): Frame => ({ kind: 'json', value })) },
  { weight: 4, arbitrary: fc.constantFrom(...MOVES).map((value): Frame => ({ kind: 'json', value })) },
  {
    weight: 3,
    arbitrary: fc.jsonValue({ maxDepth: 4, stringUnit: 'grapheme' }).map((value): Frame => ({ kind: 'json', value })),
  },
  { weight: 3, arbitrary: nastyString.map((text): Frame => ({ kind: 'text', text })) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        '{"type":"ping"}',
        ' {"type":"ping"}',
        '{"type":"ping" }',
        '{"type":"PING"}',
        '{"type":"sync","x":1}',
        '{"type":"answer"}',
        '{"type":"__proto__"}',
        '{"type":"constructor"}',
        '{"type":"toString"}',
        '{"__proto__":{"type":"start"}}',
        '[{"type":"start"}]',
        '"start"',
        'null',
        '{"type":null}',
        '{"type":"kick","participantId":""}',
        '{"type":"kick","participantId":"' + 'x'.repeat(65) + '"}',
      )
      .map((text): Frame => ({ kind: 'text', text })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.oneof(
          { weight: 9, arbitrary: boundaryString },
          { weight: 1, arbitrary: fc.constant('中'.repeat(1_100_000)) },
        ),
        fc.constantFrom('raw', 'json'),
      )
      .map(
        ([s, how]): Frame =>
          how === 'raw'
            ? { kind: 'text', text: s }
            : { kind: 'json', value: { type: 'answer', questionId: new Ref('current'), response: { text: s } } },
      ),
  },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        fc.uint8Array({ maxLength: 64 }),
        fc.constant(new TextEncoder().encode('{"type":"sync"}')),
        fc.constant(new TextEncoder().encode('{"type":"start"}')),
        fc.constant(new Uint8Array(MAX_CLIENT_FRAME + 1)),
        fc.constant(new Uint8Array(2_000_000)),
        fc.constant(new Uint8Array(0)),
      )
      .map((bytes): Frame => ({ kind: 'binary', bytes })),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 2, max: 4000 }).map(
      (d): Frame => ({
        kind: 'json',
        value: {
          type: 'answer',
          questionId: new Ref('current'),
          response: new RawJson(`${'['.repeat(d)}1${']'.repeat(d)}`),
        },
      }),
    ),
  },
);

/** What the room must answer to a frame (before its reply to the `sync` that follows). */
type Expectation =
  | { reply: 'malformed' }
  | { reply: 'forbidden' }
  | { reply: 'answer' }
  | { reply: 'pong' }
  | { reply: 'any' };

function expectationOf(frame: string | ArrayBuffer, role: 'host' | 'player'): { expect: Expectation; isSync: boolean } {
  if (typeof frame !== 'string') return { expect: { reply: 'malformed' }, isSync: false };
  if (frame.length > MAX_CLIENT_FRAME) return { expect: { reply: 'malformed' }, isSync: false };
  let data: unknown;
  try {
    data = JSON.parse(frame);
  } catch {
    return { expect: { reply: 'malformed' }, isSync: false };
  }
  const parsed = clientMessageSchema.safeParse(data);
  if (!parsed.success) return { expect: { reply: 'malformed' }, isSync: false };
  const type = parsed.data.type;
  if (type === 'sync') return { expect: { reply: 'any' }, isSync: true };
  if (type === 'ping') return { expect: { reply: 'pong' }, isSync: false };
  if (type === 'answer')
    return { expect: role === 'player' ? { reply: 'answer' } : { reply: 'forbidden' }, isSync: false };
  return { expect: role === 'host' ? { reply: 'any' } : { reply: 'forbidden' }, isSync: false };
}

/** The frame as sent, its references resolved for the sender (the question they see). */
function encode(frame: Frame, sender: Socket, n: number): string | ArrayBuffer {
  if (frame.kind === 'binary') return frame.bytes.slice().buffer;
  if (frame.kind === 'text') return frame.text;
  const resolve = (v: unknown): unknown => {
    if (v instanceof Ref)
      return v.name === 'current' ? (sender.question?.id ?? 'no-question-yet') : plausibleResponse(sender.question, n);
    if (v instanceof RawJson || v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map(resolve);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v))
      Object.defineProperty(out, k, { value: resolve(x), enumerable: true, writable: true, configurable: true });
    return out;
  };
  return toJsonText(resolve(frame.value)) ?? '';
}

const short = (f: string | ArrayBuffer) =>
  typeof f === 'string'
    ? JSON.stringify(f.length > 300 ? `${f.slice(0, 300)}…(${f.length} chars)` : f)
    : `<binary ${f.byteLength} bytes>`;

/** Replies of each expected kind a socket has received so far. */
function replies(s: Socket): Record<Exclude<Expectation['reply'], 'any'>, number> {
  let malformed = 0;
  let forbidden = 0;
  let answer = 0;
  let pong = 0;
  for (const m of s.messages) {
    if (m.type === 'error' && m.code === 'malformed') malformed++;
    else if (m.type === 'error' && m.code === 'forbidden') forbidden++;
    else if (m.type === 'ack' || (m.type === 'error' && ANSWER_REPLIES.has(m.code))) answer++;
    else if (m.type === 'pong') pong++;
  }
  return { malformed, forbidden, answer, pong };
}

/**
 * Sends one fuzz frame from `sender`, then `sync`, and waits for the reply the frame calls for and
 * for the sync's `welcome`. Replies are counted, not matched by position: while the room has a
 * storage write in flight, a reply can overtake the reply to the frame before it.
 */
async function fuzzOne(game: Game, sender: Socket, frame: string | ArrayBuffer) {
  const role = sender === game.host ? 'host' : 'player';
  const { expect: expected, isSync } = expectationOf(frame, role);
  const before = replies(sender);
  const welcomes = sender.count('welcome') + (isSync ? 1 : 0) + 1;
  sender.send(frame);
  sender.send('{"type":"sync"}');
  const what =
    expected.reply === 'any' ? 'the welcome answering sync' : `"${expected.reply}" and the welcome answering sync`;
  await sender.until(
    () =>
      sender.count('welcome') >= welcomes &&
      (expected.reply === 'any' || replies(sender)[expected.reply] > before[expected.reply]),
    `${what} after ${short(frame)}`,
  );
  // No refusal the frame did not call for (malformed and forbidden answer nothing but invalid frames).
  const after = replies(sender);
  for (const kind of ['malformed', 'forbidden'] as const) {
    const extra = after[kind] - before[kind] - (expected.reply === kind ? 1 : 0);
    if (extra !== 0)
      throw new Error(
        `${sender.name} sent ${short(frame)} (expected ${expected.reply}): ${extra} unexpected "${kind}" error(s)`,
      );
  }
}

/** True when `s` cannot send `frames` more without nearing its budget. */
const nearBudget = (s: Socket, frames: number) => s.sent + frames > FRAME_LIMIT.burst - 2;

/**
 * Replaces the sockets of `game` that cannot send `frames` more by new connections of the same
 * people; a game that has ended cannot be joined again (its session is closed), so a new game
 * replaces it then. Returns the game to go on with.
 */
async function withBudget(game: Game, frames: number, sockets: Socket[]): Promise<Game> {
  const tired = sockets.filter((s) => nearBudget(s, frames));
  if (!tired.length) return game;
  if (phaseOf(game.host) === 'ended') return newGame();
  for (const old of tired) {
    expect(old.violations, old.name).toEqual([]);
    expect(old.closed, `${old.name} was closed by the server`).toBeNull();
    const next = await old.again();
    if (game.host === old) {
      game.host = next;
      old.ws.close(1000, 'renewed');
    } else {
      // The student's new connection replaces the old one: the server closes it.
      game.players[game.players.indexOf(old)] = next;
    }
  }
  return game;
}

function checkHealthy(game: Game) {
  for (const s of [game.host, ...game.players]) {
    expect(s.violations, s.name).toEqual([]);
    expect(s.closed, `${s.name} was closed by the server`).toBeNull();
  }
}

const phaseOf = (s: Socket) =>
  [...s.messages].reverse().find((m): m is Extract<ServerMessage, { type: 'welcome' }> => m.type === 'welcome')?.phase;

/** Sends a host command and waits for a frame of `type` on the host. */
async function command(game: Game, msg: Record<string, unknown>, type: ServerMessage['type']) {
  const before = game.host.count(type);
  game.host.send(JSON.stringify(msg));
  await game.host.until(() => game.host.count(type) > before, `"${type}" after ${JSON.stringify(msg)}`);
}

describe('fuzz the live protocol', () => {
  it(
    `${RUNS} arbitrary frames from the teacher and students: errors per the protocol, the room keeps working`,
    async () => {
      let game = await newGame();
      let sent = 0;
      const stats = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(fc.nat(3), frameArb, fc.nat({ max: 1_000_000 }), async (who, frame, n) => {
          if (phaseOf(game.host) === 'ended' && ++game.endedFor > 25) game = await newGame();
          const pick = () => (who === 3 ? game.host : game.players[who]!);
          game = await withBudget(game, 2, [pick()]);
          const sender = pick();
          const encoded = encode(frame, sender, n);
          await fuzzOne(game, sender, encoded);
          checkHealthy(game);
          sent++;
          for (const key of [
            `${sender === game.host ? 'host' : 'player'} ${expectationOf(encoded, sender === game.host ? 'host' : 'player').expect.reply}`,
            `in ${phaseOf(sender)}`,
          ])
            stats.set(key, (stats.get(key) ?? 0) + 1);
        }),
        params('live protocol'),
      );
      expect(sent).toBeGreaterThanOrEqual(RUNS);
      console.log(
        `fuzz live: ${sent} frames over ${games.length} games; ${[...stats].map(([k, v]) => `${k}×${v}`).join(', ')}`,
      );
      // The fuzz reached every phase of the game (else the valid commands mixed in are too rare).
      if (RUNS >= 500)
        for (const phase of ['lobby', 'question', 'reveal', 'leaderboard', 'ended'])
          expect(stats.get(`in ${phase}`), phase).toBeGreaterThan(0);

      // The room still plays a normal step after all that: from wherever the game is, a question
      // opens, a student's answer is taken, the question is revealed, the game ends.
      const g = await withBudget(game, 8, [game.host, game.players[0]!]);
      const p = g.players[0]!;
      const snapshot = async (s: Socket) => {
        const seen = s.count('welcome');
        s.send('{"type":"sync"}');
        await s.until(() => s.count('welcome') > seen, 'welcome');
        return phaseOf(s);
      };
      const finals = g.host.count('final');
      let phase = await snapshot(g.host);
      if (phase === 'ended') {
        // Over: its snapshot is the final ranking.
        await g.host.until(() => g.host.count('final') > finals, 'the final ranking');
        checkHealthy(g);
        return;
      }
      if (phase === 'leaderboard') {
        await command(g, { type: 'next' }, 'question');
        phase = 'question';
      }
      if (phase === 'lobby') {
        await command(g, { type: 'start' }, 'question');
        phase = 'question';
      }
      if (phase === 'question') {
        if (
          g.host.messages.findLast((m) => m.type === 'paused' || m.type === 'resumed' || m.type === 'question')
            ?.type === 'paused'
        )
          await command(g, { type: 'resume' }, 'resumed');
        // The student's snapshot shows the open question.
        const shown = p.count('question');
        await snapshot(p);
        await p.until(() => p.count('question') > shown, 'the open question');
        const answered = replies(p).answer;
        p.send(
          JSON.stringify({ type: 'answer', questionId: p.question!.id, response: plausibleResponse(p.question, 1) }),
        );
        await p.until(() => replies(p).answer > answered, 'the answer acknowledged or refused');
        const reveals = p.count('reveal');
        await command(g, { type: 'reveal' }, 'reveal');
        await p.until(() => p.count('reveal') > reveals, 'the reveal');
        phase = 'reveal';
      }
      expect(phase).toBe('reveal');
      await command(g, { type: 'end' }, 'final');
      for (const s of g.players) await s.until(() => s.count('final') > 0, 'final');
      checkHealthy(g);
    },
    timeoutFor(RUNS, 20),
  );
});
