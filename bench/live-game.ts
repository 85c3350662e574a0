/**
 * The live game from the devices' side, shared by bench/live-load.ts (one room) and
 * bench/contest-load.ts (a contest over several rooms): a socket that stamps every message on
 * arrival, the HTTP join that opens a student's socket, and the two rounds every question is made
 * of (the host's command reaching every player; every player answering and getting an ack).
 *
 * Every figure is taken in the one Node process that also drives all the sockets: its own event
 * loop is part of each of them. Frames are stamped on arrival and parsed after the pending socket
 * reads (`deferParse` in test/support/live-socket.ts), so parsing a broadcast's frames does not
 * stamp the later ones late.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { type LiveCredential, LiveSocket } from '../test/support/live-socket';
import { anyResponse, sleep, type StudentQuestion } from '../test/support/util';
import type { ClientMessage, FinalMessage, LiveTicket, ServerMessage } from '../worker/contract';
import { postJson } from './load';

/** Polls `check` until it holds; throws after `ms`, with `detail()` in the message. */
export async function until(check: () => boolean, what: string, ms = 30_000, detail?: () => string): Promise<void> {
  const deadline = performance.now() + ms;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}${detail ? ` (${detail()})` : ''}`);
    await sleep(2);
  }
}

/** Resident memory of `pids` in bytes (VmRSS from /proc). */
export function rssBytes(pids: number[]): number {
  let kb = 0;
  for (const pid of pids) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      kb += Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
    } catch {
      // Gone.
    }
  }
  return kb * 1024;
}

/** One live socket with what the rounds poll, each event stamped with its arrival time. */
export class Client {
  socket!: LiveSocket;
  welcomed = false;
  /** A player's own id, from the welcome. */
  participantId: string | null = null;
  /** Receive time of the `question` message per position. */
  questionAt = new Map<number, number>();
  question = new Map<number, StudentQuestion>();
  /** Length of the JSON text of the last question received (re-serialized: the frame's size within a few bytes). */
  questionChars = 0;
  ackAt = new Map<string, number>();
  revealAt = new Map<number, number>();
  results = 0;
  leaderboards = 0;
  final: FinalMessage | null = null;
  /** `player` messages received (a host's). */
  players = 0;
  /** The game's player count as the last `welcome` or `player` message gave it (a host's). */
  playerCount = 0;
  errors: ServerMessage[] = [];

  /**
   * Opens a live socket and waits for the upgrade: with a ticket for the host or a player (asked
   * for here), or at a `ws://` address that needs none (a ticket already in it, or the baseline).
   */
  static async open(base: string, who: LiveCredential | string): Promise<Client> {
    const client = new Client();
    const options = { onMessage: (msg: ServerMessage, at: number) => client.record(msg, at), deferParse: true };
    client.socket =
      typeof who === 'string' ? await LiveSocket.openUrl(who, options) : await LiveSocket.open(base, who, options);
    return client;
  }

  private record(msg: ServerMessage, now: number) {
    switch (msg.type) {
      case 'welcome':
        this.welcomed = true;
        this.participantId = msg.me?.participantId ?? null;
        this.playerCount = msg.playerCount;
        break;
      case 'question':
        this.questionAt.set(msg.position, now);
        this.question.set(msg.position, msg.question);
        this.questionChars = JSON.stringify(msg).length;
        break;
      case 'ack':
        this.ackAt.set(msg.questionId, now);
        break;
      case 'reveal':
        this.revealAt.set(msg.position, now);
        break;
      case 'result':
        this.results++;
        break;
      case 'leaderboard':
        this.leaderboards++;
        break;
      case 'final':
        this.final = msg;
        break;
      case 'player':
        this.players++;
        this.playerCount = msg.playerCount;
        break;
      case 'error':
        this.errors.push(msg);
        break;
      default:
        break;
    }
  }

  send(msg: ClientMessage) {
    this.socket.send(msg);
  }
}

/** Every client a run opened: to close them all at the end or on a failure, and to gather their errors. */
export class Clients {
  readonly all: Client[] = [];

  /** `onSocketError`: a socket failed (reset, refused after the upgrade). */
  constructor(private readonly onSocketError: (message: string) => void) {}

  async open(base: string, who: LiveCredential | string): Promise<Client> {
    const client = await Client.open(base, who);
    this.all.push(client);
    client.socket.ws.on('error', (err) => this.onSocketError(`socket error: ${err.message}`));
    return client;
  }

