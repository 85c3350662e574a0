/**
 * The routes that manage one session: open, watch, change, close, reopen, delete it, its students
 * and its report. The teacher pages call them with the sign-in cookie, the projector and the quick
 * teacher's dashboard with the session's secret key (`token`), so they live outside the teacher
 * chunk; a student's page never imports them.
 */
import { call } from './api';
import { lang } from '../i18n/lang';
import type {
  CreatedSession,
  LiveScreen,
  LiveTicket,
  LiveTicketRequest,
  SessionReport,
  TeacherView,
} from '../../../worker/contract';
import type {
  CreateSessionBody,
  ExportQuery,
  HideAnswerBody,
  LinkRosterBody,
  PatchSessionBody,
} from '../../../worker/requests';

const enc = encodeURIComponent;
const path = (id: string, rest = '') => `/api/sessions/${enc(id)}${rest}`;

/**
 * The query of a CSV download: headers and texts in the interface language, times in this
 * device's time zone (the school's, for a teacher at school; the server's default when the
 * browser names none).
 */
export function csvQuery(): string {
  const q: ExportQuery = { lang: lang() };
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (tz) q.tz = tz;
  return new URLSearchParams(q).toString();
}

/** One function per route; `token` is the session's secret key where it stands in for the cookie. */
export const sessionsApi = {
  open: (body: CreateSessionBody) => call<CreatedSession>('/api/sessions', { method: 'POST', body }),
  view: (id: string, token?: string) => call<TeacherView>(path(id), { token }),
  patch: (id: string, body: PatchSessionBody, token?: string) =>
    call<PatchSessionBody & { id: string }>(path(id), { method: 'PATCH', body, token }),
  close: (id: string, token?: string) => call<{ status: 'closed' }>(path(id, '/close'), { method: 'POST', token }),
  reopen: (id: string, token?: string) =>
    call<{ status: 'open'; code: string }>(path(id, '/reopen'), { method: 'POST', token }),
  remove: (id: string, token?: string) => call<void>(path(id), { method: 'DELETE', token }),
  removeParticipant: (id: string, pid: string, token?: string) =>
    call<void>(path(id, `/participants/${enc(pid)}`), { method: 'DELETE', token }),
  /** Removes every seat without an answer that says anything. */
  removeIdle: (id: string, token?: string) =>
    call<{ removed: number }>(path(id, '/participants?answered=none'), { method: 'DELETE', token }),
  linkRoster: (id: string, pid: string, rosterId: string | null, token?: string) =>
    call<{ id: string; rosterId: string | null; nickname: string }>(path(id, `/participants/${enc(pid)}/roster`), {
      method: 'PUT',
      body: { rosterId } satisfies LinkRosterBody,
      token,
    }),
  /** A single-use ticket for one live connection of a teacher's screen (projector or remote). */
  liveTicket: (id: string, screen: LiveScreen, token?: string) =>
    call<LiveTicket>(path(id, '/live/ticket'), {
      method: 'POST',
      body: { screen } satisfies LiveTicketRequest,
      token,
    }),
  report: (id: string, token?: string) => call<SessionReport>(path(id, '/report'), { token }),
  /** Takes an open answer out of the word cloud, or puts it back. */
  hideAnswer: (id: string, body: HideAnswerBody, token?: string) =>
    call<{ hidden: boolean }>(path(id, '/report/hidden'), { method: 'PUT', body, token }),
  // Addresses of the CSV downloads: a plain link works with the cookie; with a key see teacher/api's `download`.
  /** Every answer, one per row. */
  answersCsvUrl: (id: string) => path(id, `/export.csv?${csvQuery()}`),
  /** One row per student, one column per question. */
  gridCsvUrl: (id: string) => path(id, `/grid.csv?${csvQuery()}`),
};
