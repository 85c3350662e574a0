/**
 * The signed-in teacher's API routes, on the shared {@link call} of core/api (same errors, same
 * language handling). The browser sends the HttpOnly session cookie by itself on same-origin
 * requests; a session's secret key, where one is used instead, goes as a Bearer token.
 */
import { ApiFailure, call, failureOf } from '../core/api';
import { csvQuery } from '../core/sessions-api';
import { strings } from '../i18n/lang';
import type {
  BankFilter,
  BankPage,
  ClassDetail,
  ClassSummary,
  ImportResult,
  QuestionBody,
  QuizDetail,
  QuizSummary,
  RosterEntry,
} from './types';
import type {
  AccountSettings,
  BankRelations,
  BankSummary,
  ClassReport,
  CloudLink,
  CreatedLinkToken,
  Draft,
  LinkTokenSummary,
  PullResult,
  Question,
  QuizSettings,
  SessionList,
  SessionSend,
  Teacher,
  TimeFactor,
  UploadedImage,
} from '../../../worker/contract';
import type {
  AcceptDraftsBody,
  AccountSettingsBody,
  CloudLinkBody,
  CreateClassBody,
  CreateQuizBody,
  DeleteAccountBody,
  GenerateBody,
  ImportGiftBody,
  LinkTokenBody,
  PasswordBody,
  RegisterBody,
  RosterAccommodationBody,
  SendBody,
  SignInBody,
  UpdateClassBody,
  UpdateQuizBody,
} from '../../../worker/requests';

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
  bank: () => call<BankSummary>('/api/bank'),
  bankRelations: () => call<BankRelations>('/api/bank/relations'),
  register: (body: RegisterBody) => post<{ teacher: Teacher }>('/api/auth/register', body),
  signIn: (body: SignInBody) => post<{ teacher: Teacher }>('/api/auth/signin', body),
  signOut: () => post<void>('/api/auth/signout'),
  changePassword: (current: string, next: string) =>
    post<void>('/api/auth/password', { current, next } satisfies PasswordBody),
  account: () => call<AccountSettings>('/api/auth/account'),
  setAccount: (body: AccountSettingsBody) => put<AccountSettings>('/api/auth/account', body),
  /** Address of the account's JSON export (cookie only, so a plain link works). */
  accountExportUrl: '/api/auth/account/export',
  deleteAccount: (password: string) =>
    call<void>('/api/auth/account', { method: 'DELETE', body: { password } satisfies DeleteAccountBody }),

  classes: () => call<{ classes: ClassSummary[] }>('/api/classes'),
  createClass: (name: string, roster: string[]) =>
    post<{ id: string; name: string; roster: number }>('/api/classes', { name, roster } satisfies CreateClassBody),
  getClass: (id: string) => call<ClassDetail>(`/api/classes/${enc(id)}`),
  updateClass: (id: string, body: UpdateClassBody) =>
    put<{ id: string; name: string; roster: RosterEntry[] }>(`/api/classes/${enc(id)}`, body),
  deleteClass: (id: string) => del(`/api/classes/${enc(id)}`),
  setTimeFactor: (id: string, rosterId: string, timeFactor: TimeFactor) =>
    put<RosterEntry>(`/api/classes/${enc(id)}/roster/${enc(rosterId)}`, {
      timeFactor,
    } satisfies RosterAccommodationBody),
  classReport: (id: string) => call<ClassReport>(`/api/classes/${enc(id)}/report`),
  /** Address of the class's student × session CSV (cookie only, so a plain link works). */
  classGridUrl: (id: string) => `/api/classes/${enc(id)}/grid.csv?${csvQuery()}`,

  questions: (filter: BankFilter) => call<BankPage>(`/api/questions?${bankQuery(filter)}`),
  createQuestion: (body: QuestionBody) => post<{ id: string; question: Question }>('/api/questions', body),
  updateQuestion: (id: string, body: QuestionBody) =>
    put<{ id: string; question: Question }>(`/api/questions/${enc(id)}`, body),
  deleteQuestion: (id: string) => del(`/api/questions/${enc(id)}`),
  importGift: (gift: string, lang: 'zh' | 'en' | 'both') =>
    post<ImportResult>('/api/questions/import', { gift, lang } satisfies ImportGiftBody),

  quizzes: () => call<{ quizzes: QuizSummary[] }>('/api/quizzes'),
  createQuiz: (body: CreateQuizBody) => post<{ id: string }>('/api/quizzes', body),
  getQuiz: (id: string) => call<QuizDetail>(`/api/quizzes/${enc(id)}`),
  updateQuiz: (id: string, body: UpdateQuizBody) =>
    put<{ id: string; title: string; settings: QuizSettings }>(`/api/quizzes/${enc(id)}`, body),
  duplicateQuiz: (id: string) => post<{ id: string; title: string }>(`/api/quizzes/${enc(id)}/duplicate`),
  deleteQuiz: (id: string) => del(`/api/quizzes/${enc(id)}`),
  /** Address of the GIFT download (cookie only, so a plain link works). */
  giftUrl: (id: string, lang: 'zh' | 'en' | 'both') => `/api/quizzes/${enc(id)}/export.gift?lang=${lang}`,

  sessions: () => call<SessionList>('/api/sessions'),

  linkTokens: () => call<LinkTokenSummary[]>('/api/link-tokens'),
  createLinkToken: (name: string) => post<CreatedLinkToken>('/api/link-tokens', { name } satisfies LinkTokenBody),
  revokeLinkToken: (id: string) => del(`/api/link-tokens/${enc(id)}`),
  cloudLink: () => call<{ link: CloudLink | null }>('/api/cloud/link'),
  linkCloud: (body: CloudLinkBody) => put<{ link: CloudLink }>('/api/cloud/link', body),
  unlinkCloud: () => del('/api/cloud/link'),
  sendStates: () => call<SessionSend[]>('/api/cloud/sessions'),
  sendSession: (id: string) => post<SessionSend>(`/api/cloud/sessions/${enc(id)}/send`, {} satisfies SendBody),
  pullFromCloud: () => post<PullResult>('/api/cloud/pull'),

  generate: (text: string) => post<{ drafts: Draft[] }>('/api/generate', { text } satisfies GenerateBody),
  acceptDrafts: (title: string, drafts: Draft[]) =>
    post<{ quizId: string }>('/api/generate/accept', { title, drafts } satisfies AcceptDraftsBody),
};

/** `POST /api/images`: one picture in one or more widths, as multipart/form-data. */
export async function uploadImage(files: readonly Blob[]): Promise<UploadedImage> {
  const form = new FormData();
  for (const f of files) form.append('file', f);
  let res: Response;
  try {
    res = await fetch('/api/images', { method: 'POST', body: form, headers: { Accept: 'application/json' } });
  } catch {
    throw new ApiFailure(0, 'network', strings().network);
  }
  if (!res.ok) throw await failureOf(res);
  return (await res.json()) as UploadedImage;
}

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
  if (!res.ok) throw await failureOf(res);
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
