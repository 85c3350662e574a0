/** A live-game client for the worker tests: a real WebSocket through the Worker, with a message inbox. */
import { env, exports } from 'cloudflare:workers';
import { expect } from 'vitest';
import type { ClientMessage, ServerMessage, ServerMessageOf } from '../../worker/contract';

/** The room of a session, for `runInDurableObject` and `runDurableObjectAlarm`. */
export const roomOf = (sessionId: string) => env.LIVE_ROOM.get(env.LIVE_ROOM.idFromName(sessionId));

/** `GET /api/sessions/:code/live?…` with `Upgrade: websocket`, as a browser would open it. */
export const upgrade = (code: string, query: string, headers: Record<string, string> = { Upgrade: 'websocket' }) =>
  exports.default.fetch(`http://quiz.test/api/sessions/${code}/live?${query}`, { headers });

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

  /** Opens the live socket as the teacher (`key=`) or a student (`token=`). */
  static async open(code: string, query: string): Promise<LiveClient> {
    const res = await upgrade(code, query);
    if (res.status !== 101) expect.fail(`expected 101, got ${res.status}: ${await res.text()}`);
    const ws = res.webSocket!;
    ws.accept();
    return new LiveClient(ws);
  }

  send(msg: ClientMessage | string | ArrayBuffer) {
    this.ws.send(typeof msg === 'string' || msg instanceof ArrayBuffer ? msg : JSON.stringify(msg));
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
