/**
 * The Node client of the live game's WebSocket, for the bench scripts, the system tests and the
 * browser tests: one `ws` socket (Node 20 has no global WebSocket) with an inbox of parsed messages
 * and waits on it. The worker tests have their own, test/worker/live-client.ts: they run inside
 * workerd, where a socket comes from `fetch` with an upgrade and `ws` does not exist.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import type { ClientMessage, LiveScreen, LiveTicket, ServerMessage, ServerMessageOf } from '../../worker/contract';

/** Who opens a live socket: a student by their device token, or one of the teacher's screens by the session's key. */
export type LiveCredential = { token: string } | { sessionId: string; teacherKey: string; screen?: LiveScreen };

/**
 * Asks `base` (`http://` or `ws://`) for a ticket as the web client does (the credential in
 * `Authorization`, never in an address) and returns the `ws://` address the ticket opens.
 */
export async function liveTicketUrl(base: string, who: LiveCredential): Promise<string> {
  const http = base.replace(/^ws/, 'http');
  // A same-origin Origin, as a browser's request (hono's csrf refuses a bare cross-site POST).
  const headers: Record<string, string> = {
    Origin: new URL(http).origin,
    Authorization: `Bearer ${'token' in who ? who.token : who.teacherKey}`,
  };
  // A student's ticket takes no body; a teacher's says which screen.
  const [path, body] =
    'token' in who
      ? ['/api/play/live/ticket', undefined]
      : [`/api/sessions/${who.sessionId}/live/ticket`, JSON.stringify({ screen: who.screen ?? 'remote' })];
  if (body) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${http}${path}`, { method: 'POST', headers, body });
  if (res.status !== 200) throw new Error(`live ticket refused: ${res.status} ${await res.text()}`);
  const ticket = (await res.json()) as LiveTicket;
  return `${http.replace(/^http/, 'ws')}${ticket.url}`;
}

export interface LiveSocketOptions {
  /**
   * Called with each message as it arrives, with the `performance.now()` of its arrival (for
   * latencies). Set from the start, so that no message can arrive before it.
   */
  onMessage?: (msg: ServerMessage, receivedAt: number, socket: LiveSocket) => void;
  /** Time allowed for the upgrade, in ms. */
  timeoutMs?: number;
  /**
   * Parse each frame after the pending socket reads rather than on arrival (the arrival time is
   * taken first either way): one process driving hundreds of sockets would otherwise stamp each
   * frame of a broadcast later by the parsing of all those read before it.
   */
  deferParse?: boolean;
}

export class LiveSocket {
  /** Every message received, in order. */
  readonly messages: ServerMessage[] = [];
  closed: { code: number; reason: string } | null = null;
  opened = false;
  /** Why the connection failed, when it did (e.g. "Unexpected server response: 404"). */
  error: string | null = null;
  private cursor = 0;
  private waiters: (() => void)[] = [];

  private constructor(
    readonly ws: WebSocket,
    options: LiveSocketOptions,
  ) {
    ws.on('open', () => {
      this.opened = true;
      this.notify();
    });
    ws.on('message', (data) => {
      const receivedAt = performance.now();
      if (options.deferParse) setImmediate(() => this.receive(data, receivedAt, options));
      else this.receive(data, receivedAt, options);
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.notify();
    });
    ws.on('error', (err) => {
      // A refused or reset connection: `close` follows.
      this.error ??= err.message;
    });
  }

  private receive(data: WebSocket.RawData, receivedAt: number, options: LiveSocketOptions): void {
    let msg: ServerMessage;
    try {
      msg = JSON.parse(String(data)) as ServerMessage;
    } catch {
      msg = { type: 'error', code: 'malformed', message: `unparsable frame: ${String(data).slice(0, 100)}` };
    }
    this.messages.push(msg);
    options.onMessage?.(msg, receivedAt, this);
    this.notify();
  }

  /**
   * Opens the live socket of `who` on `base` (`http://` or `ws://`): asks for a ticket, opens its
   * address and waits for the upgrade.
   */
  static async open(base: string, who: LiveCredential, options: LiveSocketOptions = {}): Promise<LiveSocket> {
    return LiveSocket.openUrl(await liveTicketUrl(base, who), options);
  }

  /** Opens a live socket at `url` (`ws://…/api/live?ticket=…`, a ticket already issued) and waits for the upgrade. */
  static async openUrl(url: string, options: LiveSocketOptions = {}): Promise<LiveSocket> {
    const socket = new LiveSocket(new WebSocket(url, { perMessageDeflate: false }), options);
    await socket.until(() => socket.opened || socket.closed !== null, 'the upgrade', options.timeoutMs ?? 15_000);
    if (!socket.opened) throw new Error(`WebSocket refused (${socket.error ?? JSON.stringify(socket.closed)})`);
    return socket;
  }

  private notify() {
    for (const w of this.waiters.splice(0)) w();
  }

  send(msg: ClientMessage): void {
    this.ws.send(JSON.stringify(msg));
  }

  /** Waits until `check` holds (re-checked on every event), or throws after `ms`. */
  async until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!check()) {
      const left = deadline - Date.now();
      if (left <= 0) {
        const unread = this.messages.slice(this.cursor).map((m) => m.type);
        throw new Error(`timed out after ${ms} ms waiting for ${what}; unread: ${JSON.stringify(unread)}`);
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** The next unread message of this type (unread messages of other types before it are passed over). */
  async next<T extends ServerMessage['type']>(
    type: T,
    ms?: number,
    match: (m: ServerMessageOf<T>) => boolean = () => true,
  ): Promise<ServerMessageOf<T>> {
    let found = -1;
    await this.until(
      () => {
        found = this.messages.findIndex(
          (m, i) => i >= this.cursor && m.type === type && match(m as ServerMessageOf<T>),
        );
        return found >= 0;
      },
      `"${type}"`,
      ms,
    );
    this.cursor = found + 1;
    return this.messages[found] as ServerMessageOf<T>;
  }

  /** Unread messages (marks them read). */
  drain(): ServerMessage[] {
    const out = this.messages.slice(this.cursor);
    this.cursor = this.messages.length;
    return out;
  }

  /** Waits until the socket is closed (by either side or by a dead server). */
  async closedWith(ms = 15_000) {
    await this.until(() => this.closed !== null, 'close', ms);
    return this.closed!;
  }

  /** Drops the connection at once (no closing handshake), as a device going away would. */
  close(): void {
    if (this.closed) return;
    try {
      this.ws.terminate();
    } catch {
      // Already gone.
    }
  }
}
