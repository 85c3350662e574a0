/**
 * The application shell: header with the language toggle, and a `<main>` showing the view for
 * `location.pathname`. Internal links navigate with `history.pushState`; the teacher views are
 * a separate chunk, loaded only when a teacher path is opened, so students never download them.
 * The live game's two screens (student, projector) are chunks of their own, loaded the same way.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { LangController, setLang, lang, strings } from '../i18n/lang';
import { navigate, normalizeCode, segment } from '../core/nav';
import { base } from '../core/styles';
import '../student/pg-join';
import '../student/pg-play';

const PRODUCT = '石榴 Pomegranate';

/** A matched route: the page title and the view. */
interface Route {
  title: string;
  view: TemplateResult;
  /** Whether the view is in the teacher chunk. */
  teacher?: boolean;
  /** The live-game chunk the view is in. */
  live?: LiveChunk;
}

/** The live game's lazily loaded chunks: the student's live screen and the projector. */
type LiveChunk = 'play' | 'host';
const liveChunkOf = (path: string): LiveChunk | null =>
  /^\/live\//.test(path) ? 'play' : /^\/teach\/[^/]+\/live\/?$/.test(path) ? 'host' : null;

/** The application shell and router. */
@customElement('pg-app')
export class PgApp extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        min-height: 100vh;
        background: var(--pg-surface-2);
      }
      header {
        background: var(--pg-surface);
        border-bottom: 3px solid var(--pg-accent);
      }
      .bar {
        max-width: 64rem;
        margin: 0 auto;
        padding: 0.25rem 1rem;
        display: flex;
        align-items: center;
        flex-wrap: wrap;
        justify-content: space-between;
        gap: 0 1rem;
      }
      .bar .row {
        gap: 0.25rem;
      }
      .brand {
        font-weight: 700;
        font-size: 1.15rem;
        text-decoration: none;
        color: var(--pg-accent);
        min-height: var(--pg-tap);
        display: inline-flex;
        align-items: center;
      }
      main {
        max-width: 44rem;
        margin: 0 auto;
        padding: 1.25rem 1rem 3rem;
      }
      main.wide {
        max-width: 64rem;
      }
      main.projector {
        max-width: none;
        padding: 0.75rem 1.5rem 1.5rem;
      }
      .teacher-link {
        margin-top: 2rem;
        text-align: center;
      }
      .teacher-link a {
        display: inline-flex;
        align-items: center;
        min-height: var(--pg-tap);
        padding: 0 0.5rem;
      }
    `,
  ];

  private readonly i18n = new LangController(this);
  @state() private path = location.pathname;
  @state() private teacherChunk: 'idle' | 'loading' | 'ready' | 'failed' = 'idle';
  @state() private liveChunks: Partial<Record<LiveChunk, 'loading' | 'ready' | 'failed'>> = {};
  /** The teacher chunk once loaded: it routes the `/teach…` paths and adds the header's teacher links. */
  private teacher: typeof import('../teacher/teacher') | null = null;
  @query('main') private main!: HTMLElement;
  /** Set by a navigation (not the first load), so focus moves to the new view for screen readers. */
  private navigated = false;
  private pageTitle = PRODUCT;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('popstate', this.onPopState);
    document.addEventListener('click', this.onClick);
  }

  override disconnectedCallback(): void {
    window.removeEventListener('popstate', this.onPopState);
    document.removeEventListener('click', this.onClick);
    super.disconnectedCallback();
  }

  private readonly onPopState = (): void => {
    if (location.pathname === this.path) return; // only the fragment changed
    this.path = location.pathname;
    this.navigated = true;
  };

  /** Same-origin links, including those inside other elements' shadow roots, navigate in place. */
  private readonly onClick = (e: MouseEvent): void => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const link = e.composedPath().find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement);
    if (!link || link.target || link.hasAttribute('download') || link.origin !== location.origin) return;
    e.preventDefault();
    navigate(link.pathname + link.search + link.hash);
  };

  private loadTeacherChunk(): void {
    this.teacherChunk = 'loading';
    import('../teacher/teacher').then(
      (chunk) => {
        chunk.watchTeacher(this);
        this.teacher = chunk;
        this.teacherChunk = 'ready';
      },
      () => (this.teacherChunk = 'failed'),
    );
  }

  private loadLiveChunk(name: LiveChunk): void {
    if (this.liveChunks[name]) return;
    const done = (state: 'ready' | 'failed') => () => (this.liveChunks = { ...this.liveChunks, [name]: state });
    this.liveChunks = { ...this.liveChunks, [name]: 'loading' };
    (name === 'play' ? import('../live/play/pg-live-play') : import('../live/host/pg-live-host')).then(done('ready'), done('failed'));
  }

  private route(): Route {
    const s = strings();
    const p = this.path.replace(/\/+$/, '') || '/';
    let m: RegExpExecArray | null;
    if (p === '/')
      return {
        title: s.joinTitle,
        view: html`<pg-join></pg-join>
          <p class="teacher-link"><a href="/teach">${s.teacherLink}</a></p>`,
      };
    if ((m = /^\/join\/([^/]+)$/.exec(p)))
      return { title: s.joinTitle, view: html`<pg-join code=${normalizeCode(segment(m[1]!))}></pg-join>` };
    if ((m = /^\/play\/([^/]+)$/.exec(p)))
      return { title: s.playTitle, view: html`<pg-play code=${normalizeCode(segment(m[1]!))}></pg-play>` };
    if ((m = /^\/live\/([^/]+)$/.exec(p)))
      return { title: s.playTitle, live: 'play', view: html`<pg-live-play code=${normalizeCode(segment(m[1]!))}></pg-live-play>` };
    if ((m = /^\/teach\/([^/]+)\/live$/.exec(p)))
      return { title: s.dashboardTitle, live: 'host', view: html`<pg-live-host session-id=${segment(m[1]!)}></pg-live-host>` };
    if (/^\/teach(\/|$)/.test(p)) return this.teacher?.teacherRoute(p) ?? { title: s.dashboardTitle, teacher: true, view: html`` };
    return {
      title: s.notFoundTitle,
      view: html`<h1>${s.notFoundTitle}</h1>
        <p>${s.notFoundText}</p>
        <p><a href="/">${s.goHome}</a></p>`,
    };
  }

  /** The route's view, or a line saying its chunk is loading or failed. */
  private content(route: Route): TemplateResult | typeof nothing {
    const chunk = route.teacher ? this.teacherChunk : route.live ? this.liveChunks[route.live] : 'ready';
    if (chunk === 'ready') return route.view;
    const s = strings();
    if (chunk === 'failed') return html`<p class="error" role="alert">${s.loadFailed}</p>`;
    return html`<p role="status">${s.loading}</p>`;
  }

  protected override willUpdate(): void {
    const live = liveChunkOf(this.path);
    if (live) this.loadLiveChunk(live);
    else if (this.teacherChunk === 'idle' && /^\/teach(\/|$)/.test(this.path)) this.loadTeacherChunk();
  }

  override render() {
    const s = strings();
    const route = this.route();
    this.pageTitle = `${route.title} · ${PRODUCT}`;
    return html`
      <header>
        <div class="bar">
          <a class="brand" href="/">${PRODUCT}</a>
          <div class="row">
            ${this.teacher ? html`<pg-teacher-nav></pg-teacher-nav>` : nothing}
            <button
              type="button"
              class="secondary"
              lang=${s.toggleLang}
              aria-label=${s.toggleLabel}
              @click=${() => setLang(lang() === 'zh' ? 'en' : 'zh')}
            >
              ${s.toggleText}
            </button>
          </div>
        </div>
      </header>
      <main tabindex="-1" class=${route.teacher ? 'wide' : route.live === 'host' ? 'projector' : ''}>${this.content(route)}</main>
    `;
  }

  protected override updated(): void {
    document.title = this.pageTitle;
    if (!this.navigated) return;
    this.navigated = false;
    this.main.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-app': PgApp;
  }
}
