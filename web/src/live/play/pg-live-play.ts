/**
 * A student's device during a live game (`/live/<CODE>`): the lobby, each question with its
 * countdown (answered through pg-question, as in self-paced play), "answer received", their own
 * result after the reveal, the leaderboard between questions and their final standing.
 *
 * The device token from joining (core/store) gets a ticket for each connection; a refused ticket
 * says why (closed, removed, not a live session) and ends the screen. The server sends the whole current
 * state on every connection, so a reload or a reconnection lands on the same screen with the
 * time left; only the question and the student's own answer are kept on the device
 * (live/shared/memory), because the server's snapshot of a reveal does not repeat them.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { ApiFailure, api, errorMessage } from '../../core/api';
import { LangController, strings } from '../../i18n/lang';
import { liveError, liveStrings } from '../../i18n/live';
import {
  LiveGameController,
  currentResult,
  currentReveal,
  openQuestion,
  remainingNow,
  type GameOver,
  type GameState,
} from '../shared/game';
import { recall, remember } from '../shared/memory';
import { connectionLine, liveStyles, pausedLine } from '../shared/styles';
import { tileBadge } from '../shared/tiles';
import { navigate } from '../../core/nav';
import { clearSeat, getSeat, takeTicket, type Seat } from '../../core/store';
import { base, playStyles } from '../../core/styles';
import { rankChange, rankChangeStyles } from '../shared/pg-live-ranking';
import '../../core/pg-countdown';
import '../../student/pg-feedback';
import '../shared/pg-live-podium';
import '../shared/pg-live-teams';
import '../../student/pg-question';
import type { PgFeedback } from '../../student/pg-feedback';
import type { PgQuestion } from '../../student/pg-question';
import type { AnswerResponse, ResultMessage, RevealMessage, ServerMessage, Verdict } from '../../../../worker/contract';

/** Screens that end the game on this device. */
type Stop = Exclude<GameOver['reason'], 'refused'> | 'ended' | { error: unknown };

/** The student's live screen. */
@customElement('pg-live-play')
export class PgLivePlay extends LitElement {
  static override styles = [
    base,
    playStyles,
    rankChangeStyles,
    liveStyles,
    css`
      .lobby {
        text-align: center;
        padding: 2rem 1rem;
      }
      .lobby .name {
        font-size: 1.75rem;
        font-weight: 800;
        margin: 0.5rem 0 1rem;
      }
      .received h2 {
        font-size: 1.4rem;
      }
      .standing {
        border-inline-start: 0.5rem solid var(--pg-accent);
        padding: 0.75rem 1rem;
      }
      .standing p:last-child {
        margin: 0;
      }
    `,
  ];

  /** The join code from the address (`/live/<CODE>`). */
  @property() code = '';

