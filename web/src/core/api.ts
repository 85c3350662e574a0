/**
 * Typed calls to the Pomegranate API. Every failure becomes an {@link ApiFailure}; show it to
 * people with {@link errorMessage}, which speaks the interface language.
 */
import { errorTexts, strings, type Strings } from '../i18n/lang';
import { deviceId } from './store';
import type {
  AnswerResponse,
  AnswerResult,
  CodeLookup,
  ErrorBody,
  ErrorCode,
  FieldIssue,
  Joined,
  Leaderboard,
  LiveTicket,
  PlayState,
  PracticeResult,
  Review,
} from '../../../worker/contract';
import type { AnswerBody, JoinBody } from '../../../worker/requests';

/** Why a call failed: one of the API's codes, or what the page itself saw. */
export type FailureCode = ErrorCode | 'network' | 'bad_response';

/**
 * A failed call: the HTTP status (0 when the server could not be reached), the error code, refused
 * fields, and the seconds to wait when the server says.
 */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: FailureCode,
    message: string,
    readonly fields: readonly FieldIssue[] = [],
    readonly retryAfterSec: number | null = null,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

/** The failure an error response stands for (its JSON error body, when it has one). */
export async function failureOf(res: Response): Promise<ApiFailure> {
  const data: unknown = await res.json().catch(() => null);
  const error = (data as Partial<ErrorBody> | null)?.error;
  // A server newer than this page may send a code it has no text for: errorMessage says so in general words.
  const code = typeof error?.code === 'string' ? (error.code as ErrorCode) : 'http_error';
  return new ApiFailure(
    res.status,
    code,
    typeof error?.message === 'string' ? error.message : '',
    Array.isArray(error?.fields) ? error.fields : [],
    typeof error?.retryAfterSec === 'number' ? error.retryAfterSec : null,
  );
}

/** Options of {@link call}. */
export interface Call {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Bearer token: a student's device token or a teacher's key. */
  token?: string | undefined;
  body?: unknown;
}

/** One API request; the teacher chunk builds its own routes on it (teacher/api). */
export async function call<T>(path: string, { method = 'GET', token, body }: Call = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch {
    throw new ApiFailure(0, 'network', strings().network);
  }
  if (res.status === 204) return undefined as T;
  if (!res.ok) throw await failureOf(res);
  const data: unknown = await res.json().catch(() => null);
  if (data === null) throw new ApiFailure(res.status, 'bad_response', strings().unexpected);
  return data as T;
}

const enc = encodeURIComponent;

/** The student's routes, one function per route (a session's own routes are in ./sessions-api). */
export const api = {
  sessionInfo: (code: string) => call<CodeLookup>(`/api/codes/${enc(code)}`),
  /** Joins with a nickname of one's own, or with one's name from the class list. */
  join: (code: string, who: { nickname: string } | { rosterId: string }) =>
    call<Joined>(`/api/codes/${enc(code)}/participants`, {
      method: 'POST',
      body: { ...who, device: deviceId() } satisfies JoinBody,
    }),
  play: (token: string) => call<PlayState>('/api/play', { token }),
  answer: (token: string, questionId: string, response: AnswerResponse | null) =>
    call<AnswerResult>('/api/play/answers', {
      method: 'POST',
      token,
      body: { questionId, response } satisfies AnswerBody,
    }),
  review: (token: string) => call<Review>('/api/play/review', { token }),
  practise: (token: string, questionId: string, response: AnswerResponse) =>
    call<PracticeResult>('/api/play/practice', {
      method: 'POST',
      token,
      body: { questionId, response } satisfies AnswerBody,
    }),
  leaderboard: (token: string) => call<Leaderboard>('/api/play/leaderboard', { token }),
  /** A single-use ticket for one connection of a live game (every reconnection asks again). */
  liveTicket: (token: string) => call<LiveTicket>('/api/play/live/ticket', { method: 'POST', token }),
};

/** Keys of the dictionary whose value is a plain text. */
type TextKey = { [K in keyof Strings]: Strings[K] extends string ? K : never }[keyof Strings];

/** A problem found before calling the API (a malformed code…), shown in the current language. */
export class Problem extends Error {
  constructor(readonly key: TextKey) {
    super(key);
    this.name = 'Problem';
  }
}

/** The refused fields, each as "name: problem" in the interface language. */
function fieldsText(fields: readonly FieldIssue[]): string {
  const texts = errorTexts();
  return fields
    .map(({ path, problem }) => {
      const last =
        path
          .split('.')
          .filter((p) => !/^\d+$/.test(p))
          .at(-1) ?? '';
      return `${texts.fieldNames[last] ?? path}${texts.colon}${texts.fieldProblems[problem]}`;
    })
    .join(texts.separator);
}

/** What was tried too often, for the text that says how long to wait. */
export type Attempts = keyof ReturnType<typeof errorTexts>['waitTexts'];

/**
 * Text to show for a failure, in the interface language: the page's own text for the API's error
 * code (never the API's English sentence), with the refused fields of a form, or how long to wait
 * after too many `attempts`; a network failure or a bug gets a friendly generic line.
 */
export function errorMessage(err: unknown, attempts: Attempts = 'attempts'): string {
  const s = strings();
  if (err instanceof Problem) return s[err.key];
  if (!(err instanceof ApiFailure) || err.code === 'bad_response') return s.unexpected;
  if (err.code === 'network') return s.network;
  if (err.code === 'too_many_attempts' && err.retryAfterSec !== null)
    return errorTexts().waitTexts[attempts](err.retryAfterSec);
  const text = errorTexts().codes[err.code] ?? s.unexpected;
  return err.fields.length ? `${text} ${fieldsText(err.fields)}` : text;
}
