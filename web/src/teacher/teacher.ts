/**
 * The teacher chunk: `pg-app` imports this module dynamically when a teacher path opens, so the
 * student pages never load the teacher elements. It gives the `/teach…` rows of app/routes.ts
 * their pages (titles in the teacher texts), and lets the shell follow who is signed in.
 */
import { html, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { strings } from '../i18n/lang';
import { teacherStrings } from '../i18n/teacher';
import { AuthController, knownTeacher } from './auth';
import './account/pg-teacher-account';
import './account/pg-teacher-signin';
import './classes/pg-class-page';
import './generate/pg-generate';
import './pg-teacher-home';
import './pg-teacher-nav';
import './quizzes/pg-quiz-builder';
import './sessions/pg-session-report';
import './sessions/pg-teacher-dashboard';
import './sessions/pg-teacher-new';

const page = (title: string, view: TemplateResult) => ({ title, view });

/**
 * Lets the shell re-render when the signed-in teacher changes (the title of `/teach` and the
 * header links depend on it).
 */
export function watchTeacher(shell: ReactiveControllerHost): void {
  new AuthController(shell);
}

export const home = () =>
  page(knownTeacher() ? teacherStrings().home.title : strings().newTitle, html`<pg-teacher-home></pg-teacher-home>`);
export const quickSession = () => page(strings().newTitle, html`<pg-teacher-new></pg-teacher-new>`);
export const signIn = () => page(teacherStrings().auth.title, html`<pg-teacher-signin></pg-teacher-signin>`);
export const account = () => page(teacherStrings().account.title, html`<pg-teacher-account></pg-teacher-account>`);
export const generate = () => page(teacherStrings().gen.title, html`<pg-generate></pg-generate>`);
export const quiz = (id: string) =>
  page(teacherStrings().builder.title, html`<pg-quiz-builder quiz-id=${id}></pg-quiz-builder>`);
export const klass = (id: string) =>
  page(teacherStrings().klass.title, html`<pg-class-page class-id=${id}></pg-class-page>`);
export const report = (id: string) =>
  page(teacherStrings().report.title, html`<pg-session-report session-id=${id}></pg-session-report>`);
export const dashboard = (id: string) =>
  page(strings().dashboardTitle, html`<pg-teacher-dashboard session-id=${id}></pg-teacher-dashboard>`);

/** A `/teach…` path that is no teacher page: back to the workspace. */
export function notFound() {
  const s = strings();
  return page(
    s.notFoundTitle,
    html`<h1>${s.notFoundTitle}</h1>
      <p>${s.notFoundText}</p>
      <p><a href="/teach">${teacherStrings().nav.workspace}</a></p>`,
  );
}