  errors(): ServerMessage[] {
    return this.all.flatMap((c) => c.errors);
  }

  close(): void {
    for (const c of this.all.splice(0)) c.socket.close();
  }
}

/** A player who joined over HTTP and opened their socket. */
export interface JoinedPlayer {
  client: Client;
  /** The HTTP join, ms. */
  joinMs: number;
  /** From the join's reply to the socket's welcome, ms. */
  connectMs: number;
  /** The ticket the join answered (it names the room: `<sessionId>` or a contest's `<sessionId>~<shard>`), if any. */
  ticket: string | null;
}

/**
 * A student joins session `code` over HTTP (with `headers`, e.g. the school's address) and opens
 * their socket: with the ticket the join answered, or one asked for when a server gives none there.
 */
export async function joinPlayer(
  clients: Clients,
  base: string,
  code: string,
  nickname: string,
  headers: Record<string, string> = {},
): Promise<JoinedPlayer> {
  const t = performance.now();
  const joined = await postJson<{ token: string; live?: Partial<LiveTicket> }>(
    base,
    `/api/codes/${code}/participants`,
    { nickname },
    headers,
  );
  const t2 = performance.now();
  const { live } = joined;
  const wsBase = base.replace(/^http/, 'ws');
  const url = live?.url
    ? `${wsBase}${live.url}`
    : live?.ticket
      ? `${wsBase}/api/live?ticket=${encodeURIComponent(live.ticket)}`
      : null;
  const client = await clients.open(base, url ?? { token: joined.token });
  // Woken by the socket's own events: 500 joins polling a timer each would load this process more than the server.
  await client.socket.until(() => client.welcomed, 'a player welcome', 30_000);
  return { client, joinMs: t2 - t, connectMs: performance.now() - t2, ticket: live?.ticket ?? null };
}

/**
 * `command()` (the host's `start`/`next`), then the question `position` at every player: each
 * player's time from the command to its arrival.
 */
export async function broadcastRound(players: Client[], position: number, command: () => void): Promise<number[]> {
  const sent = performance.now();
  command();
  await until(
    () => players.every((p) => p.questionAt.has(position)),
    `question ${position} at every player`,
    30_000,
    () => {
      const got = players.filter((p) => p.questionAt.has(position)).length;
      return `${got} of ${players.length} got it; ${players.filter((p) => p.socket.closed).length} sockets closed`;
    },
  );
  return players.map((p) => p.questionAt.get(position)! - sent);
}

/** What {@link answerRound} saw. */
export interface AnswerRound {
  /** Answer → ack, each acked answer. */
  ackMs: number[];
  /** Answer → ack of each player (in the order given), undefined without an ack. */
  byPlayer: (number | undefined)[];
  sent: number;
  acked: number;
  /** Players whose answer got an `error` instead of an ack. */
  refused: number;
  /** When the last answer was sent (`performance.now()`). */
  lastAnswer: number;
}

/**
 * Every player answers question `position` (a random response to the question it received) at a
 * random moment within `spreadMs`; then waits up to `ackWaitMs` for each answer's ack or error.
 */
export async function answerRound(
  players: Client[],
  position: number,
  spreadMs: number,
  ackWaitMs = 30_000,
): Promise<AnswerRound> {
  const sentAt = new Map<Client, { at: number; questionId: string; errors: number }>();
  await Promise.all(
    players.map(async (p) => {
      await sleep(Math.random() * spreadMs);
      const q = p.question.get(position)!;
      sentAt.set(p, { at: performance.now(), questionId: q.id, errors: p.errors.length });
      p.send({ type: 'answer', questionId: q.id, response: anyResponse(q) });
    }),
  );
  const lastAnswer = performance.now();
  const acked = (p: Client) => p.ackAt.has(sentAt.get(p)!.questionId);
  const refused = (p: Client) => !acked(p) && p.errors.length > sentAt.get(p)!.errors;
  await until(() => players.every((p) => acked(p) || refused(p)), `acks for question ${position}`, ackWaitMs).catch(
    () => undefined,
  ); // the caller counts what is missing
  const byPlayer = players.map((p) =>
    acked(p) ? p.ackAt.get(sentAt.get(p)!.questionId)! - sentAt.get(p)!.at : undefined,
  );
  const ackMs = byPlayer.filter((ms) => ms !== undefined);
  return {
    ackMs,
    byPlayer,
    sent: players.length,
    acked: ackMs.length,
    refused: players.filter(refused).length,
    lastAnswer,
  };
}
