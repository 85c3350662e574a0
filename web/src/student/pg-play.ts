/**
 * A student playing a quiz: the current question with its countdown, the feedback after each
 * answer, and the end screen with the leaderboard. The server holds the state (which question,
 * its clock, the score), so a reload resumes where the student was; only the feedback being read
 * is kept on the device, so that a reload does not start the next question's clock.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { ApiFailure, api, errorMessage } from '../core/api';
import { LangController, formatTime, strings } from '../i18n/lang';
import { navigate } from '../core/nav';
import {
  clearSeat,
  getFeedback,
  getQueued,
  getSeat,
  saveFeedback,
  saveQueued,
  type QueuedAnswer,
  type SavedFeedback,
  type Seat,
} from '../core/store';
import { base, playStyles } from '../core/styles';
import '../core/pg-countdown';
import './pg-feedback';
import './pg-question';
import type { PgFeedback } from './pg-feedback';
import type { PgQuestion } from './pg-question';
import {
  AUTO_ADVANCE_SEC,
  type AnswerResponse,
  type Leaderboard,
  type PlayState,
  type Review,
} from '../../../worker/contract';

type Current = NonNullable<PlayState['current']>;

/** What the screen shows. */
type View =
  | { kind: 'loading' }
  | { kind: 'error'; error: unknown }
  | { kind: 'question'; state: PlayState; current: Current }
  | { kind: 'feedback'; saved: SavedFeedback }
  /** An untimed answer made offline, kept on the device until the server has it. */
  | { kind: 'waiting'; queued: QueuedAnswer }
  /** No current question: finished, closed, or not open yet. */
  | { kind: 'end'; state: PlayState }
  /** After the quiz has closed: the missed questions again, unscored. */
  | { kind: 'practice'; state: PlayState; items: Review['items'] };

/** A review item's stored response (the API validated its shape when it was sent). */
const storedResponse = (value: unknown): AnswerResponse | null =>
  typeof value === 'object' && value !== null ? (value as AnswerResponse) : null;

/** A failure that may pass by itself: no connection, a server error, a rate limit. */
const transient = (err: unknown): boolean =>
  err instanceof ApiFailure && (err.status === 0 || err.status >= 500 || err.status === 429);

/** Longest pause between two tries at sending a queued answer. */
const MAX_QUEUE_PAUSE_MS = 30_000;

/** A student's quiz, from the first question to the leaderboard. */
/** The elements of the quiz's end, loaded once on first use. */
const loadEndParts = () => Promise.all([import('../core/pg-leaderboard'), import('./pg-practice')]);

@customElement('pg-play')
export class PgPlay extends LitElement {
  static override styles = [
    base,
    playStyles,
    css`
      .review {
        list-style: none;
        padding: 0;
        margin: 0;
      }
    `,
  ];

  /** The join code from the address (`/play/<CODE>`). */
  @property() code = '';

