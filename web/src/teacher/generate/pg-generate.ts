/**
 * `/teach/generate`: create from text. The teacher pastes an article (or opens a .txt / .md
 * file), gets draft questions each tied to its sentence, reviews them beside the text with the
 * quoted sentences highlighted, edits, accepts or rejects each, and saves the accepted ones as a
 * new quiz, which then opens in the quiz builder.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { LangController, strings } from '../../i18n/lang';
import { teacherStrings } from '../../i18n/teacher';
import { navigate } from '../../core/nav';
import { base } from '../../core/styles';
import { teacherApi } from '../api';
import { AuthController, knownTeacher } from '../auth';
import { teacherBase } from '../styles';
import { authPending, signInPrompt, valueOf } from '../ui';
import { ActionController } from '../components/action-controller';
import { LeaveGuard } from '../components/leave-guard';
import type { Decision } from './pg-draft-card';
import type { PgSourceText } from './pg-source-text';
import './pg-draft-card';
import './pg-source-text';
import { MAX_GENERATE_CHARS, type Draft } from '../../../../worker/contract';

/** The text's first Markdown heading, as a title to start from. */
const firstHeading = (text: string): string => /^#{1,6}\s+(.+)$/m.exec(text)?.[1]?.trim().slice(0, 120) ?? '';

/** The create-from-text page. */
@customElement('pg-generate')
export class PgGenerate extends LitElement {
  static override styles = [
    base,
    teacherBase,
    css`
      #text {
        min-height: 14rem;
      }
      .counter.over {
        color: var(--pg-accent-dark);
        font-weight: 700;
      }
      .source {
        max-height: 85vh;
        overflow: auto;
      }
      @media (min-width: 60rem) {
        .source {
          position: sticky;
          top: 0.5rem;
        }
      }
    `,
  ];

  private readonly i18n = new LangController(this);
  private readonly auth = new AuthController(this);
  @state() private text = '';
  @state() private drafts: Draft[] = [];
  @state() private decisions: Decision[] = [];
  /** The text the drafts were made from (the textarea may change afterwards). */
  @state() private source = '';
  @state() private active = -1;
  @state() private quizTitle = '';
  /** Making the drafts (and reading a file); its notices are spoken, as the page changes around them. */
  private readonly drafting = new ActionController(this);
  /** Saving the accepted drafts as a quiz. */
  private readonly saving = new ActionController(this);
  @query('pg-source-text') private sourceView!: PgSourceText | null;
  /** Reviewed drafts live only in this page until saved: closing the tab asks first. */
  private readonly guard = new LeaveGuard(this, () => this.decisions.some((d) => d !== null));

  private async readFile(e: Event): Promise<void> {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    try {
      // FileReader, not File.text(), for older browsers still common on school machines.
      this.text = await new Promise<string>((resolve, reject) => {
        const reader = new FileReader();
        reader.onload = () => resolve(String(reader.result ?? ''));
        reader.onerror = () => reject(reader.error);
        reader.readAsText(file);
      });
      this.drafting.say(teacherStrings().gen.fileRead(file.name));
    } catch (err) {
      this.drafting.fail(err);
    }
  }

