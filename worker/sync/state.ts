/** Where a laptop's closed session stands with the cloud (pure, unit-tested). */
import type { ErrorCode, SessionSend } from '../contract';

/** A closed session of the laptop, with its student count. */
export interface ClosedSession {
  id: string;
  title: string;
  closedAt: number;
  students: number;
}

/** The session's `sync_sends` row, if it has one. */
export interface SendRow {
  state: 'sending' | 'sent' | 'refused';
  closedAt: number;
  sent: number;
  total: number;
  errorCode: string | null;
  message: string | null;
}

/**
 * The send state of a session: waiting without a row, or when the row is of an earlier closing
 * (the session was reopened and played on since, so it is to be sent again).
 */
export function sendStateOf(s: ClosedSession, row: SendRow | null): SessionSend {
  const current = row !== null && row.closedAt === s.closedAt;
  return {
    id: s.id,
    title: s.title,
    closedAt: s.closedAt,
    state: current ? row.state : 'waiting',
    sent: current ? row.sent : 0,
    total: current ? row.total : s.students,
    error: current && row.errorCode !== null ? { code: row.errorCode as ErrorCode, message: row.message ?? '' } : null,
  };
}