  private readonly i18n = new LangController(this);
  @state() private view: View = { kind: 'loading' };
  @state() private busy = false;
  /** Seconds until the next question comes by itself (auto-advance), or null. */
  @state() private advanceIn: number | null = null;
  private advanceTimer: ReturnType<typeof setInterval> | null = null;
  /** A failed submission, shown under the question with a retry. */
  @state() private submitError: unknown = null;
  @state() private board: Leaderboard | null = null;
  @state() private review: Review | null = null;
  /** A failed leaderboard or review request on the end screen. */
  @state() private endError: unknown = null;
  /** A short line for screen readers: the verdict, time running out. */
  @state() private announcement = '';
  /** "Saving…" while an answer is on its way (and its retries); empty otherwise. */
  @state() private saving = '';
  @query('h1') private heading!: HTMLElement | null;
  private seat: Seat | null = null;
  /** The response being sent, kept for a retry after a network failure. */
  private pending: AnswerResponse | null = null;
  /** Set when the view changes by the student's action, so focus follows to the new content. */
  private moveFocus = false;
  /** The next try at sending a queued answer, and the pause after it if it fails too. */
  private queueTimer: ReturnType<typeof setTimeout> | null = null;
  private queuePauseMs = 2000;

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('code')) this.start();
    // The end of the quiz (the leaderboard, practice) loads when a student gets there: every
    // question before it comes sooner on a slow phone. The end needs the server in any case.
    if (this.view.kind === 'end' || this.view.kind === 'practice') void loadEndParts();
  }

  private start(): void {
    this.seat = getSeat(this.code);
    if (!this.seat) {
      navigate(`/join/${this.code}`, { replace: true });
      return;
    }
    const queued = getQueued(this.code);
    const saved = getFeedback(this.code);
    if (queued) this.wait(queued);
    else if (saved) this.view = { kind: 'feedback', saved };
    else void this.load();
  }

  /** Asks the server where the student is (this starts the current question's clock). */
  private async load(): Promise<void> {
    if (!this.seat) return;
    this.view = { kind: 'loading' };
    try {
      const state = await api.play(this.seat.token);
      this.submitError = null;
      if (state.current) {
        this.view = { kind: 'question', state, current: state.current };
      } else {
        this.view = { kind: 'end', state };
        void this.loadEnd(state);
      }
    } catch (err) {
      this.fail(err);
    }
  }

  /** The leaderboard and the review of every answer. */
  private async loadEnd(state: PlayState): Promise<void> {
    if (!this.seat || state.session.status === 'scheduled') return;
    const { feedback, status } = state.session;
    const over = state.me.finished || status === 'closed';
    // Every answer again at the end, unless the answers wait for the quiz to close.
    const withReview = over && (feedback !== 'closed' || status === 'closed');
    try {
      const [board, review] = await Promise.all([
        api.leaderboard(this.seat.token),
        withReview ? api.review(this.seat.token) : null,
      ]);
      this.board = board;
      this.review = review;
      this.endError = null;
    } catch (err) {
      if (err instanceof ApiFailure && err.status === 401) return this.fail(err);
      this.endError = err;
    }
  }

  /** A rejected token means the device is no longer in the quiz: forget it and join again. */
  private fail(err: unknown): void {
    // A live session is played on the live screen (an old link, or "continue" before the lookup).
    if (err instanceof ApiFailure && err.code === 'live_session')
      return navigate(`/live/${this.code}`, { replace: true });
    if (err instanceof ApiFailure && err.status === 401) {
      clearSeat(this.code);
      navigate(`/join/${this.code}`, { replace: true });
      return;
    }
    this.view = { kind: 'error', error: err };
  }

  private async submit(response: AnswerResponse | null): Promise<void> {
    const view = this.view;
    if (view.kind !== 'question' || this.busy || !this.seat) return;
    const { state, current } = view;
    // An untimed answer can wait for the connection; a timed one cannot (the server times it).
    const untimed = !(current.remainingMs !== null && current.limitMs > 0);
    const queued: QueuedAnswer = {
      questionId: current.question.id,
      response,
      state,
      question: current.question,
      position: current.position,
    };
    if (untimed && !navigator.onLine) return this.queue(queued);
    this.busy = true;
    this.pending = response;
    this.submitError = null;
    try {
      const result = await this.sendWithRetries(this.seat.token, current.question.id, response);
      this.show({ state, question: current.question, response, result });
    } catch (err) {
      if (untimed && transient(err)) this.queue(queued);
      else this.refused(err);
    } finally {
      this.busy = false;
    }
  }

  /** The verdict (or "answer saved") of an answer the server has stored. */
  private show(saved: SavedFeedback): void {
    saveFeedback(this.code, saved);
    this.view = { kind: 'feedback', saved };
    const { result, response } = saved;
    if (saved.state.session.autoAdvance && !result.me.finished) this.countDown(AUTO_ADVANCE_SEC);
    const s = strings();
    const v = result.verdict;
    this.announcement = v
      ? s.verdictLine(v.correct ? s.correct : response === null ? s.noAnswer : s.incorrect, s.points(v.points))
      : s.answerSaved;
    this.moveFocus = true;
  }

  /** An answer the server would not take (a transient failure aside). */
  private refused(err: unknown): void {
    if (err instanceof ApiFailure && (err.status === 409 || err.status === 410)) {
      // Not the current question any more, or the quiz ended: the server says what comes next.
      void this.load();
    } else if (err instanceof ApiFailure && err.status === 401) {
      this.fail(err);
    } else {
      this.submitError = err;
    }
  }

  /** Keeps an untimed answer on the device and sends it when the connection returns. */
  private queue(queued: QueuedAnswer): void {
    saveQueued(this.code, queued);
    this.wait(queued);
    this.announcement = strings().savedOffline;
    this.moveFocus = true;
  }

  /** Shows a queued answer as waiting and tries to send it: now, when the browser is back online, and with growing pauses. */
  private wait(queued: QueuedAnswer): void {
    this.view = { kind: 'waiting', queued };
    this.queuePauseMs = 2000;
    window.addEventListener('online', this.sendQueued);
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.queueTimer !== null) clearTimeout(this.queueTimer);
    this.queueTimer = setTimeout(this.sendQueued, ms);
  }

  private stopQueue(): void {
    if (this.queueTimer !== null) clearTimeout(this.queueTimer);
    this.queueTimer = null;
    window.removeEventListener('online', this.sendQueued);
  }

  /**
   * One try at sending the queued answer. Safe to repeat (the server keeps one answer per student
   * and question and returns the first result to a repeat), so a try whose reply was lost, then
   * another, scores once.
   */
  private readonly sendQueued = async (): Promise<void> => {
    const view = this.view;
    if (view.kind !== 'waiting' || !this.seat || this.busy) return;
    const { queued } = view;
    this.busy = true;
    try {
      const result = await api.answer(this.seat.token, queued.questionId, queued.response);
      this.stopQueue();
      saveQueued(this.code, null);
      this.show({ state: queued.state, question: queued.question, response: queued.response, result });
    } catch (err) {
      if (transient(err)) {
        this.schedule(this.queuePauseMs);
        this.queuePauseMs = Math.min(this.queuePauseMs * 2, MAX_QUEUE_PAUSE_MS);
      } else {
        this.stopQueue();
        saveQueued(this.code, null);
        // Refused for good: the server says where the student is (the question again, or the next).
        if (err instanceof ApiFailure && err.status === 401) this.fail(err);
        else void this.load();
      }
    } finally {
      this.busy = false;
    }
  };

  /**
   * Sends an answer, trying again after a dropped connection, a server error or a rate limit, with
   * growing pauses (0.5, 1, 2, 4 s). Safe because the server keeps one answer per student and
   * question: a repeat returns the first result and never scores twice, whatever reached it first.
   */
  private async sendWithRetries(token: string, questionId: string, response: AnswerResponse | null) {
    const s = strings();
    this.saving = s.saving;
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          return await api.answer(token, questionId, response);
        } catch (err) {
          if (!transient(err) || attempt >= 4) throw err;
          this.saving = s.savingRetry(attempt + 1);
          await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
        }
      }
    } finally {
      this.saving = '';
    }
  }

  private next(): void {
    this.stay();
    saveFeedback(this.code, null);
    this.moveFocus = true;
    void this.load();
  }

  /** Counts the seconds to the next question down, one a second, then moves on (unless the student stays). */
  private countDown(seconds: number): void {
    this.stay();
    this.advanceIn = seconds;
    this.advanceTimer = setInterval(() => {
      if (this.advanceIn !== null && this.advanceIn > 1) this.advanceIn--;
      else this.next();
    }, 1000);
  }

  /** Stops the count to the next question: the student reads on, and moves with "Next". */
  private stay(): void {
    if (this.advanceTimer !== null) clearInterval(this.advanceTimer);
    this.advanceTimer = null;
    this.advanceIn = null;
  }

  override disconnectedCallback(): void {
    this.stay();
    this.stopQueue();
    super.disconnectedCallback();
  }

  protected override async updated(): Promise<void> {
    if (!this.moveFocus || this.view.kind === 'loading') return;
    this.moveFocus = false;
    const child = this.renderRoot.querySelector<PgQuestion | PgFeedback>('pg-question, pg-feedback');
    if (child) await child.focusHeading();
    else (this.renderRoot.querySelector<HTMLElement>('.card h2') ?? this.heading)?.focus();
  }

  /** Title, progress and score (unless held back until the end), above the question and the feedback. */
  private header(state: PlayState, position: number, score: number | null): TemplateResult {
    const s = strings();
    return html`<h1 tabindex="-1">${state.session.title}</h1>
      <p class="status">
        <span>${s.progress(position, state.session.questionCount)}</span>
        ${score === null ? nothing : html`<span>${s.score(score)}</span>`}
        <span>${s.playingAs(state.me.nickname)}</span>
      </p>`;
  }

  private question(state: PlayState, current: Current): TemplateResult {
    const s = strings();
    const id = current.question.id;
    const timed = current.remainingMs !== null && current.limitMs > 0;
    return html`${this.header(state, current.position + 1, state.me.score)}
      <div class="timer">
        ${timed
          ? keyed(
              id,
              html`<pg-countdown
                .remainingMs=${current.remainingMs}
                .limitMs=${current.limitMs}
                @pg-timeout=${() => void this.submit(null)}
              ></pg-countdown>`,
            )
          : html`<p class="muted">${s.untimed}</p>`}
      </div>
      ${keyed(
        id,
        html`<pg-question
          .question=${current.question}
          .sessionLang=${state.session.lang}
          ?disabled=${this.busy}
          @pg-answer=${(e: CustomEvent<{ response: AnswerResponse }>) => void this.submit(e.detail.response)}
        ></pg-question>`,
      )}
      <p class="muted" role="status">${this.saving}</p>
      ${this.submitError
        ? html`<p class="error" role="alert">${errorMessage(this.submitError)}</p>
            <button type="button" class="secondary" @click=${() => void this.submit(this.pending)}>${s.retry}</button>`
        : nothing}`;
  }

  private feedback({ state, question, response, result }: SavedFeedback): TemplateResult {
    const s = strings();
    return html`${this.header(state, result.me.answered, result.me.score)}
      ${result.verdict
        ? html`<pg-feedback
            .question=${question}
            .verdict=${result.verdict}
            .response=${response}
            .sessionLang=${state.session.lang}
          ></pg-feedback>`
        : html`<div class="card">
            <h2 tabindex="-1">✓ ${s.answerSaved}</h2>
            <p>${state.session.feedback === 'closed' ? s.answerSavedUntilClose : s.answerSavedText}</p>
          </div>`}
      <p class="actions">
        ${this.advanceIn === null
          ? nothing
          : html`<span class="row">
              <span>${s.nextIn(this.advanceIn)}</span>
              <button type="button" class="secondary small" @click=${() => this.stay()}>${s.stay}</button>
            </span>`}
        <button type="button" @click=${this.next}>${result.me.finished ? s.seeResults : s.nextQuestion}</button>
      </p>`;
  }

  private waiting({ state, position }: QueuedAnswer): TemplateResult {
    const s = strings();
    return html`${this.header(state, position + 1, state.me.score)}
      <div class="card">
        <h2 tabindex="-1">${s.savedOffline}</h2>
        <p>${s.savedOfflineHint}</p>
        <p><button type="button" class="secondary" @click=${this.sendQueued}>${s.sendNow}</button></p>
      </div>`;
  }

  private leaderboard(state: PlayState): TemplateResult {
    const s = strings();
    if (this.board?.hidden) return html`<p>${s.leaderboardHidden}</p>`;
    return html`<h2>${s.leaderboard}</h2>
      ${this.board
        ? html`<pg-leaderboard .entries=${this.board.entries} mine=${state.me.nickname}></pg-leaderboard>`
        : html`<p>${s.loading}</p>`}
      <p>
        <button type="button" class="secondary" @click=${() => this.loadEnd(state)}>${s.refreshLeaderboard}</button>
      </p>`;
  }

  private end(state: PlayState): TemplateResult {
    const s = strings();
    const { session, me } = state;
    if (session.status === 'scheduled')
      return html`<h1 tabindex="-1">${s.notStartedTitle}</h1>
        <p>${session.title}</p>
        <p>${session.opensAt ? s.opensAt(formatTime(session.opensAt)) : s.notStartedTitle}</p>
        <p><button type="button" @click=${this.load}>${s.checkAgain}</button></p>`;
    const mine = this.board?.me;
    const missed = this.review?.items.filter((item) => !item.verdict.correct) ?? [];
    return html`<h1 tabindex="-1">${me.finished ? s.finishedTitle : s.closedTitle}</h1>
      <p>${session.title}</p>
      ${session.status === 'closed' ? html`<p role="status">${s.closedText}</p>` : nothing}
      ${session.feedback === 'closed' && session.status !== 'closed'
        ? html`<p role="status">${s.resultsAtClose}</p>
            <p><button type="button" class="secondary" @click=${this.load}>${s.checkAgain}</button></p>`
        : nothing}
      ${me.score === null && !mine
        ? nothing
        : html`<div class="card">
            ${me.score === null ? nothing : html`<p class="big">${s.finalScore(me.score)}</p>`}
            ${mine ? html`<p>${s.yourRank(mine.rank, this.board?.entries.length ?? 0)}</p>` : nothing}
          </div>`}
      ${this.endError ? html`<p class="error" role="alert">${errorMessage(this.endError)}</p>` : nothing}
      ${missed.length && session.status === 'closed'
        ? html`<p>
            <button type="button" @click=${() => (this.view = { kind: 'practice', state, items: missed })}>
              ${s.practiseMistakes(missed.length)}
            </button>
          </p>`
        : nothing}
      ${this.leaderboard(state)}
      ${this.review?.items.length
        ? html`<h2>${s.yourAnswers}</h2>
            <ol class="review">
              ${this.review.items.map(
                (item) =>
                  html`<li>
                    <pg-feedback
                      level="3"
                      label=${s.questionN(item.position + 1)}
                      .question=${item.question}
                      .verdict=${item.verdict}
                      .response=${storedResponse(item.response)}
                      .sessionLang=${session.lang}
                    ></pg-feedback>
                  </li>`,
              )}
            </ol>`
        : nothing}`;
  }

  private content(): TemplateResult {
    const s = strings();
    const view = this.view;
    switch (view.kind) {
      case 'loading':
        return html`<p role="status">${s.loading}</p>`;
      case 'error':
        return html`<p class="error" role="alert">${errorMessage(view.error)}</p>
          <p class="row">
            <button type="button" @click=${this.load}>${s.retry}</button>
            <a href="/join/${this.code}">${s.joinAgain}</a>
          </p>`;
      case 'question':
        return this.question(view.state, view.current);
      case 'feedback':
        return this.feedback(view.saved);
      case 'waiting':
        return this.waiting(view.queued);
      case 'end':
        return this.end(view.state);
      case 'practice':
        return html`<h1 tabindex="-1">${view.state.session.title}</h1>
          <pg-practice
            .token=${this.seat?.token ?? ''}
            .items=${view.items}
            .sessionLang=${view.state.session.lang}
            @practice-done=${() => (this.view = { kind: 'end', state: view.state })}
          ></pg-practice>`;
    }
  }

  override render() {
    return html`${this.content()}
      <p class="sr-only" aria-live="polite">${this.announcement}</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-play': PgPlay;
  }
}
