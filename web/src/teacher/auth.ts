/**
 * Who is signed in, asked once per page load (`GET /api/auth/me`) and shared by every teacher
 * element; sign-in and sign-out update it, and {@link AuthController} re-renders its host then.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ApiFailure } from '../core/api';
import { teacherApi } from './api';
import type { Teacher } from '../../../worker/contract';

/** `undefined` until the server has answered. */
let known: Teacher | null | undefined;
let pending: Promise<Teacher | null> | null = null;
/** Why the last question failed (the network…), while {@link known} is still undefined. */
let problem: unknown = null;
const hosts = new Set<ReactiveControllerHost>();

/** The signed-in teacher as last known: null when signed out, undefined when not asked yet. */
export const knownTeacher = (): Teacher | null | undefined => known;

/** Why asking who is signed in failed (a network failure), or null. */
export const authProblem = (): unknown => problem;

/**
 * The signed-in teacher, or null. Asks the server the first time only; a network failure is
 * thrown (and asked again next time), a 401 means signed out.
 */
export function currentTeacher(): Promise<Teacher | null> {
  if (known !== undefined) return Promise.resolve(known);
  if (!pending) {
    problem = null;
    for (const host of hosts) host.requestUpdate();
  }
  pending ??= teacherApi.me().then(
    ({ teacher }) => {
      setTeacher(teacher);
      return teacher;
    },
    (err: unknown) => {
      pending = null;
      if (err instanceof ApiFailure && err.status === 401) {
        setTeacher(null);
        return null;
      }
      problem = err;
      for (const host of hosts) host.requestUpdate();
      throw err;
    },
  );
  return pending;
}

/** Records a sign-in (or, with null, a sign-out) and re-renders every watching element. */
export function setTeacher(teacher: Teacher | null): void {
  known = teacher;
  pending = null;
  for (const host of hosts) host.requestUpdate();
}

/** Re-renders its host when the signed-in teacher changes; asks the server on first connection. */
export class AuthController implements ReactiveController {
  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }
  hostConnected(): void {
    hosts.add(this.host);
    if (known === undefined) currentTeacher().catch(() => undefined); // shown through authProblem()
  }
  hostDisconnected(): void {
    hosts.delete(this.host);
  }
}

/** The sign-in page's address, coming back to `path` afterwards. */
export const signInPath = (path = location.pathname): string => `/teach/signin?next=${encodeURIComponent(path)}`;
