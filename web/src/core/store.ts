/**
 * What this device remembers: its own random id, a student's token and nickname per join code, a
 * teacher's key per session, and the last answer's feedback (so a reload shows it again instead of
 * starting the next question's clock). Storage may be unavailable (private mode, policy): then
 * nothing is kept.
 */
import type { AnswerResponse, AnswerResult, PlayState, StudentQuestion } from '../../../worker/contract';

function read(storage: () => Storage, key: string): string | null {
  try {
    return storage().getItem(key);
  } catch {
    return null;
  }
}

function write(storage: () => Storage, key: string, value: string | null): void {
  try {
    if (value === null) storage().removeItem(key);
    else storage().setItem(key, value);
  } catch {
    // Not remembered; the app still works until the page is closed.
  }
}

const local = () => localStorage;
const session = () => sessionStorage;
const tokenKey = (code: string) => `pomegranate:token:${code}`;
const nicknameKey = (code: string) => `pomegranate:nickname:${code}`;
const teacherKey = (id: string) => `pomegranate:teacher:${id}`;
const feedbackKey = (code: string) => `pomegranate:feedback:${code}`;
const outboxKey = (code: string) => `pomegranate:outbox:${code}`;
const DEVICE_KEY = 'pomegranate:device';

let device: string | null = null;

/**
 * This browser's random id, made once and kept: sent when joining so that the teacher sees when one
 * device holds several seats. Without storage it lasts as long as the page. (getRandomValues rather
 * than randomUUID: a school server on plain http is not a secure context.)
 */
export function deviceId(): string {
  device ??= read(local, DEVICE_KEY);
  // A value edited by hand would make every join refused: it is replaced instead.
  if (!device || !/^[A-Za-z0-9_-]{16,64}$/.test(device)) {
    device = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
    write(local, DEVICE_KEY, device);
  }
  return device;
}

/** A student's place in the quiz with join code `code`. */
export interface Seat {
  token: string;
  nickname: string;
}

/** The token and nickname this device joined `code` with, if any. */
export function getSeat(code: string): Seat | null {
  const token = read(local, tokenKey(code));
  return token ? { token, nickname: read(local, nicknameKey(code)) ?? '' } : null;
}

/** Remembers the device's place in quiz `code`. */
export function saveSeat(code: string, seat: Seat): void {
  write(local, tokenKey(code), seat.token);
  write(local, nicknameKey(code), seat.nickname);
}

/** A live join's first ticket, kept in memory for the page that opens the game's socket right after. */
let handed: { code: string; url: string; until: number } | null = null;

/** Keeps the ticket a live join came with (see {@link takeTicket}). */
export function handTicket(code: string, ticket: { url: string; expiresInSec: number }): void {
  // A little short of its expiry: the socket must still find it valid when it arrives.
  handed = { code, url: ticket.url, until: Date.now() + (ticket.expiresInSec - 5) * 1000 };
}

/** The live join's ticket for `code`, once and while fresh; null when the page must ask for one. */
export function takeTicket(code: string): string | null {
  const ticket = handed;
  handed = null;
  return ticket && ticket.code === code && ticket.until > Date.now() ? ticket.url : null;
}

/** Forgets the device's place in quiz `code` (the server no longer knows the token). */
export function clearSeat(code: string): void {
  write(local, tokenKey(code), null);
  write(local, nicknameKey(code), null);
  saveFeedback(code, null);
  saveQueued(code, null);
}

/** The teacher key remembered for session `id`. */
export const getTeacherKey = (id: string): string | null => read(local, teacherKey(id));

/** Remembers (or, with null, forgets) the teacher key of session `id`. */
export const saveTeacherKey = (id: string, key: string | null): void => write(local, teacherKey(id), key);

/**
 * The teacher key of session `id` for a page opened with the private link: a `#key=…` fragment is
 * remembered on this device and taken off the address bar (whoever reads a projected or shared
 * address would control the session); otherwise the key remembered here, or '' when none.
 */
export function takeTeacherKey(id: string): string {
  const fromLink = /(?:^#|&)key=([^&]+)/.exec(location.hash)?.[1];
  if (!fromLink) return getTeacherKey(id) ?? '';
  const key = decodeURIComponent(fromLink);
  saveTeacherKey(id, key);
  history.replaceState(history.state, '', location.pathname + location.search);
  // (Storage may be unavailable: the link's key still opens this page.)
  return getTeacherKey(id) ?? key;
}

/** Every session this device holds a teacher key for: the quick sessions opened here, listed on `/teach`. */
export function teacherKeys(): { id: string; key: string }[] {
  const prefix = teacherKey('');
  try {
    return Object.keys(localStorage)
      .filter((k) => k.startsWith(prefix))
      .map((k) => ({ id: k.slice(prefix.length), key: localStorage.getItem(k) ?? '' }))
      .filter((x) => x.id && x.key);
  } catch {
    return [];
  }
}

/** The feedback a student is looking at, kept for the length of the tab. */
export interface SavedFeedback {
  state: PlayState;
  question: StudentQuestion;
  response: AnswerResponse | null;
  result: AnswerResult;
}

/** The feedback shown before a reload, if the student had not moved on. */
export function getFeedback(code: string): SavedFeedback | null {
  const raw = read(session, feedbackKey(code));
  if (!raw) return null;
  try {
    const saved = JSON.parse(raw) as SavedFeedback;
    return saved.result && saved.question && saved.state ? saved : null;
  } catch {
    return null;
  }
}

/** Keeps (or, with null, drops) the feedback being shown for quiz `code`. */
export const saveFeedback = (code: string, feedback: SavedFeedback | null): void =>
  write(session, feedbackKey(code), feedback && JSON.stringify(feedback));

/**
 * An answer to an untimed question made while the connection was down, kept on the device (a
 * reload or a closed tab keeps it too) until the server has it. At most one per quiz: the next
 * question comes from the server, so a student cannot answer another before this one is sent.
 */
export interface QueuedAnswer {
  questionId: string;
  response: AnswerResponse | null;
  /** What the feedback, once the answer is sent, shows with it. */
  state: PlayState;
  question: StudentQuestion;
  position: number;
}

/** The answer waiting to be sent in quiz `code`, if any. */
export function getQueued(code: string): QueuedAnswer | null {
  const raw = read(local, outboxKey(code));
  if (!raw) return null;
  try {
    const queued = JSON.parse(raw) as QueuedAnswer;
    return typeof queued.questionId === 'string' && queued.state && queued.question ? queued : null;
  } catch {
    return null;
  }
}

/** Keeps (or, with null, drops once sent) the answer waiting to be sent in quiz `code`. */
export const saveQueued = (code: string, queued: QueuedAnswer | null): void =>
  write(local, outboxKey(code), queued && JSON.stringify(queued));

const largeTextKey = 'pomegranate:large-text';

/** Whether this device shows larger text (an accommodation a student turns on for themselves). */
export const largeText = (): boolean => read(local, largeTextKey) === '1';

/** Turns larger text on or off, remembered on the device; every size is in rem, so the root's size scales the page. */
export function setLargeText(on: boolean): void {
  write(local, largeTextKey, on ? '1' : null);
  document.documentElement.style.fontSize = on ? '125%' : '';
}
