/**
 * The live room's sockets: who is at the other end (kept in the socket's attachment, which survives
 * hibernation), reading what they send, and sending or closing without caring whether that end has
 * gone meanwhile: its close event follows, and the room handles the departure there.
 */
import { describeIssues } from '../lib/validate';
import type { Refusal } from './host-machine';
import { clientMessageSchema } from './protocol';
import { type ClientMessage, MAX_CLIENT_FRAME, type ServerMessage } from '../contract';

/** What a socket's attachment holds (at most 2 KB). */
export type Attachment =
  | { role: 'host'; connId: string; at: number }
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
