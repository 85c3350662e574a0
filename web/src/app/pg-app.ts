/**
 * The application shell: header with the language toggle, and a `<main>` showing the page for
 * `location.pathname` from the table in ./routes. Internal links navigate with
 * `history.pushState`. The teacher pages and the live game's two screens (student, projector)
 * are chunks of their own, loaded when one of their paths is first opened, so students never
 * download them.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { navigate } from '../core/nav';
import { base } from '../core/styles';
import { largeText, setLargeText } from '../core/store';
import { LangController, lang, setLang, strings } from '../i18n/lang';
import { loaders, match, notFound, type Chunk, type LazyChunk, type TeacherChunk } from './routes';
import { registerServiceWorker } from './updates';
import '../student/pg-join';
import '../student/pg-play';

const PRODUCT = '石榴 Pomegranate';

/** How `<main>` is laid out for each chunk's pages: teacher pages are wider, the projector uses the whole screen. */
const LAYOUT: Record<Chunk, string> = {
  student: '',
  'live-play': '',
  teacher: 'wide',
  'live-host': 'projector',
  'live-remote': '',
};

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
      /* The projector is a game screen of its own (its strip has the language switch). */
      main.projector {
        max-width: none;
        padding: 0;
      }
      .teacher-link {
        margin-top: 2rem;
        text-align: center;
      }
      .update {
        background: var(--pg-warn-tint);
        color: var(--pg-text);
        padding: 0.25rem 1rem;
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: center;
        gap: 0 1rem;
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
  /** The lazy chunks asked for so far; the student entry is always there. */
  @state() private chunks: Partial<Record<LazyChunk, 'loading' | 'ready' | 'failed'>> = {};
  /** The teacher chunk once loaded: it makes the `/teach…` pages and adds the header's teacher links. */
  private teacher: TeacherChunk | null = null;
  /** The table's row for the path and its parameters; null for no page. */
  private found: ReturnType<typeof match> = null;
  @query('main') private main!: HTMLElement;
  /** Set by a navigation (not the first load), so focus moves to the new view for screen readers. */
  private navigated = false;
  private pageTitle = PRODUCT;
  /** Switches to a new version of the app that is installed and waiting (./updates), once offered. */
  @state() private switchVersion: (() => void) | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    setLargeText(largeText());
    window.addEventListener('popstate', this.onPopState);
    document.addEventListener('click', this.onClick);
    registerServiceWorker((apply) => (this.switchVersion = apply));
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

  private load(chunk: LazyChunk): void {
    if (this.chunks[chunk]) return;
    const done = (state: 'ready' | 'failed') => () => (this.chunks = { ...this.chunks, [chunk]: state });
    this.chunks = { ...this.chunks, [chunk]: 'loading' };
    const loaded =
      chunk === 'teacher'
        ? loaders.teacher().then((teacher) => {
            teacher.watchTeacher(this);
            this.teacher = teacher;
          })
        : loaders[chunk]();
    loaded.then(done('ready'), done('failed'));
  }

  /** The page's view, or a line saying its chunk is loading or failed. */
  private content(chunk: Chunk, view: TemplateResult | typeof nothing): TemplateResult | typeof nothing {
    const state = chunk === 'student' ? 'ready' : this.chunks[chunk];
    if (state === 'ready') return view;
    const s = strings();
    if (state === 'failed') return html`<p class="error" role="alert">${s.loadFailed}</p>`;
    return html`<p role="status">${s.loading}</p>`;
  }

  protected override willUpdate(): void {
    this.found = match(this.path);
    const chunk = this.found?.route.chunk;
    if (chunk && chunk !== 'student') this.load(chunk);
  }

  override render() {
    const s = strings();
    const found = this.found;
    const chunk = found?.route.chunk ?? 'student';
    const page = found ? found.route.page(found.params, this.teacher) : notFound();
    this.pageTitle = `${page.title} · ${PRODUCT}`;
    const header = html`
      <header>
        <div class="bar">
          <a class="brand" href="/">${PRODUCT}</a>
          <div class="row">
            ${this.teacher ? html`<pg-teacher-nav></pg-teacher-nav>` : nothing}
            <button
              type="button"
              class="secondary"
              aria-pressed=${largeText() ? 'true' : 'false'}
              @click=${() => {
                setLargeText(!largeText());
                this.requestUpdate();
              }}
            >
              <!-- The name in words for screen readers, not as a label: a label that does not hold the
                   visible "A+" would not match what a voice-control user says. -->
              <span aria-hidden="true">A+</span><span class="sr-only">${s.largeTextLabel}</span>
            </button>
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
    `;
    return html`
      ${chunk === 'live-host' ? nothing : header}
      ${this.switchVersion
        ? html`<p class="update" role="status">
            <span>${s.updateReady} —</span>
            <button type="button" class="small" @click=${this.switchVersion}>${s.updateReload}</button>
          </p>`
        : nothing}
      <main tabindex="-1" class=${LAYOUT[chunk]}>${this.content(chunk, page.view)}</main>
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
