/** A live-game client for the worker tests: a real WebSocket through the Worker, with a message inbox. */
import { env, exports } from 'cloudflare:workers';
import { expect } from 'vitest';
import {
  FRAME_LIMIT,
  type ClientMessage,
  type LiveScreen,
  type LiveTicket,
  type ServerMessage,
  type ServerMessageOf,
} from '../../worker/contract';

/** The room of a session, for `runInDurableObject` and `runDurableObjectAlarm`. */
export const roomOf = (sessionId: string) => env.LIVE_ROOM.get(env.LIVE_ROOM.idFromName(sessionId));

/** Every address a test opened a live socket at, to check that none carries a credential. */
export const upgradedUrls: string[] = [];

/** `GET <url>` (a ticket's `/api/live?ticket=…`) with `Upgrade: websocket`, as a browser would open it. */
export function upgrade(url: string, headers: Record<string, string> = { Upgrade: 'websocket' }) {
  upgradedUrls.push(url);
  return exports.default.fetch(`http://quiz.test${url}`, { headers });
}

/** `POST` a ticket request as a browser would (same origin), and its JSON answer. */
async function postTicket(path: string, headers: Record<string, string>, body?: unknown) {
  const res = await exports.default.fetch(`http://quiz.test${path}`, {
    method: 'POST',
    headers: { Origin: 'http://quiz.test', ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: (await res.json()) as any };
}

/** A teacher's ticket request (by the session's key, or `cookie` when given), as answered. */
export const hostTicketRequest = (
  s: { id: string; teacherKey: string },
  screen: LiveScreen = 'remote',
  { cookie }: { cookie?: string } = {},
) =>
  postTicket(
    `/api/sessions/${s.id}/live/ticket`,
    cookie ? { Cookie: cookie } : { Authorization: `Bearer ${s.teacherKey}` },
    { screen },
  );

/** A student's ticket request, as answered. */
export const playerTicketRequest = (token: string) =>
  postTicket('/api/play/live/ticket', { Authorization: `Bearer ${token}` });

async function ticketOf(request: Promise<{ status: number; json: any }>): Promise<LiveTicket> {
  const res = await request;
  if (res.status !== 200) expect.fail(`expected a ticket, got ${res.status}: ${JSON.stringify(res.json)}`);
  return res.json as LiveTicket;
}

/** A ticket for one of the teacher's screens (the remote unless told). */
export const hostTicket = (s: { id: string; teacherKey: string }, screen: LiveScreen = 'remote') =>
  ticketOf(hostTicketRequest(s, screen));

/** A ticket for the student with this device token. */
export const playerTicket = (token: string) => ticketOf(playerTicketRequest(token));

export class LiveClient {
  /** Every message received, in order. */
  readonly messages: ServerMessage[] = [];
  closed: { code: number; reason: string } | null = null;
  private cursor = 0;
  private wake: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.addEventListener('message', (e) => {
      this.messages.push(JSON.parse(e.data as string) as ServerMessage);
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

  /** Opens the live socket as one of the teacher's screens (the remote unless told). */
  static async host(s: { id: string; teacherKey: string }, screen: LiveScreen = 'remote'): Promise<LiveClient> {
    return LiveClient.open((await hostTicket(s, screen)).url);
  }

  /** Opens the live socket as the student with this device token. */
  static async player(token: string): Promise<LiveClient> {
    return LiveClient.open((await playerTicket(token)).url);
  }

  /** Opens the live socket at a ticket's address. */
  static async open(url: string): Promise<LiveClient> {
    const res = await upgrade(url);
    if (res.status !== 101) expect.fail(`expected 101, got ${res.status}: ${await res.text()}`);
    const ws = res.webSocket!;
    ws.accept();
    return new LiveClient(ws);
  }

  /**
   * Sends within the socket's frame budget (FRAME_LIMIT), as a person would: a test sends far faster
   * than a teacher presses keys, so frames beyond the budget wait for it to refill, in order.
   */
  send(msg: ClientMessage | string | ArrayBuffer) {
    this.outbox.push(typeof msg === 'string' || msg instanceof ArrayBuffer ? msg : JSON.stringify(msg));
    this.pump();
  }

  /** Sends at once, budget or not (to test the server's frame limit). */
  sendNow(msg: ClientMessage | string | ArrayBuffer) {
    this.ws.send(typeof msg === 'string' || msg instanceof ArrayBuffer ? msg : JSON.stringify(msg));
  }

  private outbox: (string | ArrayBuffer)[] = [];
  /** The budget as the server counts it, a little short of it (its clock is not ours). */
  private tokens = FRAME_LIMIT.burst - 2;
  private countedAt = Date.now();
  private pacing: ReturnType<typeof setTimeout> | null = null;

  private pump() {
    if (this.pacing) return;
    while (this.outbox.length) {
      const now = Date.now();
      this.tokens = Math.min(
        FRAME_LIMIT.burst - 2,
        this.tokens + ((now - this.countedAt) / 1000) * FRAME_LIMIT.perSecond,
      );
      this.countedAt = now;
      if (this.tokens < 1) {
        this.pacing = setTimeout(() => {
          this.pacing = null;
          this.pump();
        }, 1000 / FRAME_LIMIT.perSecond);
        return;
      }
      this.tokens -= 1;
      try {
        this.ws.send(this.outbox.shift()!);
      } catch {
        // Closed meanwhile.
      }
    }
  }

  /** Waits until `check` holds (re-checked on every message), or fails after `ms`. */
  async until(check: () => boolean, what: string, ms = 4000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!check()) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `timed out waiting for ${what}; got ${JSON.stringify(this.messages.slice(this.cursor).map((m) => m.type))}`,
        );
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.wake.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** The next unread message of this type (unread messages of other types before it are passed over). */
  async next<T extends ServerMessage['type']>(type: T, ms?: number): Promise<ServerMessageOf<T>> {
    let found = -1;
    await this.until(
      () => {
        found = this.messages.findIndex((m, i) => i >= this.cursor && m.type === type);
        return found >= 0;
      },
      `"${type}"`,
      ms,
    );
    this.cursor = found + 1;
    return this.messages[found] as ServerMessageOf<T>;
  }

  /** Waits for the server to close the socket. */
  async closedWith(ms?: number) {
    await this.until(() => this.closed !== null, 'close', ms);
    return this.closed!;
  }

  /** Unread messages so far (marks them read). */
  drain(): ServerMessage[] {
    const out = this.messages.slice(this.cursor);
    this.cursor = this.messages.length;
    return out;
  }

  close(code = 1000) {
    this.ws.close(code, 'bye');
  }
}
