/**
 * The projector (`/teach/<session id>/live`): the teacher runs the live game from here, for the
 * whole class to read from the back of the room. Lobby (join code, QR code, students arriving),
 * each question with its countdown and answer count, the reveal, the top 5, the podium.
 *
 * Opened with the session's teacher key (from the link's `#key=` fragment, which is then taken off
 * the address bar, or remembered on this device), or by the signed-in owner without one (see
 * ./access). The teacher's phone can run the game too (pg-live-remote). The server sends the game's whole current
 * state on every connection, so a reload or a dropped connection resumes where the game is.
 * Every control is a big button and a key (see {@link KEYS}); ending the game asks first.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { LangController, strings } from '../../i18n/lang';
import { liveError, liveStrings } from '../../i18n/live';
import { LiveGameController, currentReveal, openQuestion, type GameState } from '../shared/game';
import { recall, remember } from '../shared/memory';
import { connectionLine, liveStyles } from '../shared/styles';
import { openScreen, screenStop, stopText, type ScreenStop } from './access';
import { HostCommands } from './commands';
import { base } from '../../core/styles';
import './pg-live-lobby';
import '../shared/pg-live-podium';
import '../shared/pg-live-ranking';
import './pg-live-reveal';
import './pg-live-stage';
import type { HostMessage, ServerMessage } from '../../../../worker/contract';

/** What a key does (besides Tab and the buttons). */
type Action = 'next' | 'reveal' | 'pause' | 'skip' | 'fullscreen';
const KEYS: Record<string, Action> = {
  ' ': 'next',
  enter: 'next',
  arrowright: 'next',
  // Presentation clickers send PageDown for "next".
  pagedown: 'next',
  r: 'reveal',
  p: 'pause',
  s: 'skip',
  f: 'fullscreen',
};

/** The teacher's projector screen. */
@customElement('pg-live-host')
export class PgLiveHost extends LitElement {
  static override styles = [
    base,
    liveStyles,
    css`
      /* Large, high-contrast type that scales with the screen: ~22 px at 1280 wide, ~29 px at 1920. */
      :host {
        --pg-muted: var(--pg-projector-muted);
        --pg-text: var(--pg-projector-text);
        font-size: clamp(1rem, 0.4rem + 1.2vw, 2.25rem);
        line-height: 1.45;
      }
      h1 {
        font-size: 1.35em;
        margin: 0;
      }
      h2 {
        font-size: 1.3em;
      }
      .top {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        justify-content: space-between;
        gap: 0 1em;
        border-bottom: 3px solid var(--pg-text);
        margin-bottom: 0.6em;
      }
      .top p {
        margin: 0;
        font-weight: 700;
      }
      .controls {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5em;
        align-items: center;
        margin-top: 0.5em;
        padding-top: 0.5em;
        border-top: 3px solid var(--pg-text);
      }
      .controls button,
      .controls .button {
        font-size: 0.95em;
        min-height: 2.4em;
      }
      .controls .primary {
        font-size: 1.1em;
        padding-inline: 1.2em;
      }
      .controls .end {
        margin-inline-start: auto;
      }
      .keys {
        display: flex;
        flex-wrap: wrap;
        gap: 0.2em 1.2em;
        list-style: none;
        margin: 0.4em 0 0;
        padding: 0;
        font-size: 0.75em;
        color: var(--pg-muted);
      }
      kbd {
        font: inherit;
        font-weight: 700;
        color: var(--pg-text);
        border: 1px solid var(--pg-text);
        border-radius: 0.25em;
        padding: 0 0.3em;
      }
      .ranking {
        max-width: 40em;
      }
      pg-live-podium {
        margin: 0 auto 1em;
        max-width: 36em;
      }
      .error {
        font-size: 0.9em;
      }
      dialog {
        border: 3px solid var(--pg-text);
        border-radius: var(--pg-radius);
        padding: 1em 1.25em;
        max-width: min(30em, calc(100vw - 2rem));
        font-size: inherit;
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.6);
      }
    `,
  ];

  /** The session id from the address. */
  @property({ attribute: 'session-id' }) sessionId = '';

