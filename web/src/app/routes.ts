/**
 * Every path of the app, in one table: its pattern, the chunk whose elements show it, and the
 * page (title and view). The shell matches `location.pathname` against it and loads the row's
 * chunk on first use with a dynamic `import()`, so the student entry carries none of the teacher
 * or live code. The teacher pages' titles need the teacher texts, so their rows call page
 * factories that the teacher chunk exports (teacher/teacher.ts); the live screens' titles are
 * shared words, so their views are named here and only their elements wait for the chunk.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { normalizeCode, segment } from '../core/nav';
import { strings } from '../i18n/lang';

/** The chunks: the student entry (always loaded) and those loaded when one of their paths opens. */
export type Chunk = 'student' | 'teacher' | 'live-play' | 'live-host' | 'live-remote';
export type LazyChunk = Exclude<Chunk, 'student'>;

const loadTeacher = () => import('../teacher/teacher');
/** The teacher chunk's module: its page factories and the shell's hook. */
export type TeacherChunk = Awaited<ReturnType<typeof loadTeacher>>;

/** How each lazy chunk is loaded; `import()` with a literal path, so Vite makes each one a chunk. */
export const loaders = {
  teacher: loadTeacher,
  'live-play': () => import('../live/play/pg-live-play'),
  'live-host': () => import('../live/host/pg-live-host'),
  // The teacher's phone: the host code without the projector, laid out as a phone page (with the app's bar).
  'live-remote': () => import('../live/host/pg-live-remote'),
} satisfies Record<LazyChunk, () => Promise<unknown>>;

/** A page: its title (the document's, before the product name) and its view. */
export interface Page {
  title: string;
  view: TemplateResult | typeof nothing;
}

/** The names of a path pattern's parameters: `'/teach/:id/report'` → `'id'`. */
type ParamsOf<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamsOf<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;
type Params<P extends string> = Record<ParamsOf<P>, string>;

/** A row of the table. */
export interface Route {
  chunk: Chunk;
  pattern: RegExp;
  /** The page for the matched parameters; teacher rows need the loaded teacher chunk. */
  page(params: Record<string, string>, teacher: TeacherChunk | null): Page;
}

/**
 * `:name` matches one path segment (decoded); a final `/*` matches the bare prefix and anything
 * below it. Paths come without a trailing slash.
 */
function compile(path: string): RegExp {
  const source = path.replace(/:(\w+)/g, '(?<$1>[^/]+)').replace(/\/\*$/, '(?:/.*)?');
  return new RegExp(`^${source}$`);
}

function row<P extends string>(path: P, chunk: Exclude<Chunk, 'teacher'>, page: (p: Params<P>) => Page): Route {
  return { chunk, pattern: compile(path), page: (params) => page(params as Params<P>) };
}

/** A teacher page: until the teacher chunk is there, the page is titled as the teacher view and empty. */
function teacherRow<P extends string>(path: P, page: (t: TeacherChunk, p: Params<P>) => Page): Route {
  const waiting = (): Page => ({ title: strings().dashboardTitle, view: nothing });
  return {
    chunk: 'teacher',
    pattern: compile(path),
    page: (params, teacher) => (teacher ? page(teacher, params as Params<P>) : waiting()),
  };
}

/** In order: the first row whose pattern matches the path is its page. */
export const routes: readonly Route[] = [
  row('/', 'student', () => ({
    title: strings().joinTitle,
    view: html`<pg-join></pg-join>
      <p class="teacher-link"><a href="/teach">${strings().teacherLink}</a></p>`,
  })),
  row('/join/:code', 'student', ({ code }) => ({
    title: strings().joinTitle,
    view: html`<pg-join code=${normalizeCode(code)}></pg-join>`,
  })),
  row('/play/:code', 'student', ({ code }) => ({
    title: strings().playTitle,
    view: html`<pg-play code=${normalizeCode(code)}></pg-play>`,
  })),
  row('/live/:code', 'live-play', ({ code }) => ({
    title: strings().playTitle,
    view: html`<pg-live-play code=${normalizeCode(code)}></pg-live-play>`,
  })),
  row('/teach/:id/live', 'live-host', ({ id }) => ({
    title: strings().dashboardTitle,
    view: html`<pg-live-host session-id=${id}></pg-live-host>`,
  })),
  row('/teach/:id/remote', 'live-remote', ({ id }) => ({
    title: strings().dashboardTitle,
    view: html`<pg-live-remote session-id=${id}></pg-live-remote>`,
  })),
  teacherRow('/teach', (t) => t.home()),
  teacherRow('/teach/quick', (t) => t.quickSession()),
  teacherRow('/teach/signin', (t) => t.signIn()),
  teacherRow('/teach/account', (t) => t.account()),
  teacherRow('/teach/generate', (t) => t.generate()),
  teacherRow('/teach/quizzes/:id', (t, { id }) => t.quiz(id)),
  teacherRow('/teach/classes/:id', (t, { id }) => t.klass(id)),
  teacherRow('/teach/:id/report', (t, { id }) => t.report(id)),
  teacherRow('/teach/:id', (t, { id }) => t.dashboard(id)),
  teacherRow('/teach/*', (t) => t.notFound()),
];

/** The page shown for a path no row matches. */
export function notFound(): Page {
  const s = strings();
  return {
    title: s.notFoundTitle,
    view: html`<h1>${s.notFoundTitle}</h1>
      <p>${s.notFoundText}</p>
      <p><a href="/">${s.goHome}</a></p>`,
  };
}

/** The row for `path` (trailing slashes ignored) and its decoded parameters, or null. */
export function match(path: string): { route: Route; params: Record<string, string> } | null {
  const p = path.replace(/\/+$/, '') || '/';
  for (const route of routes) {
    const m = route.pattern.exec(p);
    if (!m) continue;
    const params: Record<string, string> = {};
    for (const [name, raw] of Object.entries(m.groups ?? {})) params[name] = segment(raw);
    return { route, params };
  }
  return null;
}