  private async make(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.saving.busy) return;
    const made = async () => {
      const { drafts } = await teacherApi.generate(this.text);
      this.drafts = drafts;
      this.decisions = drafts.map(() => null);
      this.source = this.text;
      this.active = -1;
      this.quizTitle ||= firstHeading(this.text);
      return drafts.length;
    };
    if ((await this.drafting.run(made, { notice: (n) => teacherStrings().gen.made(n) })) === undefined) return;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#drafts-heading')?.focus();
  }

  private decide(index: number, decision: Decision): void {
    this.decisions = this.decisions.map((d, i) => (i === index ? decision : d));
  }

  private decideAll(decision: Decision): void {
    this.decisions = this.drafts.map(() => decision);
  }

  private async show(index: number): Promise<void> {
    const g = teacherStrings().gen;
    this.active = index;
    const found = await this.sourceView?.reveal(index);
    this.drafting.say(found ? g.shownInText(index + 1) : g.notInText(index + 1));
  }

  /** Back from the text to the draft being looked at (on a phone the text is far below the drafts). */
  private backToDraft(): void {
    const card = this.renderRoot.querySelectorAll('pg-draft-card')[this.active];
    card?.scrollIntoView({ block: 'start' });
    card?.shadowRoot?.querySelector<HTMLButtonElement>('button')?.focus({ preventScroll: true });
  }

  private save(e: SubmitEvent): void {
    e.preventDefault();
    if (this.drafting.busy) return;
    const accepted = this.drafts.filter((_, i) => this.decisions[i] === 'accept');
    void this.saving.run(async () => {
      const { quizId } = await teacherApi.acceptDrafts(this.quizTitle.trim(), accepted);
      navigate(`/teach/quizzes/${quizId}`);
    });
  }

  private input(): TemplateResult {
    const ts = teacherStrings();
    const g = ts.gen;
    const count = this.text.length;
    const over = count > MAX_GENERATE_CHARS;
    const making = this.drafting.busy && !this.drafts.length;
    return html`<form class="card" novalidate @submit=${this.make}>
      <div class="field">
        <label for="text">${g.textLabel}</label>
        <span id="text-hint" class="hint">${g.textHint}</span>
        <textarea
          id="text"
          aria-describedby="text-hint counter"
          .value=${this.text}
          @input=${(e: Event) => (this.text = valueOf(e))}
        ></textarea>
        <span id="counter" class="counter ${over ? 'over' : 'muted'}"
          >${g.counter(count, MAX_GENERATE_CHARS)}${over ? ` — ${g.tooLong(count - MAX_GENERATE_CHARS)}` : ''}</span
        >
      </div>
      <div class="field">
        <label for="file">${g.fileLabel}</label>
        <input id="file" type="file" accept=".txt,.md,.markdown,text/plain,text/markdown" @change=${this.readFile} />
      </div>
      <p class="error" role="alert">${this.drafting.message}</p>
      <button type="submit" ?disabled=${this.drafting.busy || this.saving.busy}>
        ${making ? strings().loading : g.make}
      </button>
    </form>`;
  }

  private review(): TemplateResult {
    const g = teacherStrings().gen;
    const accepted = this.decisions.filter((d) => d === 'accept').length;
    const rejected = this.decisions.filter((d) => d === 'reject').length;
    const busy = this.drafting.busy || this.saving.busy;
    return html`<div class="columns">
        <section aria-labelledby="drafts-heading">
          <h2 id="drafts-heading" tabindex="-1">${g.draftsHeading(this.drafts.length)}</h2>
          <p class="hint">${g.reviewHint}</p>
          <p class="row">
            <button type="button" class="secondary small" @click=${() => this.decideAll('accept')}>
              ${g.acceptAll}
            </button>
            <button type="button" class="secondary small" @click=${() => this.decideAll('reject')}>
              ${g.rejectAll}
            </button>
          </p>
          <p role="status">${g.tally(accepted, rejected, this.drafts.length - accepted - rejected)}</p>
          ${this.drafts.map(
            (d, i) =>
              html`<pg-draft-card
                .draft=${d}
                .index=${i}
                .decision=${this.decisions[i] ?? null}
                ?active=${this.active === i}
                @decide=${(e: CustomEvent<Decision>) => this.decide(i, e.detail)}
                @change-draft=${(e: CustomEvent<Draft>) =>
                  (this.drafts = this.drafts.map((x, j) => (j === i ? e.detail : x)))}
                @show-source=${() => this.show(i)}
              ></pg-draft-card>`,
          )}
        </section>
        <section class="card source" aria-labelledby="source-heading">
          <h2 id="source-heading">${g.sourceHeading}</h2>
          ${this.active >= 0
            ? html`<p>
                <button type="button" class="secondary small" @click=${this.backToDraft}>
                  ${g.backToDraft(this.active + 1)}
                </button>
              </p>`
            : nothing}
          <pg-source-text
            .text=${this.source}
            .quotes=${this.drafts.map((d) => d.source.quote)}
            .active=${this.active}
          ></pg-source-text>
        </section>
      </div>
      <form class="card" novalidate @submit=${this.save}>
        <h2>${g.saveHeading}</h2>
        <div class="field">
          <label for="quiz-title">${teacherStrings().builder.quizTitle}</label>
          <input
            id="quiz-title"
            type="text"
            maxlength="120"
            .value=${this.quizTitle}
            @input=${(e: Event) => (this.quizTitle = valueOf(e))}
          />
        </div>
        <p class="error" role="alert">${this.saving.message}</p>
        <button type="submit" ?disabled=${busy || accepted === 0}>${g.save(accepted)}</button>
      </form>`;
  }

  override render() {
    const g = teacherStrings().gen;
    const teacher = knownTeacher();
    if (teacher === undefined) return authPending();
    if (!teacher)
      return html`<h1>${g.title}</h1>
        ${signInPrompt()}`;
    return html`<h1>${g.title}</h1>
      <p>${g.intro}</p>
      ${this.input()}
      <p class="sr-only" role="status">${this.drafting.notice}</p>
      ${this.drafts.length ? this.review() : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-generate': PgGenerate;
  }
}
