/**
 * The signed-in teacher's API routes, on the shared {@link call} of core/api (same errors, same
 * language handling). The browser sends the HttpOnly session cookie by itself on same-origin
 * requests; a session's secret key, where one is used instead, goes as a Bearer token.
 */
import { ApiFailure, call } from '../core/api';
import { strings } from '../i18n/lang';
import type {
  BankFilter,
  BankPage,
  ClassDetail,
  ClassSummary,
  ImportResult,
  OpenSession,
  QuestionBody,
  QuizDetail,
  QuizSummary,
  RosterEntry,
  SessionPatch,
} from './types';
import type { ClassReport, CreatedSession, Draft, Question, QuizSettings, SessionList, SessionReport, Teacher, TeacherView } from '../../../worker/contract';

const enc = encodeURIComponent;
const post = <T>(path: string, body?: unknown, token?: string) => call<T>(path, { method: 'POST', body, token });
const put = <T>(path: string, body: unknown) => call<T>(path, { method: 'PUT', body });
const del = (path: string, token?: string) => call<void>(path, { method: 'DELETE', token });

/** The query string of a bank search, without empty filters. */
function bankQuery(f: BankFilter): string {
  const q = new URLSearchParams();
  if (f.q) q.set('q', f.q);
  if (f.topic) q.set('topic', f.topic);
  if (f.type) q.set('type', f.type);
  if (f.difficulty) q.set('difficulty', String(f.difficulty));
  if (f.mine) q.set('mine', '1');
  if (f.limit) q.set('limit', String(f.limit));
  if (f.offset) q.set('offset', String(f.offset));
  return q.toString();
}

/** The teacher routes, one function per route. `token` is a session's secret key where it may replace the cookie. */
export const teacherApi = {
  me: () => call<{ teacher: Teacher }>('/api/auth/me'),
  register: (body: { email: string; name: string; password: string }) => post<{ teacher: Teacher }>('/api/auth/register', body),
  signIn: (body: { email: string; password: string }) => post<{ teacher: Teacher }>('/api/auth/signin', body),
  signOut: () => post<void>('/api/auth/signout'),
  changePassword: (current: string, next: string) => post<void>('/api/auth/password', { current, next }),

  classes: () => call<{ classes: ClassSummary[] }>('/api/classes'),
  createClass: (name: string, roster: string[]) => post<{ id: string; name: string; roster: number }>('/api/classes', { name, roster }),
  getClass: (id: string) => call<ClassDetail>(`/api/classes/${enc(id)}`),
  updateClass: (id: string, body: { name?: string; roster?: string[] }) =>
    put<{ id: string; name: string; roster: RosterEntry[] }>(`/api/classes/${enc(id)}`, body),
  deleteClass: (id: string) => del(`/api/classes/${enc(id)}`),
  classReport: (id: string) => call<ClassReport>(`/api/classes/${enc(id)}/report`),

  questions: (filter: BankFilter) => call<BankPage>(`/api/questions?${bankQuery(filter)}`),
  createQuestion: (body: QuestionBody) => post<{ id: string; question: Question }>('/api/questions', body),
  updateQuestion: (id: string, body: QuestionBody) => put<{ id: string; question: Question }>(`/api/questions/${enc(id)}`, body),
  deleteQuestion: (id: string) => del(`/api/questions/${enc(id)}`),
  importGift: (gift: string, lang: 'zh' | 'en' | 'both') => post<ImportResult>('/api/questions/import', { gift, lang }),

  quizzes: () => call<{ quizzes: QuizSummary[] }>('/api/quizzes'),
  createQuiz: (body: { title: string; settings: QuizSettings; questionIds: string[] }) => post<{ id: string }>('/api/quizzes', body),
  getQuiz: (id: string) => call<QuizDetail>(`/api/quizzes/${enc(id)}`),
  updateQuiz: (id: string, body: { title?: string; settings?: QuizSettings; questionIds?: string[] }) =>
    put<{ id: string; title: string; settings: QuizSettings }>(`/api/quizzes/${enc(id)}`, body),
  duplicateQuiz: (id: string) => post<{ id: string; title: string }>(`/api/quizzes/${enc(id)}/duplicate`),
  deleteQuiz: (id: string) => del(`/api/quizzes/${enc(id)}`),
  /** Address of the GIFT download (cookie only, so a plain link works). */
  giftUrl: (id: string, lang: 'zh' | 'en' | 'both') => `/api/quizzes/${enc(id)}/export.gift?lang=${lang}`,

  openSession: (body: OpenSession) => post<CreatedSession>('/api/sessions', body),
  sessions: () => call<SessionList>('/api/sessions'),
  teacherView: (id: string, token?: string) => call<TeacherView>(`/api/sessions/${enc(id)}`, { token }),
  patchSession: (id: string, body: SessionPatch, token?: string) =>
    call<SessionPatch & { id: string }>(`/api/sessions/${enc(id)}`, { method: 'PATCH', body, token }),
  closeSession: (id: string, token?: string) => post<{ status: 'closed' }>(`/api/sessions/${enc(id)}/close`, undefined, token),
  reopenSession: (id: string, token?: string) => post<{ status: 'open'; code: string }>(`/api/sessions/${enc(id)}/reopen`, undefined, token),
  removeParticipant: (id: string, pid: string, token?: string) => del(`/api/sessions/${enc(id)}/participants/${enc(pid)}`, token),
  linkRoster: (id: string, pid: string, rosterId: string | null, token?: string) =>
    call<{ id: string; rosterId: string | null }>(`/api/sessions/${enc(id)}/participants/${enc(pid)}/roster`, {
      method: 'PUT',
      body: { rosterId },
      token,
    }),
  sessionReport: (id: string, token?: string) => call<SessionReport>(`/api/sessions/${enc(id)}/report`, { token }),
  /** Address of the CSV download (a plain link works with the cookie; with a key see {@link download}). */
  csvUrl: (id: string) => `/api/sessions/${enc(id)}/export.csv`,

  generate: (text: string) => post<{ drafts: Draft[] }>('/api/generate', { text }),
  acceptDrafts: (title: string, drafts: Draft[]) => post<{ quizId: string }>('/api/generate/accept', { title, drafts }),
};

/**
 * Downloads `url` with a Bearer key (a plain link cannot send one) and hands the file to the
 * browser under `filename`.
 */
export async function download(url: string, token: string, filename: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' });
  } catch {
    throw new ApiFailure(0, 'network', strings().network);
  }
  if (!res.ok) {
    const data = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    throw new ApiFailure(res.status, data?.error?.code ?? 'http_error', data?.error?.message ?? strings().unexpected);
  }
  const href = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}
