/**
 * The host remote (`/teach/<session id>/remote`): the teacher runs the live game from their phone
 * while the projector shows it to the class. One big primary action at a time (start, reveal,
 * next…), the question with its countdown and answer count, after the reveal the right answer and
 * how the class answered, the students (the newest few dozen, or those whose nickname matches a
 * search, as a contest may have thousands; remove one, after a confirmation), whether the projector
 * is connected, and at the end the full ranking, which the projector never shows.
 *
 * It gets in as the projector does (./access: the `#key=` of the remote link, a key remembered on
 * this device, or the signed-in owner's cookie) and sends its commands through the same controller
 * (./commands), so a double tap never skips a screen. The server sends the whole current state on
 * every connection: a reload or a dropped connection resumes where the game is.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { repeat } from 'lit/directives/repeat.js';
import { LangController, qHtml, strings } from '../../i18n/lang';
import { liveError, liveStrings } from '../../i18n/live';
import {
  LiveGameController,
  cloudOf,
  currentReveal,
  openQuestion,
  remainingNow,
  revealedQuestion,
  type GameState,
} from '../shared/game';
import { recall, remember } from '../shared/memory';
import { connectionLine, liveStyles, pausedLine } from '../shared/styles';
import { base, fieldLook } from '../../core/styles';
import { openScreen, screenStop, stopText, type ScreenStop } from './access';
import { answerLines } from './answer-lines';
import { HostCommands, nextLabel } from './commands';
import { SHOWN_PLAYERS, newestPlayers } from './newest-players';
import '../../core/pg-countdown';
import '../shared/pg-live-ranking';
import '../shared/pg-live-teams';
import type {
  HostMessage,
  LobbyPlayer,
  RankedTeam,
  RevealMessage,
  ServerMessage,
  StudentQuestion,
} from '../../../../worker/contract';

/** The teacher's remote control, for a phone held in one hand. */
@customElement('pg-live-remote')
export class PgLiveRemote extends LitElement {
  static override styles = [
    base,
    liveStyles,
    css`
      :host {
        max-width: 30rem;
        margin: 0 auto;
      }
      h1 {
        font-size: 1.1rem;
        margin: 0;
      }
      h2 {
        font-size: 1.15rem;
        margin-bottom: 0.5rem;
      }
      .top {
        border-bottom: 2px solid var(--pg-line);
        padding-bottom: 0.5rem;
        margin-bottom: 0.75rem;
      }
      .top p {
        margin: 0;
      }
      .meta {
        display: flex;
        flex-wrap: wrap;
        gap: 0 0.75rem;
        color: var(--pg-muted);
      }
      /* A word and a shape, never colour alone: filled when connected, hollow when not. */
      .projector::before {
        content: '';
        display: inline-block;
        width: 0.7em;
        height: 0.7em;
        border-radius: 50%;
        margin-inline-end: 0.4em;
        border: 2px solid currentColor;
      }
      .projector.on {
        color: var(--pg-ok);
      }
      .projector.on::before {
        background: currentColor;
      }
      .projector.off {
        color: var(--pg-warn);
      }
      .stem {
        font-size: 0.95rem;
        margin-bottom: 0.5rem;
      }
      .count {
        font-size: 1.6rem;
        font-weight: 800;
        margin: 0.25rem 0 0.5rem;
      }
      .answer {
        border-inline-start: 0.4rem solid var(--pg-ok);
        padding: 0.25rem 0.75rem;
        margin-bottom: 0.75rem;
      }
      .answer ul {
        margin: 0;
        padding: 0;
        list-style: none;
      }
      pg-live-ranking {
        display: block;
        margin-bottom: 1rem;
      }
      .code {
        font-size: 1.6rem;
        font-weight: 800;
        letter-spacing: 0.1em;
      }
      .actions {
        display: grid;
        gap: 0.5rem;
        margin: 1rem 0;
      }
      .actions button {
        width: 100%;
        min-height: 3.5rem;
        font-size: 1.15rem;
      }
      .actions .pair {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: 0.5rem;
      }
      .actions .pair button {
        min-height: var(--pg-tap);
        font-size: 1rem;
      }
      details {
        border-top: 2px solid var(--pg-line);
        margin-top: 1rem;
        padding-top: 0.25rem;
      }
      summary {
        min-height: var(--pg-tap);
        display: flex;
        align-items: center;
        font-weight: 700;
        cursor: pointer;
      }
      .students {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      .students li {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: 0.5rem;
        padding: 0.25rem 0;
        border-bottom: 1px solid var(--pg-line);
      }
      .students select {
        ${fieldLook}
        width: auto;
        margin-left: auto;
      }
      .students .off {
        color: var(--pg-muted);
      }
      input[type='search'] {
        ${fieldLook}
        /* Inside <details> the base's inherited border-box does not arrive (the content sits in the
           element's own slot), and a 100 % wide field would overflow the phone's width. */
        box-sizing: border-box;
      }
      .end {
        margin-top: 1.5rem;
      }
      .end button {
        width: 100%;
      }
      dialog {
        border: 2px solid var(--pg-text);
        border-radius: var(--pg-radius);
        padding: 1rem;
        max-width: calc(100vw - 2rem);
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.6);
      }
      dialog .row {
        display: grid;
        gap: 0.5rem;
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
  private readonly commands = new HostCommands(this, this.game);
  @state() private stop: ScreenStop | null = null;
  @state() private code = '';
  @state() private sessionTitle = '';
  /** What the teacher typed to find a student among many. */
  @state() private search = '';
  /** The student whose removal waits for the teacher's confirmation. */
  @state() private removing: LobbyPlayer | null = null;
  /** Id of the question whose time ran out on this phone. */
  @state() private timeUp: string | null = null;
  @query('#end') private endDialog!: HTMLDialogElement | null;
  @query('#remove') private removeDialog!: HTMLDialogElement | null;
  /** The phase last rendered, to move focus when it changes (see {@link updated}). */
  private screen = '';

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('sessionId')) void this.open(this.sessionId);
  }

  /** Gets in (key or owner's cookie) and connects; the API also gives the join code and title. */
  private async open(id: string): Promise<void> {
    this.stop = null;
    const opened = await openScreen(id, 'remote', this.game, () => this.sessionId);
    if (opened) [this.code, this.sessionTitle, this.stop] = [opened.code, opened.title, opened.stop];
  }

  private onMessage(msg: ServerMessage): void {
    // Kept for the length of the tab: a reveal arriving alone (an old server, a lost frame) still names its options.
    if (msg.type === 'question') remember(`remote:${this.sessionId}`, { question: msg.question });
    if (msg.type === 'playerRemoved' && msg.participantId === this.removing?.participantId) this.closeRemove();
    this.commands.heard(msg);
  }

  /** A question's time ran out on this phone: a short buzz tells the teacher without looking. */
  private onTimeout(id: string): void {
    this.timeUp = id;
    navigator.vibrate?.(200);
  }

  private askRemove(player: LobbyPlayer): void {
    this.removing = player;
    void this.updateComplete.then(() => this.removeDialog?.showModal());
  }

  private confirmRemove(): void {
    const player = this.removing;
    if (player) this.commands.send({ type: 'kick', participantId: player.participantId });
    this.closeRemove();
  }

  private closeRemove(): void {
    this.removeDialog?.close();
    this.removing = null;
  }

  private confirmEnd(): void {
    this.endDialog?.close();
    this.commands.send({ type: 'end' });
  }

  /** Focus follows a new phase only when the control that had it is gone (focus fell to the page). */
  protected override updated(): void {
    const s = this.game.state;
    const key = `${s.phase}:${s.position}`;
    if (key === this.screen) return;
    this.screen = key;
    // The focused element, through the shadow roots (the page's shell is one).
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    if (!active || active === document.body || active.tagName === 'MAIN')
      this.renderRoot.querySelector<HTMLElement>('[data-focus]')?.focus();
  }

  // Parts -------------------------------------------------------------------------------------------

  private header(s: GameState): TemplateResult {
    const t = strings();
    const ls = liveStrings();
    const projectors = s.hosts?.projectors ?? 0;
    return html`<header class="top">
      <p class="meta">${ls.remote}</p>
      <h1>${s.session?.title ?? this.sessionTitle}</h1>
      <p class="meta">
        ${s.position !== null && s.phase !== 'ended'
          ? html`<span>${t.progress(s.position + 1, s.session?.questionCount ?? 0)}</span>`
          : nothing}
        <span>${ls.students(s.playerCount)}</span>
      </p>
      ${s.hosts
        ? html`<p class="projector ${projectors ? 'on' : 'off'}">
            ${projectors ? ls.projectorOn(projectors) : ls.projectorOff}
          </p>`
        : nothing}
    </header>`;
  }

  /** The question's text, small: the teacher has the projector to read it from. */
  private stem(q: StudentQuestion | null, s: GameState): TemplateResult | typeof nothing {
    return q ? html`<p class="stem">${qHtml(q.stem, s.session?.lang ?? 'both')}</p>` : nothing;
  }

  private lobby(s: GameState): TemplateResult {
    const ls = liveStrings();
    return html`<h2 tabindex="-1" data-focus>${ls.students(s.playerCount)}</h2>
      <p class="code">${ls.joinCode(this.code)}</p>
      ${s.playerCount === 0 ? html`<p class="muted">${ls.noStudents}</p>` : nothing}`;
  }

  private question(s: GameState): TemplateResult {
    const ls = liveStrings();
    const q = openQuestion(s);
    if (s.skipped || !q) return html`<p role="status">${s.skipped ? ls.skipped : ls.waiting}</p>`;
    const id = q.question.id;
    const count = s.answerCount?.questionId === id ? s.answerCount : null;
    const left = remainingNow(s);
    const clock = s.paused
      ? pausedLine(ls.paused, left)
      : q.limitMs === 0 || left === null
        ? html`<p class="muted">${strings().untimed}</p>`
        : keyed(
            id,
            html`<pg-countdown
              .remainingMs=${s.remainingMs}
              .limitMs=${q.limitMs}
              @pg-timeout=${() => this.onTimeout(id)}
            ></pg-countdown>`,
          );
    return html`<h2 tabindex="-1" data-focus>${strings().progress(q.position + 1, q.total)}</h2>
      ${this.stem(q.question, s)} ${clock}
      ${this.timeUp === id && !s.paused ? html`<p role="status">${ls.timeUp}</p>` : nothing}
      <p class="count" role="status">${ls.answered(count?.answered ?? 0, count?.expected ?? s.playerCount)}</p>
      ${this.openAnswers(s, id)}`;
  }

  /** An open question's answers, each to hide from the projector's word cloud (or show again). */
  private openAnswers(s: GameState, questionId: string): TemplateResult | typeof nothing {
    const cloud = cloudOf(s, questionId);
    if (!cloud) return nothing;
    void import('./pg-open-answers');
    return html`<h3>${liveStrings().openAnswers} (${cloud.answered})</h3>
      <pg-open-answers
        .cloud=${cloud}
        @pg-live-command=${(e: CustomEvent<HostMessage>) => this.commands.send(e.detail)}
      ></pg-open-answers>`;
  }

  private reveal(s: GameState, reveal: RevealMessage): TemplateResult {
    const ls = liveStrings();
    const d = reveal.distribution;
    const question =
      revealedQuestion(s, reveal)?.question ?? recall(`remote:${this.sessionId}`, reveal.questionId)?.question ?? null;
    const lines = question ? answerLines(question, reveal, s.session?.lang ?? 'both') : [];
    return html`<h2 tabindex="-1" data-focus>${ls.correctAnswer}</h2>
      ${this.stem(question, s)}
      ${lines.length
        ? html`<div class="answer">
            <ul>
              ${lines.map((l) => html`<li><span aria-hidden="true">✓</span> ${l}</li>`)}
            </ul>
          </div>`
        : nothing}
      <h3>${ls.howAnswered}</h3>
      <p>
        ${question?.type === 'open'
          ? ls.openSummary(d.answered, d.noAnswer)
          : question?.type === 'poll'
            ? ls.pollSummary(d.answered, d.noAnswer)
            : ls.summary(d.correct, d.wrong, d.noAnswer)}
      </p>
      ${this.openAnswers(s, reveal.questionId)}`;
  }

  private stage(s: GameState): TemplateResult {
    const ls = liveStrings();
    switch (s.phase) {
      case null:
        return html`<p role="status">${ls.connecting}</p>`;
      case 'lobby':
        return this.lobby(s);
      case 'question':
        return this.question(s);
      case 'reveal': {
        const reveal = currentReveal(s);
        return reveal ? this.reveal(s, reveal) : html`<p role="status">${ls.waiting}</p>`;
      }
      case 'leaderboard':
        return html`${this.teams(s.leaderboard?.teams, ls.teams)}
          <h2 tabindex="-1" data-focus>${ls.top}</h2>
          <pg-live-ranking .rows=${s.leaderboard?.top ?? []} caption=${ls.top} show-change></pg-live-ranking>`;
      case 'ended': {
        // The whole class, for the teacher only (the projector shows the podium).
        const rows = s.final?.ranking ?? s.final?.podium ?? [];
        return html`${this.teams(s.final?.teams, ls.teamPodium)}
          <h2 tabindex="-1" data-focus>${ls.fullRanking}</h2>
          ${rows.length
            ? html`<pg-live-ranking .rows=${rows} caption=${ls.fullRanking}></pg-live-ranking>`
            : html`<p>${ls.rankingEmpty}</p>`}
          <p class="row">
            <a class="button" href="/teach/${this.sessionId}/report">${ls.report}</a>
            <a href="/teach/${this.sessionId}">${ls.sessionPage}</a>
          </p>`;
      }
    }
  }

  /** Team mode: the team ranking under its heading; nothing without teams. */
  private teams(teams: RankedTeam[] | undefined, heading: string): TemplateResult | typeof nothing {
    if (!teams?.length) return nothing;
    return html`<h2>${heading}</h2>
      <pg-live-teams .teams=${teams} caption=${heading}></pg-live-teams>`;
  }

  /** The phase's one primary action, and in a question its two companions. */
  private actions(s: GameState): TemplateResult | typeof nothing {
    const ls = liveStrings();
    const off = this.commands.blocked;
    const next = nextLabel(s);
    if (next)
      return html`<div class="actions" role="group" aria-label=${ls.remoteControls}>
        <button type="button" ?disabled=${off} @click=${() => this.commands.act('next')}>${next}</button>
      </div>`;
    if (s.phase !== 'question' || !openQuestion(s) || s.skipped) return nothing;
    return html`<div class="actions" role="group" aria-label=${ls.remoteControls}>
      <button type="button" ?disabled=${off} @click=${() => this.commands.act('reveal')}>${ls.reveal}</button>
      <div class="pair">
        <button type="button" class="secondary" ?disabled=${off} @click=${() => this.commands.act('pause')}>
          ${s.paused ? ls.resume : ls.pause}
        </button>
        <button type="button" class="secondary" ?disabled=${off} @click=${() => this.commands.act('skip')}>
          ${ls.skip}
        </button>
      </div>
    </div>`;
  }

  /**
   * The students, with "remove"; open in the lobby, folded away during the game. Past a class's
   * worth, the newest are listed (newest first) and a search finds anyone else.
   */
  private students(s: GameState): TemplateResult | typeof nothing {
    const ls = liveStrings();
    if (s.phase === null || s.phase === 'ended') return nothing;
    const { shown, more } = newestPlayers(s.players, this.search);
    const searching = this.search !== '' || s.players.length > SHOWN_PLAYERS;
    return html`<details ?open=${s.phase === 'lobby'}>
      <summary>${ls.studentsList(s.players.length)}</summary>
      ${searching
        ? html`<div class="field">
            <label for="find">${ls.findStudent}</label>
            <span id="find-hint" class="hint">${ls.findHint}</span>
            <input
              id="find"
              type="search"
              autocomplete="off"
              aria-describedby="find-hint"
              .value=${this.search}
              @input=${(e: Event) => (this.search = (e.target as HTMLInputElement).value)}
            />
          </div>`
        : nothing}
      ${this.search && shown.length === 0 ? html`<p role="status">${ls.noMatch}</p>` : nothing}
      <!-- Keyed: a row keeps its student while others come and go above it (a contest's room reports a
           removal a moment later), so "remove" never lands on the student who moved into its place. -->
      <ul class="students">
        ${repeat(
          shown,
          (p) => p.participantId,
          (p) =>
            html`<li>
              <span class=${p.connected ? '' : 'off'}>${p.nickname}${p.connected ? '' : ` (${ls.offline})`}</span>
              ${this.teamPicker(p, s)}
              <button
                type="button"
                class="secondary"
                ?disabled=${this.game.connection !== 'open'}
                @click=${() => this.askRemove(p)}
              >
                ${ls.remove(p.nickname)}
              </button>
            </li>`,
        )}
      </ul>
      ${more ? html`<p class="muted">${ls.moreStudents(more)}</p>` : nothing}
    </details>`;
  }

  /**
   * Team mode: the student's team, which the teacher may change while no question is open (a
   * class often wants friends apart, or teams even by level).
   */
  private teamPicker(p: LobbyPlayer, s: GameState): TemplateResult | typeof nothing {
    const teams = s.session?.teams ?? 0;
    if (!teams || p.team === undefined) return nothing;
    const ls = liveStrings();
    return html`<select
      class="team"
      aria-label=${ls.teamFor(p.nickname)}
      ?disabled=${this.game.connection !== 'open' || s.phase === 'question'}
      @change=${(e: Event) =>
        this.commands.send({
          type: 'team',
          participantId: p.participantId,
          team: Number((e.target as HTMLSelectElement).value),
        })}
    >
      ${Array.from(
        { length: teams },
        (_, i) => html`<option value=${i + 1} ?selected=${p.team === i + 1}>${ls.teamName(i + 1)}</option>`,
      )}
    </select>`;
  }

  private dialogs(): TemplateResult {
    const ls = liveStrings();
    const name = this.removing?.nickname ?? '';
    return html`<dialog id="end" aria-labelledby="end-title" aria-describedby="end-text">
        <h2 id="end-title">${ls.endTitle}</h2>
        <p id="end-text">${ls.endText}</p>
        <p class="row">
          <button type="button" @click=${this.confirmEnd}>${ls.endYes}</button>
          <button type="button" class="secondary" autofocus @click=${() => this.endDialog?.close()}>
            ${ls.cancel}
          </button>
        </p>
      </dialog>
      <dialog id="remove" aria-labelledby="remove-title" aria-describedby="remove-text" @close=${this.closeRemove}>
        <h2 id="remove-title">${ls.removeTitle(name)}</h2>
        <p id="remove-text">${ls.removeText}</p>
        <p class="row">
          <button type="button" @click=${this.confirmRemove}>${ls.removeYes}</button>
          <button type="button" class="secondary" autofocus @click=${this.closeRemove}>${ls.cancel}</button>
        </p>
      </dialog>`;
  }

  private stopped(stop: ScreenStop): TemplateResult {
    const ls = liveStrings();
    const next = `/teach/signin?next=${encodeURIComponent(location.pathname)}`;
    return html`<h1 tabindex="-1" data-focus>${this.sessionTitle || strings().dashboardTitle}</h1>
      <p class=${stop.kind === 'ended' ? '' : 'error'} role="alert">
        ${stopText(stop)} ${stop.kind === 'ended' ? ls.closedText : ''}
      </p>
      <p class="row">
        ${stop.kind === 'replaced'
          ? html`<button type="button" @click=${this.continueHere}>${ls.useHere}</button>`
          : nothing}
        ${stop.kind === 'ended'
          ? html`<a class="button" href="/teach/${this.sessionId}/report">${ls.report}</a>`
          : nothing}
        ${stop.kind === 'needKey' ? html`<a class="button" href=${next}>${ls.signIn}</a>` : nothing}
        <a href="/teach/${this.sessionId}">${ls.sessionPage}</a>
      </p>`;
  }

  private readonly continueHere = (): void => {
    this.stop = null;
    this.game.reconnect();
  };

  override render() {
    if (this.stop) return this.stopped(this.stop);
    const ls = liveStrings();
    const s = this.game.state;
    const notSent = this.commands.notSent && this.game.connection !== 'open';
    return html`${connectionLine(this.game, false)} ${this.header(s)} ${this.stage(s)} ${this.actions(s)}
      <p class="error" role="alert">${notSent ? ls.notConnected : s.error ? liveError(s.error.code) : ''}</p>
      ${this.students(s)}
      ${s.phase !== 'ended' && s.phase !== null
        ? html`<p class="end">
            <button
              type="button"
              class="secondary"
              ?disabled=${this.commands.blocked}
              @click=${() => this.endDialog?.showModal()}
            >
              ${ls.end}
            </button>
          </p>`
        : nothing}
      ${this.dialogs()}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-live-remote': PgLiveRemote;
  }
}
