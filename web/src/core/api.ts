/**
 * Typed calls to the Pomegranate API. Every failure becomes an {@link ApiFailure}; show it to
 * people with {@link errorMessage}, which speaks the interface language.
 */
import { lang, strings, type Strings } from '../i18n/lang';
import { zhApiErrors } from '../i18n/student.zh';
import type { AnswerResult, BankSummary, CreatedSession, Joined, Leaderboard, PlayState, QuestionType, Review, SessionInfo, TeacherView, Topic } from '../../../worker/contract';

/**
 * What a student submits, by question type (mirrors `responseSchemas` in worker/questions/scoring.ts,
 * which the web project cannot import: it builds zod schemas at run time).
 */
export interface ResponseByType {
  single: { optionId: string };
  multi: { optionIds: string[] };
  truefalse: { value: boolean };
  numeric: { value: number };
  ordering: { order: string[] };
  matching: { pairs: Record<string, string> };
  text: { text: string };
}
/** A submitted answer of any type. */
export type AnswerResponse = ResponseByType[QuestionType];

/** Body of `POST /api/sessions`. */
export interface NewSession {
  title: string;
  /** Empty means every topic. */
  topics: Topic[];
  /** Empty means every type. */
  types: QuestionType[];
  /** Null means every matching question. */
  count: number | null;
  timeLimitSec: number;
}

/** A failed call: the HTTP status (0 when the server could not be reached) and the API's error code. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
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
    res = await fetch(path, { method, headers, body: body === undefined ? null : JSON.stringify(body), cache: 'no-store' });
  } catch {
    throw new ApiFailure(0, 'network', strings().network);
  }
  if (res.status === 204) return undefined as T;
  const data: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const error = (data as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    throw new ApiFailure(
      res.status,
      typeof error?.code === 'string' ? error.code : 'http_error',
      typeof error?.message === 'string' ? error.message : strings().unexpected,
    );
  }
  if (data === null) throw new ApiFailure(res.status, 'bad_response', strings().unexpected);
  return data as T;
}

const enc = encodeURIComponent;

/** The API, one function per route. */
export const api = {
  bank: () => call<BankSummary>('/api/bank'),
  createSession: (body: NewSession) => call<CreatedSession>('/api/sessions', { method: 'POST', body }),
  teacherView: (id: string, key: string) => call<TeacherView>(`/api/sessions/${enc(id)}`, { token: key }),
  closeSession: (id: string, key: string) =>
    call<{ status: 'closed' }>(`/api/sessions/${enc(id)}/close`, { method: 'POST', token: key }),
  deleteSession: (id: string, key: string) => call<void>(`/api/sessions/${enc(id)}`, { method: 'DELETE', token: key }),
  sessionInfo: (code: string) => call<SessionInfo>(`/api/codes/${enc(code)}`),
  join: (code: string, nickname: string) =>
    call<Joined>(`/api/codes/${enc(code)}/participants`, { method: 'POST', body: { nickname } }),
  play: (token: string) => call<PlayState>('/api/play', { token }),
  answer: (token: string, questionId: string, response: AnswerResponse | null) =>
    call<AnswerResult>('/api/play/answers', { method: 'POST', token, body: { questionId, response } }),
  review: (token: string) => call<Review>('/api/play/review', { token }),
  leaderboard: (token: string) => call<Leaderboard>('/api/play/leaderboard', { token }),
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

/**
 * Text to show for a failure, in the interface language: the API's own (English) message, or its
 * Chinese version by error code; a network failure or a bug gets a friendly generic line.
 */
export function errorMessage(err: unknown): string {
  const s = strings();
  if (err instanceof Problem) return s[err.key];
  if (!(err instanceof ApiFailure)) return s.unexpected;
  if (err.code === 'network') return s.network;
  if (lang() === 'en') return err.message;
  const zh = zhApiErrors[err.code];
  if (zh) return zh;
  // Validation messages (invalid_json…) name the exact problem, so keep them after a Chinese lead-in.
  return err.code.startsWith('invalid_') ? `请检查填写的内容：${err.message}` : err.message;
}
