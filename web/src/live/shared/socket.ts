/**
 * The live game's WebSocket, kept open: reconnects with growing, jittered pauses after a drop,
 * detects a dead connection with keep-alive pings, and stops for good on the server's final close
 * codes (replaced, kicked, closed, deleted, flooding: see `LIVE_CLOSE_CODES`).
 *
 * Every connection first asks the API for a single-use ticket (see "Connecting" in
 * worker/contract/live.ts); the ticket request is an ordinary HTTP call, so when the server refuses
 * (session closed, credential rejected) its status and error code say why, which a refused
 * WebSocket upgrade never tells a browser.
 *
 * The server sends `welcome` and a snapshot of the game on every connection, so a reconnection
 * needs no special handling by the screens: they apply the messages as they come.
 */
import { ApiFailure } from '../../core/api';
import { LIVE_CLOSE_CODES, type ClientMessage, type ServerMessage } from '../../../../worker/contract';

/** Where the connection is. `stopped`: closed for good (by the server, a refused ticket, or the page). */
export type SocketStatus = 'connecting' | 'open' | 'reconnecting' | 'stopped';

/**
 * Asks the API for a fresh ticket and gives the WebSocket address to open (relative or absolute);
 * throws the API's {@link ApiFailure} when refused.
 */
export type TicketSource = () => Promise<string>;

/** Why the server stopped the connection for good: a final close code, or a refused ticket. */
export type SocketEnd = { code: number } | { refused: ApiFailure };

/** Close codes after which a client never reconnects. */
const FINAL_CODES: ReadonlySet<number> = new Set(Object.values(LIVE_CLOSE_CODES));

/**
 * Whether a ticket refusal is worth retrying: the network or the server failing, too many
 * requests, or a session that is not open yet (it may start in a minute). Any other refusal
 * (closed, unknown, credential rejected) will not change by asking again.
 */
export const retryable = (err: unknown): boolean =>
  !(err instanceof ApiFailure) ||
  err.status === 0 ||
  err.status >= 500 ||
  err.status === 429 ||
  err.code === 'not_open_yet' ||
  err.code === 'bad_response';

export interface SocketHandlers {
  message(msg: ServerMessage): void;
  /** The status changed; `end` says why, when the server stopped the socket for good. */
  status(status: SocketStatus, end?: SocketEnd): void;
  /** A ticket request failed and will be retried (e.g. the session is not open yet). */
  waiting?(err: unknown): void;
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
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private deadTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = true;
  /** Counts the attempts to open, so that a ticket arriving after a stop or a newer attempt is dropped. */
  private generation = 0;
  /** A ticket is being asked for (no socket yet). */
  private opening = false;
  status: SocketStatus = 'stopped';

  constructor(
    private readonly ticket: TicketSource,
    private readonly on: SocketHandlers,
  ) {}

  /** Opens the connection (again, after a stop). */
  start(): void {
    this.stopped = false;
    this.attempt = 0;
    window.addEventListener('online', this.wake);
    window.addEventListener('offline', this.lost);
    document.addEventListener('visibilitychange', this.wake);
    void this.open();
  }

  /** Closes the connection for good (the page is leaving, or the server said so). */
  stop(end?: SocketEnd): void {
    this.stopped = true;
    this.generation++;
    this.opening = false;
    window.removeEventListener('online', this.wake);
    window.removeEventListener('offline', this.lost);
    document.removeEventListener('visibilitychange', this.wake);
    clearTimeout(this.retryTimer);
    this.drop();
    this.setStatus('stopped', end);
  }

  /** Sends a message; false when not connected (the caller decides whether to keep it for later). */
  send(msg: ClientMessage): boolean {
    if (this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(msg));
    return true;
  }

  private setStatus(status: SocketStatus, end?: SocketEnd): void {
    if (status === this.status && end === undefined) return;
    this.status = status;
    this.on.status(status, end);
  }

  /** Asks for a ticket, then opens its socket; a refusal stops for good unless it is {@link retryable}. */
  private async open(): Promise<void> {
    clearTimeout(this.retryTimer);
    this.setStatus(this.attempt === 0 ? 'connecting' : 'reconnecting');
    const generation = ++this.generation;
    this.opening = true;
    let url: string;
    try {
      url = await this.ticket();
    } catch (err) {
      if (generation !== this.generation) return;
      this.opening = false;
      if (!retryable(err)) return this.stop({ refused: err as ApiFailure });
      this.on.waiting?.(err);
      return this.retryLater();
    }
    if (generation !== this.generation) return;
    this.opening = false;
    this.connectTo(url);
  }

  private connectTo(url: string): void {
    const ws = new WebSocket(/^wss?:/.test(url) ? url : socketUrl(url));
    this.ws = ws;
    ws.onopen = () => {
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
      if (FINAL_CODES.has(e.code)) return this.stop({ code: e.code });
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
    clearTimeout(this.retryTimer);
    const base = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)]!;
    this.attempt++;
    this.setStatus('reconnecting');
    // ±25 %: after a classroom Wi-Fi drop, thirty phones do not all come back in the same instant.
    this.retryTimer = setTimeout(() => void this.open(), base * (0.75 + Math.random() / 2));
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
    } else if (!this.ws && !this.opening) {
      this.attempt = Math.min(this.attempt, 1);
      void this.open();
    }
  };
}