  private readonly i18n = new LangController(this);
  private readonly game = new LiveGameController(this, {
    onMessage: (msg, s) => this.onMessage(msg, s),
    onWaiting: (err) => this.waiting(err),
    onOver: (over) => this.over(over),
  });
  @state() private stop: Stop | null = null;
  /** Id of the question whose answer is on its way (until its `ack` or a refusal). */
  @state() private sending: string | null = null;
  /** Id of the question whose countdown reached zero on this device. */
  @state() private timeUp: string | null = null;
  /** Why the socket cannot open yet (e.g. the session has not started), shown with "reconnecting". */
  @state() private notice = '';
  private seat: Seat | null = null;
  /** The answer sent but not acknowledged: sent again when the question comes back after a reconnection. */
  private pending: { questionId: string; response: AnswerResponse } | null = null;
  /** The screen last rendered, to move focus when it changes (see {@link updated}). */
  private screen = '';

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (!changed.has('code')) return;
    this.seat = getSeat(this.code);
    if (!this.seat) {
      navigate(`/join/${this.code}`, { replace: true });
      return;
    }
    this.stop = null;
    const { code, seat } = this;
    // The join's own ticket first; every reconnection asks for a new one.
    this.game.connect(async () => takeTicket(code) ?? (await api.liveTicket(seat.token)).url);
  }

  private onMessage(msg: ServerMessage, s: GameState): void {
    switch (msg.type) {
      case 'question':
        if (this.pending?.questionId === msg.question.id && s.acked !== msg.question.id)
          this.game.send({ type: 'answer', ...this.pending });
        else if (!recall(this.code, msg.question.id)) remember(this.code, { question: msg.question });
        break;
      case 'ack':
        this.pending = null;
        this.sending = null;
        break;
      case 'error':
        // The answer was refused (paused, too late, malformed): the form is usable again.
        this.pending = null;
        this.sending = null;
        break;
    }
  }

  private end(stop: Stop): void {
    this.stop = stop;
    this.game.stop();
    // Removed: the token no longer opens anything, so the device forgets it (the join page is next).
    if (stop === 'kicked') clearSeat(this.code);
  }

  /** The game is over for good; a refused ticket says why (the API's status and code). */
  private over(over: GameOver): void {
    if (over.reason !== 'refused') return this.end(over.reason);
    const { status, code } = over.failure;
    if (status === 401 || status === 403) {
      // The token is not (or no longer) a seat of this session: join again.
      clearSeat(this.code);
      navigate(`/join/${this.code}`, { replace: true });
    } else if (code === 'not_live' || code === 'live_session') navigate(`/play/${this.code}`, { replace: true });
    else if (status === 404) this.end('deleted');
    else this.end({ error: over.failure });
  }

  /** The ticket is refused for now (e.g. the session has not started): say so beside "reconnecting". */
  private waiting(err: unknown): void {
    this.notice = err instanceof ApiFailure && err.code === 'not_open_yet' ? strings().notStartedTitle : '';
  }

  private submit(questionId: string, response: AnswerResponse): void {
    const s = this.game.state;
    const q = openQuestion(s);
    if (!q || q.question.id !== questionId || this.sending) return;
    const left = remainingNow(s);
    // The server's own answering time is not in its result; this estimate differs by the network delay.
    const timeMs = Math.round(q.limitMs > 0 && left !== null ? q.limitMs - left : performance.now() - s.clockAt);
    remember(this.code, { question: q.question, response, timeMs });
    this.pending = { questionId, response };
    this.sending = questionId;
    this.game.clearError();
    // Not connected: the answer goes out when the question comes back with the reconnection.
    this.game.send({ type: 'answer', questionId, response });
  }

  /** What is on screen, as a key: focus moves to the new heading when it changes. */
  private screenKey(s: GameState): string {
    const q = openQuestion(s);
    if (this.stop) return typeof this.stop === 'string' ? this.stop : 'error';
    if (q) return `q${q.position}:${s.acked === q.question.id ? 'ack' : s.skipped ? 'skip' : 'ask'}`;
    return `${s.phase}:${s.position}:${currentResult(s) ? 'r' : ''}`;
  }

  protected override async updated(): Promise<void> {
    const key = this.screenKey(this.game.state);
    if (key === this.screen) return;
    const first = this.screen === '';
    this.screen = key;
    // Not on the first screen: the shell has just put focus on the page.
    if (first) return;
    await this.updateComplete;
    const child = this.renderRoot.querySelector<PgQuestion | PgFeedback>('pg-question, pg-feedback');
    if (child) await child.focusHeading();
    else this.renderRoot.querySelector<HTMLElement>('[data-focus]')?.focus();
  }

  // Screens -------------------------------------------------------------------------------------

  private header(s: GameState): TemplateResult {
    const t = strings();
    const total = s.session?.questionCount ?? 0;
    return html`<p class="status">
      ${s.position !== null ? html`<span>${t.progress(s.position + 1, total)}</span>` : nothing}
      ${s.me ? html`<span>${t.score(s.me.score)}</span>` : nothing}
      <span>${t.playingAs(s.me?.nickname ?? this.seat?.nickname ?? '')}</span>
      ${s.me?.team ? html`<span>${liveStrings().teamName(s.me.team)}</span>` : nothing}
    </p>`;
  }

  private lobby(s: GameState): TemplateResult {
    const ls = liveStrings();
    return html`<div class="card lobby">
      <h1 tabindex="-1" data-focus>${ls.lobbyTitle}</h1>
      <p class="name">${ls.nickname(s.me?.nickname ?? this.seat?.nickname ?? '')}</p>
      ${s.me?.team ? html`<p class="name">${ls.myTeam(s.me.team)}</p>` : nothing}
      <p>${ls.lobbyText}</p>
    </div>`;
  }

  private question(s: GameState): TemplateResult {
    const q = openQuestion(s)!;
    const ls = liveStrings();
    const id = q.question.id;
    const done = s.acked === id;
    let body: TemplateResult;
    if (done)
      // No live region: focus moves to the heading, which is announced (see `updated`).
      body = html`<div class="card received">
        <h2 tabindex="-1" data-focus>
          <span aria-hidden="true">✓</span> ${q.question.type === 'open' ? strings().answerRecorded : ls.received}
        </h2>
        <p>${ls.receivedText}</p>
      </div>`;
    else if (s.skipped) body = html`<p class="card" role="status" tabindex="-1" data-focus>${ls.skipped}</p>`;
    else
      body = html`${keyed(
          id,
          html`<pg-question
            .question=${q.question}
            .sessionLang=${s.session?.lang ?? 'both'}
            .badge=${tileBadge}
            ?disabled=${this.sending === id || s.paused || this.timeUp === id}
            @pg-answer=${(e: CustomEvent<{ response: AnswerResponse }>) => this.submit(id, e.detail.response)}
          ></pg-question>`,
        )}
        <p class="muted" role="status">
          ${this.sending === id ? ls.sending : this.timeUp === id ? ls.timeUpText : ''}
        </p>`;
    return html`${this.header(s)}
      <div class="timer">${done ? nothing : this.clock(s, id)}</div>
      ${body}
      <p class="error" role="alert">${s.error ? liveError(s.error.code) : ''}</p>`;
  }

  /** The countdown; frozen while paused ("Paused · 12 s left"); a line when untimed. */
  private clock(s: GameState, id: string): unknown {
    const t = strings();
    const ls = liveStrings();
    const q = s.question!;
    const left = remainingNow(s);
    if (s.paused) return pausedLine(ls.pausedByTeacher, left);
    if (left === null || q.limitMs === 0) return html`<p class="muted">${t.untimed}</p>`;
    return keyed(
      id,
      html`<pg-countdown
        .remainingMs=${s.remainingMs}
        .limitMs=${q.limitMs}
        @pg-timeout=${() => (this.timeUp = id)}
      ></pg-countdown>`,
    );
  }

  private reveal(s: GameState, reveal: RevealMessage): TemplateResult {
    const ls = liveStrings();
    const result = currentResult(s);
    if (!result)
      return html`${this.header(s)}
        <p role="status">${ls.waiting}</p>`;
    // The standing first, compact, so that the rank is on screen without scrolling past the proof.
    return html`${this.header(s)} ${this.standing(result)} ${this.verdict(reveal, result)}`;
  }

  /** Right or wrong with the correct answer and its proof (student/pg-feedback, as in self-paced play). */
  private verdict(reveal: RevealMessage, result: ResultMessage): TemplateResult {
    const t = strings();
    const kept = recall(this.code, reveal.questionId);
    const response = kept?.response ?? null;
    // Without the question (or, after answering elsewhere, the answer) only the verdict can be shown.
    if (!kept || (result.answered && !response)) {
      // A poll (the reveal has no answer) records a vote, neither right nor wrong.
      const [icon, word] =
        reveal.answer === null && result.answered
          ? ['✓', t.recorded]
          : result.correct
            ? ['✓', t.correct]
            : ['✗', result.answered ? t.incorrect : t.noAnswer];
      return html`<div class="card">
        <h2 tabindex="-1" data-focus><span aria-hidden="true">${icon}</span> ${word}</h2>
        <p class="big">${t.points(result.points)}</p>
      </div>`;
    }
    const verdict: Verdict = {
      correct: result.correct,
      late: result.late,
      points: result.points,
      timeMs: kept.timeMs ?? 0,
      reveal,
    };
    return html`<pg-feedback
      .question=${kept.question}
      .verdict=${verdict}
      .response=${response}
      .sessionLang=${this.game.state.session?.lang ?? 'both'}
    ></pg-feedback>`;
  }

  /** Rank (with its change), streak and streak bonus after a question; the points are in the verdict. */
  private standing(r: ResultMessage): TemplateResult | typeof nothing {
    const ls = liveStrings();
    if (r.rank === null && r.streak === 0 && !r.teamRank) return nothing;
    return html`<section class="card standing" aria-label=${ls.resultTitle}>
      ${r.rank !== null
        ? html`<p class="big">${ls.rankOf(r.rank, r.playerCount)} ${rankChange(r.rankChange)}</p>`
        : nothing}
      ${r.teamRank ? html`<p>${ls.teamRank(r.teamRank)}</p>` : nothing}
      ${r.streak > 0
        ? html`<p>${ls.streak(r.streak)}${r.bonus > 0 ? html` · <strong>${ls.bonus(r.bonus)}</strong>` : nothing}</p>`
        : nothing}
    </section>`;
  }

  private leaderboard(s: GameState): TemplateResult {
    const t = strings();
    const ls = liveStrings();
    const board = s.leaderboard?.position === s.position ? s.leaderboard : null;
    return html`${this.header(s)}
      <h1 tabindex="-1" data-focus>${board ? t.leaderboard : ls.nextSoon}</h1>
      ${s.me?.rank ? html`<p class="big">${ls.rankOf(s.me.rank, s.playerCount)}</p>` : nothing}
      ${board?.teams
        ? html`<h2>${ls.teams}</h2>
            <pg-live-teams .teams=${board.teams} caption=${ls.teams} mine=${s.me?.team ?? 0}></pg-live-teams>`
        : nothing}
      ${board
        ? html`<pg-live-ranking
              .rows=${board.top}
              caption=${ls.top}
              mine=${s.me?.nickname ?? ''}
              show-change
            ></pg-live-ranking>
            <p class="muted">${ls.nextSoon}</p>`
        : nothing}`;
  }

  private final(s: GameState): TemplateResult {
    const t = strings();
    const ls = liveStrings();
    const me = s.final?.me ?? s.me;
    const total = s.final?.playerCount ?? s.playerCount;
    return html`<h1 tabindex="-1" data-focus>${ls.gameOver}</h1>
      ${me
        ? html`<section class="card standing" aria-label=${ls.resultTitle}>
            ${me.rank !== null ? html`<p class="big">${ls.finalRank(me.rank, total)}</p>` : nothing}
            <p class="big">${t.finalScore(me.score)}</p>
            <p>${ls.rightCount(me.correct, s.session?.questionCount ?? 0)}</p>
            ${me.team
              ? html`<p>${ls.myTeam(me.team)}${me.teamRank ? ` · ${ls.teamRank(me.teamRank)}` : ''}</p>`
              : nothing}
          </section>`
        : nothing}
      ${s.final?.teams?.length
        ? html`<h2>${ls.teamPodium}</h2>
            <pg-live-teams .teams=${s.final.teams} caption=${ls.teamPodium} mine=${me?.team ?? 0}></pg-live-teams>`
        : nothing}
      ${s.final?.podium.length
        ? html`<h2>${ls.podium}</h2>
            <pg-live-podium .podium=${s.final.podium}></pg-live-podium>`
        : nothing}`;
  }

  private stopped(stop: Stop): TemplateResult {
    const t = strings();
    const ls = liveStrings();
    if (typeof stop !== 'string')
      return html`<h1 tabindex="-1" data-focus>${ls.endedTitle}</h1>
        <p class="error" role="alert">${errorMessage(stop.error)}</p>
        <p><a href="/">${t.goHome}</a></p>`;
    const [title, text] = {
      replaced: [ls.replacedTitle, ls.replacedText],
      kicked: [ls.kickedTitle, ls.kickedText],
      ended: [ls.endedTitle, ls.endedText],
      closed: [ls.endedTitle, ls.closedText],
      deleted: [ls.endedTitle, ls.deletedText],
      flooding: [ls.floodingTitle, ls.floodingText],
    }[stop];
    return html`<h1 tabindex="-1" data-focus>${title}</h1>
      <p role="alert">${text}</p>
      ${stop === 'replaced'
        ? html`<p><button type="button" @click=${this.continueHere}>${ls.useHere}</button></p>`
        : stop === 'flooding'
          ? html`<p><button type="button" @click=${() => location.reload()}>${ls.reload}</button></p>`
          : html`<p>
              <a href=${stop === 'kicked' ? `/join/${this.code}` : '/'}
                >${stop === 'kicked' ? t.joinAgain : t.goHome}</a
              >
            </p>`}`;
  }

  private readonly continueHere = (): void => {
    this.stop = null;
    this.game.reconnect();
  };

  private content(s: GameState): TemplateResult {
    const ls = liveStrings();
    if (this.stop) return this.stopped(this.stop);
    const reveal = currentReveal(s);
    switch (s.phase) {
      case null:
        return html`<p role="status">${ls.connecting}</p>`;
      case 'lobby':
        return this.lobby(s);
      case 'question':
        return openQuestion(s)
          ? this.question(s)
          : html`${this.header(s)}
              <p role="status">${ls.waiting}</p>`;
      case 'reveal':
        return reveal
          ? this.reveal(s, reveal)
          : html`${this.header(s)}
              <p role="status">${ls.waiting}</p>`;
      case 'leaderboard':
        // Rankings hidden from students: they get no leaderboard and keep their result on screen.
        return s.leaderboard?.position === s.position || !reveal ? this.leaderboard(s) : this.reveal(s, reveal);
      case 'ended':
        return this.final(s);
    }
  }

  override render() {
    return html`${connectionLine(this.game, this.stop !== null, this.notice)}${this.content(this.game.state)}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-live-play': PgLivePlay;
  }
}
