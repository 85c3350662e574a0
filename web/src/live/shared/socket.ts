/**
 * The live game's WebSocket, kept open: reconnects with growing, jittered pauses after a drop,
 * detects a dead connection with keep-alive pings, and stops for good on the server's two final
 * close codes (4000: the same person connected elsewhere; 4001: removed by the teacher).
 *
 * The server sends `welcome` and a snapshot of the game on every connection, so a reconnection
 * needs no special handling by the screens: they apply the messages as they come.
 * Protocol: worker/contract/live.ts.
 */
import { LIVE_CLOSE_CODES, type ClientMessage, type ServerMessage } from '../../../../worker/contract';

/** Where the connection is. `stopped`: closed for good (replaced, kicked, or stopped by the page). */
export type SocketStatus = 'connecting' | 'open' | 'reconnecting' | 'stopped';

export interface SocketHandlers {
  message(msg: ServerMessage): void;
  /** The status changed; `code` is the close code that stopped the socket, if the server stopped it. */
  status(status: SocketStatus, code?: number): void;
  /**
   * The socket closed before it ever opened, `failures` times in a row. A browser cannot see the
   * HTTP error of a refused upgrade (wrong token, session closed), so the page asks the API why.
   */
  refused?(failures: number): void;
}

/** Pauses before reconnecting, in ms; the last one repeats. */
const BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 15000];
/** A keep-alive ping this often (the runtime answers it without waking the room)… */
const PING_EVERY_MS = 20_000;
/** …and a connection that says nothing for this long after a ping is treated as dead. */
const PONG_WITHIN_MS = 6_000;

/** The absolute `ws:`/`wss:` address of an API path on this origin. */
export const socketUrl = (path: string): string =>
  `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}`;

/** One live connection, reopened until {@link LiveSocket.stop}. */
export class LiveSocket {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private deadTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = true;
  status: SocketStatus = 'stopped';

  constructor(
    private readonly url: string,
    private readonly on: SocketHandlers,
  ) {}

  /** Opens the connection (again, after a stop). */
  start(): void {
    this.stopped = false;
    this.attempt = 0;
    this.failures = 0;
    window.addEventListener('online', this.wake);
    window.addEventListener('offline', this.lost);
    document.addEventListener('visibilitychange', this.wake);
    this.open();
  }

  /** Closes the connection for good (the page is leaving, or the server said so). */
  stop(code?: number): void {
    this.stopped = true;
    window.removeEventListener('online', this.wake);
    window.removeEventListener('offline', this.lost);
    document.removeEventListener('visibilitychange', this.wake);
    clearTimeout(this.retryTimer);
    this.drop();
    this.setStatus('stopped', code);
  }

  /** Sends a message; false when not connected (the caller decides whether to keep it for later). */
  send(msg: ClientMessage): boolean {
    if (this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(msg));
    return true;
  }

  private setStatus(status: SocketStatus, code?: number): void {
    if (status === this.status && code === undefined) return;
    this.status = status;
    this.on.status(status, code);
  }

  private open(): void {
    clearTimeout(this.retryTimer);
    this.setStatus(this.attempt === 0 ? 'connecting' : 'reconnecting');
    let opened = false;
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => {
      opened = true;
      this.failures = 0;
      this.setStatus('open');
      this.pingTimer = setInterval(this.ping, PING_EVERY_MS);
    };
    ws.onmessage = (e: MessageEvent) => {
      clearTimeout(this.deadTimer);
      // A welcome means the server took us in: the next drop starts the back-off from the beginning.
      let msg: ServerMessage;
      try {
        msg = JSON.parse(String(e.data)) as ServerMessage;
      } catch {
        return;
      }
      if (msg.type === 'welcome') this.attempt = 0;
      this.on.message(msg);
    };
    ws.onclose = (e: CloseEvent) => {
      if (this.ws !== ws) return; // an old socket, already replaced
      this.drop();
      if (this.stopped) return;
      if (e.code === LIVE_CLOSE_CODES.replaced || e.code === LIVE_CLOSE_CODES.kicked) return this.stop(e.code);
      if (!opened) this.on.refused?.(++this.failures);
      this.retryLater();
    };
  }

  /** Forgets the current socket and its timers (closing it if still open). */
  private drop(): void {
    clearInterval(this.pingTimer);
    clearTimeout(this.deadTimer);
    const ws = this.ws;
    this.ws = null;
    if (ws && ws.readyState <= WebSocket.OPEN) ws.close(1000, 'bye');
  }

  private retryLater(): void {
    if (this.stopped) return;
    const base = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)]!;
    this.attempt++;
    this.setStatus('reconnecting');
    // ±25 %: after a classroom Wi-Fi drop, thirty phones do not all come back in the same instant.
    this.retryTimer = setTimeout(() => this.open(), base * (0.75 + Math.random() / 2));
  }

  private readonly ping = (): void => {
    if (!this.send({ type: 'ping' })) return;
    clearTimeout(this.deadTimer);
    // Half-open (a phone that slept, a NAT that forgot us): start over rather than wait for TCP.
    this.deadTimer = setTimeout(this.lost, PONG_WITHIN_MS);
  };

  /** The connection is gone (the device went offline, or pings go unanswered): say so and retry. */
  private readonly lost = (): void => {
    if (this.stopped || !this.ws) return;
    this.drop();
    this.retryLater();
  };

  /**
   * Back online, or the tab is visible again: retry at once instead of waiting out the back-off,
   * and ask an open connection for a fresh snapshot (timers may have slept with the tab).
   */
  private readonly wake = (): void => {
    if (this.stopped || document.visibilityState === 'hidden') return;
    if (this.ws?.readyState === WebSocket.OPEN) {
      this.send({ type: 'sync' });
      this.ping();
    } else if (!this.ws) {
      this.attempt = Math.min(this.attempt, 1);
      this.open();
    }
  };
}
