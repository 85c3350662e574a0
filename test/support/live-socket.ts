/** A live-game client for the bench scripts: one `ws` WebSocket with an inbox of parsed messages. */
import WebSocket from 'ws';
import type { ClientMessage, ServerMessage, ServerMessageOf } from '../../worker/live/protocol';

export class LiveSocket {
  /** Every message received, in order. */
  readonly messages: ServerMessage[] = [];
  closed: { code: number; reason: string } | null = null;
  opened = false;
  private cursor = 0;
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('open', () => {
      this.opened = true;
      this.notify();
    });
    ws.on('message', (data) => {
      try {
        this.messages.push(JSON.parse(String(data)) as ServerMessage);
      } catch {
        this.messages.push({ type: 'error', code: 'malformed', message: `unparsable frame: ${String(data).slice(0, 100)}` });
      }
      this.notify();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.notify();
    });
    ws.on('error', () => {
      // A refused or reset connection: `close` follows.
    });
  }

  /** Opens `/api/sessions/:code/live?…` (`key=` for the teacher, `token=` for a student) and waits for the upgrade. */
  static async open(wsBase: string, code: string, query: string, timeoutMs = 15_000): Promise<LiveSocket> {
    const socket = new LiveSocket(new WebSocket(`${wsBase}/api/sessions/${code}/live?${query}`, { perMessageDeflate: false }));
    await socket.until(() => socket.opened || socket.closed !== null, 'the upgrade', timeoutMs);
    if (!socket.opened) throw new Error(`WebSocket refused (${JSON.stringify(socket.closed)})`);
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
      if (left <= 0) throw new Error(`timed out after ${ms} ms waiting for ${what}; unread: ${JSON.stringify(this.messages.slice(this.cursor).map((m) => m.type))}`);
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
  async next<T extends ServerMessage['type']>(type: T, ms?: number, match: (m: ServerMessageOf<T>) => boolean = () => true): Promise<ServerMessageOf<T>> {
    let found = -1;
    await this.until(
      () => {
        found = this.messages.findIndex((m, i) => i >= this.cursor && m.type === type && match(m as ServerMessageOf<T>));
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

  close(): void {
    if (this.closed) return;
    try {
      this.ws.terminate();
    } catch {
      // Already gone.
    }
  }
}
