/**
 * How a teacher's live screen (the projector, the remote) gets in: with the session's teacher key
 * (from the private link's `#key=` fragment, or remembered on this device), or, for a signed-in
 * owner, with the sign-in cookie alone. Either way every connection then asks the API for a ticket
 * naming which screen this is.
 */
import { ApiFailure, errorMessage } from '../../core/api';
import { liveStrings } from '../../i18n/live';
import { sessionsApi } from '../../core/sessions-api';
import { takeTeacherKey } from '../../core/store';
import type { GameOver, LiveGameController } from '../shared/game';
import type { TicketSource } from '../shared/socket';
import type { LiveScreen, TeacherView } from '../../../../worker/contract';

/** The session as the API shows it to this teacher, and where the screen's tickets come from. */
export interface TeacherAccess {
  view: TeacherView;
  /** The teacher key used, or '' when the owner's cookie opened the session. */
  key: string;
  tickets: TicketSource;
}

/** True when the API refused who is asking (no key and not signed in as the owner). */
export const refusedCredential = (err: unknown): boolean =>
  err instanceof ApiFailure && (err.status === 401 || err.status === 403);

/**
 * Opens session `id` for `screen`: the key first when there is one; the cookie when there is none
 * or the key is refused (a signed-in owner needs no key). Throws the API's failure otherwise.
 */
export async function teacherAccess(id: string, screen: LiveScreen): Promise<TeacherAccess> {
  let key = takeTeacherKey(id);
  let view: TeacherView | null = null;
  if (key) {
    try {
      view = await sessionsApi.view(id, key);
    } catch (err) {
      if (!refusedCredential(err)) throw err;
      key = '';
    }
  }
  view ??= await sessionsApi.view(id);
  const token = key || undefined;
  return { view, key, tickets: async () => (await sessionsApi.liveTicket(id, screen, token)).url };
}

/** Why a teacher's screen shows no game. */
export type ScreenStop =
  | { kind: 'needKey' | 'notLive' | 'ended' | 'deleted' | 'replaced' }
  | { kind: 'error'; error: unknown };

/** A teacher's screen for a game over for good (a flooding socket is a bug: shown as one). */
export function screenStop(over: GameOver): ScreenStop {
  switch (over.reason) {
    case 'refused':
      return { kind: 'error', error: over.failure };
    case 'flooding':
      return { kind: 'error', error: null };
    case 'deleted':
    case 'replaced':
      return { kind: over.reason };
    default:
      return { kind: 'ended' };
  }
}

/** The screen for a failure to get in (see {@link teacherAccess}). */
export const accessStop = (err: unknown): ScreenStop =>
  refusedCredential(err) ? { kind: 'needKey' } : { kind: 'error', error: err };

/** What a stopped teacher's screen says. */
export function stopText(stop: ScreenStop): string {
  const ls = liveStrings();
  if (stop.kind === 'error') return errorMessage(stop.error);
  return {
    needKey: ls.needKey,
    notLive: ls.notLive,
    ended: ls.endedTitle,
    deleted: ls.deletedText,
    replaced: ls.replacedHostText,
  }[stop.kind];
}

/** What a teacher's screen shows once it tried to get in: the session's code and title, or why not. */
export interface Opened {
  code: string;
  title: string;
  stop: ScreenStop | null;
}

/**
 * Gets in to session `id` as `screen` and connects `game` to its room. A closed session is not
 * decided here: its ticket is refused (410) if the room is gone, and a game that has just ended
 * on its own may still show its podium. Null when the page moved to another session meanwhile
 * (`current` gives the page's session id).
 */
export async function openScreen(
  id: string,
  screen: LiveScreen,
  game: LiveGameController,
  current: () => string,
): Promise<Opened | null> {
  game.stop();
  try {
    const { view, tickets } = await teacherAccess(id, screen);
    if (id !== current()) return null;
    const live = view.session.mode === 'live';
    if (live) game.connect(tickets);
    return { code: view.session.code, title: view.session.title, stop: live ? null : { kind: 'notLive' } };
  } catch (err) {
    return id === current() ? { code: '', title: '', stop: accessStop(err) } : null;
  }
}
