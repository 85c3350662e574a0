/**
 * The live room's sockets: who is at the other end (kept in the socket's attachment, which survives
 * hibernation), reading what they send, and sending or closing without caring whether that end has
 * gone meanwhile: its close event follows, and the room handles the departure there.
 */
import { describeIssues } from '../lib/validate';
import type { Refusal } from './host-machine';
import { clientMessageSchema } from './protocol';
import { type ClientMessage, FRAME_LIMIT, type LiveScreen, MAX_CLIENT_FRAME, type ServerMessage } from '../contract';

/** What a socket's attachment holds (at most 2 KB). */
export type Attachment =
  | { role: 'host'; connId: string; at: number; screen: LiveScreen }
  | { role: 'player'; connId: string; at: number; participantId: string; nickname: string };

export const attachmentOf = (ws: WebSocket): Attachment | null =>
  (ws.deserializeAttachment() as Attachment | null) ?? null;

export const isOpen = (ws: WebSocket): boolean => ws.readyState === WebSocket.OPEN;

/** Each student's newest open socket, by participant id (after a reconnect the older one may still be closing). */
export function newestPlayerSockets(sockets: readonly WebSocket[]): Map<string, WebSocket> {
  const newest = new Map<string, { ws: WebSocket; at: number }>();
  for (const ws of sockets) {
    const who = attachmentOf(ws);
    if (who?.role !== 'player' || !isOpen(ws)) continue;
    const seen = newest.get(who.participantId);
    if (!seen || seen.at < who.at) newest.set(who.participantId, { ws, at: who.at });
  }
  return new Map([...newest].map(([id, { ws }]) => [id, ws]));
}

/** A client's frame as a protocol message, or why it is not one (`malformed`). */
export function readFrame(raw: string | ArrayBuffer): { msg: ClientMessage } | { refusal: Refusal } {
  const malformed = (message: string) => ({ refusal: { code: 'malformed' as const, message } });
  if (typeof raw !== 'string') return malformed('Send JSON text frames.');
  if (raw.length > MAX_CLIENT_FRAME) return malformed('That message is too large.');
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return malformed('That message is not JSON.');
  }
  const parsed = clientMessageSchema.safeParse(data);
  if (!parsed.success)
    return malformed(`That message is not part of the live protocol: ${describeIssues(parsed.error)}`);
  return { msg: parsed.data };
}

export function send(ws: WebSocket, msg: ServerMessage | string): void {
  try {
    ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  } catch {
    // Closed meanwhile.
  }
}

export function closeSocket(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code, reason);
  } catch {
    // Already closed.
  }
}

/**
 * Each socket's frame budget ({@link FRAME_LIMIT}): a token bucket per connection id, in memory.
 * Hibernation empties it, which only ever gives a socket a fresh budget: a socket that floods keeps
 * the room awake, so the bucket that counts it stays.
 */
export class FrameBudget {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly limit: { burst: number; perSecond: number } = FRAME_LIMIT) {}

  /** Spends one frame of `connId`'s budget; false when it has none left. */
  take(connId: string, now: number): boolean {
    const bucket = this.buckets.get(connId) ?? { tokens: this.limit.burst, at: now };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.limit.perSecond);
    bucket.at = now;
    this.buckets.set(connId, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  forget(connId: string): void {
    this.buckets.delete(connId);
  }
}