  private readonly i18n = new LangController(this);
  private readonly game = new LiveGameController(this, {
    onMessage: (msg) => this.onMessage(msg),
    onOver: (over) => (this.stop = screenStop(over)),
  });
  /** Sends a command once per phase and holds the controls until the server answers. */
  private readonly commands = new HostCommands(this, this.game);
  @state() private stop: ScreenStop | null = null;
  @state() private code = '';
  @state() private sessionTitle = '';
  @state() private fullScreen = false;
  @query('dialog') private dialog!: HTMLDialogElement | null;
  private screen = '';

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('keydown', this.onKey);
    document.addEventListener('fullscreenchange', this.onFullScreen);
  }

  override disconnectedCallback(): void {
    document.removeEventListener('keydown', this.onKey);
    document.removeEventListener('fullscreenchange', this.onFullScreen);
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('sessionId')) void this.open(this.sessionId);
  }

  /** Gets in (key or owner's cookie) and connects; the API also gives the join code and title. */
  private async open(id: string): Promise<void> {
    this.stop = null;
    const opened = await openScreen(id, 'projector', this.game, () => this.sessionId);
    if (opened) [this.code, this.sessionTitle, this.stop] = [opened.code, opened.title, opened.stop];
  }

  private onMessage(msg: ServerMessage): void {
    if (msg.type === 'question') remember(`host:${this.sessionId}`, { question: msg.question });
    this.commands.heard(msg);
  }

  /** True while a command sent in the current phase has not been answered. */
  private get waiting(): boolean {
    return this.commands.waiting;
  }

  private get notSent(): boolean {
    return this.commands.notSent;
  }

  private send(msg: HostMessage): void {
    this.commands.send(msg);
  }

  /** Runs a control: the same for a button and its key. */
  private act(action: Action | 'end'): void {
    switch (action) {
      case 'end':
        this.dialog?.showModal();
        return;
      case 'fullscreen':
        if (document.fullscreenElement) void document.exitFullscreen();
        else void document.documentElement.requestFullscreen?.().catch(() => undefined);
        return;
      default:
        this.commands.act(action);
    }
  }

  private readonly onKey = (e: KeyboardEvent): void => {
    if (
      e.defaultPrevented ||
      e.isComposing ||
      e.ctrlKey ||
      e.metaKey ||
      e.altKey ||
      e.repeat ||
      this.dialog?.open ||
      this.stop
    )
      return;
    const action = KEYS[e.key.toLowerCase()];
    if (!action) return;
    const target = e.composedPath()[0];
    if (target instanceof HTMLElement) {
      // Typing, or Space/Enter on a focused control: the control's own action, not ours.
      if (target.closest('input, textarea, select, [contenteditable]')) return;
      if (action === 'next' && (e.key === ' ' || e.key === 'Enter') && target.closest('button, a, summary')) return;
    }
    e.preventDefault();
    this.act(action);
  };

  private readonly onFullScreen = (): void => {
    this.fullScreen = document.fullscreenElement !== null;
  };

  private confirmEnd(): void {
    this.dialog?.close();
    this.send({ type: 'end' });
  }

  /** Focus follows a new screen only when the control that had it is gone (focus fell to the page). */
  protected override updated(): void {
    const s = this.game.state;
    const key = `${s.phase}:${s.position}`;
    if (key === this.screen) return;
    this.screen = key;
    if (document.activeElement === document.body) this.renderRoot.querySelector<HTMLElement>('h1')?.focus();
  }

  // Screens -------------------------------------------------------------------------------------

  private stage(s: GameState): TemplateResult {
    const ls = liveStrings();
    const lang = s.session?.lang ?? 'both';
    switch (s.phase) {
      case null:
        return html`<p role="status">${ls.connecting}</p>`;
      case 'lobby':
        return html`<pg-live-lobby code=${this.code} .players=${s.players}></pg-live-lobby>`;
      case 'question': {
        const q = openQuestion(s);
        if (s.skipped || !q) return html`<p role="status">${s.skipped ? ls.skipped : ls.waiting}</p>`;
        const count = s.answerCount?.questionId === q.question.id ? s.answerCount : null;
        return html`<pg-live-stage
          .question=${q.question}
          .sessionLang=${lang}
          .limitMs=${q.limitMs}
          .remainingMs=${s.remainingMs}
          ?paused=${s.paused}
          .answered=${count}
        ></pg-live-stage>`;
      }
      case 'reveal': {
        const reveal = currentReveal(s);
        if (!reveal) return html`<p role="status">${ls.waiting}</p>`;
        const question =
          s.question?.question.id === reveal.questionId
            ? s.question.question
            : (recall(`host:${this.sessionId}`, reveal.questionId)?.question ?? null);
        return html`<pg-live-reveal .reveal=${reveal} .question=${question} .sessionLang=${lang}></pg-live-reveal>`;
      }
      case 'leaderboard':
        return html`<section class="ranking" aria-labelledby="top">
          <h2 id="top" tabindex="-1">${ls.top}</h2>
          <pg-live-ranking .rows=${s.leaderboard?.top ?? []} caption=${ls.top} show-change></pg-live-ranking>
        </section>`;
      case 'ended':
        return html`<section aria-labelledby="podium">
            <h2 id="podium" tabindex="-1">${ls.podium}</h2>
            <pg-live-podium .podium=${s.final?.podium ?? []}></pg-live-podium>
          </section>
          <section class="ranking" aria-labelledby="ranking">
            <h2 id="ranking">${ls.fullRanking}</h2>
            <pg-live-ranking .rows=${s.final?.ranking ?? []} caption=${ls.fullRanking}></pg-live-ranking>
          </section>`;
    }
  }

  private button(label: string, action: Action | 'end', shortcut: string, cls = 'secondary'): TemplateResult {
    const off = this.game.connection !== 'open' || (this.waiting && action !== 'fullscreen');
    return html`<button
      type="button"
      class=${cls}
      ?disabled=${off}
      aria-keyshortcuts=${shortcut || nothing}
      @click=${() => this.act(action)}
    >
      ${label}
    </button>`;
  }

  private controls(s: GameState): TemplateResult {
    const ls = liveStrings();
    const last = s.position !== null && s.session !== null && s.position + 1 >= s.session.questionCount;
    const next = (label: string) => this.button(label, 'next', 'Enter Space', 'primary');
    const main =
      s.phase === 'lobby'
        ? next(ls.start)
        : s.phase === 'question'
          ? html`${this.button(ls.reveal, 'reveal', 'R', 'primary')}
            ${this.button(s.paused ? ls.resume : ls.pause, 'pause', 'P')} ${this.button(ls.skip, 'skip', 'S')}`
          : s.phase === 'reveal'
            ? next(last ? ls.showPodium : ls.showLeaderboard)
            : s.phase === 'leaderboard'
              ? next(ls.nextQuestion)
              : html`<a class="button" href="/teach/${this.sessionId}/report">${ls.report}</a>
                  <a href="/teach/${this.sessionId}">${ls.sessionPage}</a>`;
    return html`<div class="controls" role="group" aria-label=${ls.controls}>
        ${main} ${this.button(this.fullScreen ? ls.exitFullScreen : ls.fullScreen, 'fullscreen', 'F')}
        ${s.phase !== 'ended' && s.phase !== null
          ? html`<span class="end">${this.button(ls.end, 'end', '')}</span>`
          : nothing}
      </div>
      ${s.phase === 'ended'
        ? nothing
        : html`<ul class="keys" aria-label=${ls.keysTitle}>
            ${ls.keys.map(([key, what]) => html`<li><kbd>${key}</kbd> ${what}</li>`)}
          </ul>`}`;
  }

  private endDialog(): TemplateResult {
    const ls = liveStrings();
    return html`<dialog aria-labelledby="end-title" aria-describedby="end-text">
      <h2 id="end-title">${ls.endTitle}</h2>
      <p id="end-text">${ls.endText}</p>
      <p class="row">
        <button type="button" @click=${this.confirmEnd}>${ls.endYes}</button>
        <button type="button" class="secondary" autofocus @click=${() => this.dialog?.close()}>${ls.cancel}</button>
      </p>
    </dialog>`;
  }

  private stopped(stop: ScreenStop): TemplateResult {
    const s = strings();
    const ls = liveStrings();
    const text = stopText(stop);
    return html`<h1 tabindex="-1">${this.sessionTitle || s.dashboardTitle}</h1>
      <p class=${stop.kind === 'ended' ? '' : 'error'} role="alert">${text}</p>
      <p class="row">
        ${stop.kind === 'replaced'
          ? html`<button type="button" @click=${this.continueHere}>${ls.useHere}</button>`
          : nothing}
        ${stop.kind === 'ended'
          ? html`<a class="button" href="/teach/${this.sessionId}/report">${ls.report}</a>`
          : nothing}
        <a href="/teach/${this.sessionId}">${ls.sessionPage}</a>
      </p>`;
  }

  private readonly continueHere = (): void => {
    this.stop = null;
    this.game.reconnect();
  };

  override render() {
    if (this.stop) return this.stopped(this.stop);
    const t = strings();
    const ls = liveStrings();
    const s = this.game.state;
    const total = s.session?.questionCount ?? 0;
    return html`${connectionLine(this.game, false)}
      <header class="top">
        <h1 tabindex="-1">${s.session?.title ?? this.sessionTitle}</h1>
        <p>
          ${s.position !== null && s.phase !== 'ended'
            ? html`<span>${t.progress(s.position + 1, total)}</span> · `
            : nothing}
          <span>${ls.students(s.playerCount)}</span>
        </p>
      </header>
      <div @pg-live-command=${(e: CustomEvent<HostMessage>) => this.send(e.detail)}>${this.stage(s)}</div>
      <p class="error" role="alert">
        ${this.notSent && this.game.connection !== 'open' ? ls.notConnected : s.error ? liveError(s.error.code) : ''}
      </p>
      ${this.controls(s)} ${this.endDialog()}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-live-host': PgLiveHost;
  }
}
