/**
 * The teacher chunk: `pg-app` imports this module dynamically, so the student pages never load
 * the teacher elements. It also routes every `/teach…` path, so new teacher pages need no change
 * (and no bytes) in the student entry.
 */
import { html, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { strings } from '../i18n/lang';
import { teacherStrings } from '../i18n/teacher';
import { segment } from '../core/nav';
import { AuthController, knownTeacher } from './auth';
import './sessions/pg-teacher-new';
import './sessions/pg-teacher-dashboard';
import './pg-teacher-nav';
import './pg-teacher-home';
import './account/pg-teacher-signin';
import './account/pg-teacher-account';
import './quizzes/pg-quiz-builder';
import './classes/pg-class-page';
import './sessions/pg-session-report';
import './generate/pg-generate';

/** A teacher page: its title and its view. */
export interface TeacherRoute {
  title: string;
  view: TemplateResult;
  teacher: true;
}

/**
 * Lets the shell re-render when the signed-in teacher changes (the title of `/teach` and the
 * header links depend on it).
 */
export function watchTeacher(shell: ReactiveControllerHost): void {
  new AuthController(shell);
}

/** The page for a `/teach…` path (without a trailing slash). */
export function teacherRoute(path: string): TeacherRoute {
  const s = strings();
  const ts = teacherStrings();
  const page = (title: string, view: TemplateResult): TeacherRoute => ({ title, view, teacher: true });
  let m: RegExpExecArray | null;
  if (path === '/teach') return page(knownTeacher() ? ts.home.title : s.newTitle, html`<pg-teacher-home></pg-teacher-home>`);
  if (path === '/teach/quick') return page(s.newTitle, html`<pg-teacher-new></pg-teacher-new>`);
  if (path === '/teach/signin') return page(ts.auth.title, html`<pg-teacher-signin></pg-teacher-signin>`);
  if (path === '/teach/account') return page(ts.account.title, html`<pg-teacher-account></pg-teacher-account>`);
  if (path === '/teach/generate') return page(ts.gen.title, html`<pg-generate></pg-generate>`);
  if ((m = /^\/teach\/quizzes\/([^/]+)$/.exec(path)))
    return page(ts.builder.title, html`<pg-quiz-builder quiz-id=${segment(m[1]!)}></pg-quiz-builder>`);
  if ((m = /^\/teach\/classes\/([^/]+)$/.exec(path)))
    return page(ts.klass.title, html`<pg-class-page class-id=${segment(m[1]!)}></pg-class-page>`);
  if ((m = /^\/teach\/([^/]+)\/report$/.exec(path)))
    return page(ts.report.title, html`<pg-session-report session-id=${segment(m[1]!)}></pg-session-report>`);
  if ((m = /^\/teach\/([^/]+)$/.exec(path)))
    return page(s.dashboardTitle, html`<pg-teacher-dashboard session-id=${segment(m[1]!)}></pg-teacher-dashboard>`);
  return page(s.notFoundTitle, html`<h1>${s.notFoundTitle}</h1>
    <p>${s.notFoundText}</p>
    <p><a href="/teach">${ts.nav.workspace}</a></p>`);
}
