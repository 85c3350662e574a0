/**
 * `/teach/quizzes/:id` and `/teach/quizzes/new`: the quiz builder. Title, settings and the
 * ordered question list (move up / down by button, remove, preview) on one side; the question
 * bank, "Write a question" and GIFT import on the other. Nothing is stored until "Save quiz"
 * (PUT, or POST for a new quiz); "Open a session" saves first.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { LangController, lang, qHtml, strings } from '../../i18n/lang';
import { teacherStrings } from '../../i18n/teacher';
import { navigate } from '../../core/nav';
import { base } from '../../core/styles';
import { teacherApi } from '../api';
import { teacherBase } from '../styles';
import type { ImportResult, OwnedQuestion } from '../types';
import { isSignedOut, moved, questionMeta, signInPrompt, valueOf } from '../ui';
import { ActionController } from '../components/action-controller';
import { LeaveGuard } from '../components/leave-guard';
import type { PgBankBrowser } from '../questions/pg-bank-browser';
import type { PgConfirmDialog } from '../components/pg-confirm-dialog';
import type { PgQuestionEditor, SavedQuestion } from '../questions/pg-question-editor';
import '../questions/pg-bank-browser';
import '../components/pg-confirm-dialog';
import './pg-gift-import';
import '../questions/pg-question-editor';
import '../questions/pg-question-preview';
import './pg-quiz-settings';
import '../sessions/pg-session-open';
import { DEFAULT_SETTINGS, type QuestionRelation, type QuizSettings } from '../../../../worker/contract';
import { relatedPairsIn } from '../../../../worker/questions/relations';

/** The quiz builder page. */
/** A new quiz's settings: the defaults, its questions in one language, the one the teacher works in. */
const newQuizSettings = (): QuizSettings => ({ ...DEFAULT_SETTINGS, lang: lang() });

@customElement('pg-quiz-builder')
export class PgQuizBuilder extends LitElement {
  static override styles = [
    base,
    teacherBase,
    css`
      .list > li {
        display: grid;
        gap: 0.25rem 0.75rem;
        grid-template-columns: 2rem minmax(0, 1fr);
      }
      .list .n {
        font-weight: 700;
        font-variant-numeric: tabular-nums;
      }
      .list .body {
        min-width: 0;
      }
      .meta {
        display: block;
        color: var(--pg-muted);
        font-size: 0.85rem;
      }
      .list .row {
        gap: 0.4rem;
        margin-top: 0.35rem;
      }
      .toolbar {
        background: var(--pg-surface-2);
        padding: 0.5rem 0;
      }
      @media (min-width: 60rem) {
        /* On a laptop the save button stays in reach while the lists scroll. */
        .toolbar {
          position: sticky;
          top: 0;
          z-index: 1;
        }
      }
      .export {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: end;
      }
      .export .field {
        margin: 0;
        flex: 1 1 12rem;
      }
      h3 {
        margin-top: 1rem;
      }
      .related {
        border-left: 4px solid var(--pg-accent-dark);
        padding: 0.25rem 0 0.25rem 0.75rem;
        margin-top: var(--pg-gap);
      }
      .related p {
        margin: 0 0 0.35rem;
      }
    `,
  ];

  /** The quiz id from the address, or "new". */
  @property({ attribute: 'quiz-id' }) quizId = '';

  private readonly i18n = new LangController(this);
  @state() private loaded = false;
  @state() private quizTitle = '';
  @state() private settings: QuizSettings = newQuizSettings();
  @state() private questions: OwnedQuestion[] = [];
  @state() private dirty = false;
  private readonly action = new ActionController(this);
  @state() private previewing = new Set<string>();
  @state() private editing: OwnedQuestion | null | undefined = undefined;
  @state() private opening = false;
  @state() private giftLang: 'zh' | 'en' | 'both' = 'both';
  /** The bank's related questions (one gives another's answer away, or both test the same fact). */
  @state() private relations: QuestionRelation[] = [];
  @query('pg-bank-browser') private bank!: PgBankBrowser;
  @query('pg-question-editor') private editor!: PgQuestionEditor | null;
  @query('pg-confirm-dialog') private dialog!: PgConfirmDialog;
  @query('#open-heading') private openHeading!: HTMLElement | null;
  /** The quiz whose data is on screen (a new quiz keeps its state when the address gets its id). */
  private shown = '';
  /** Closing or reloading the tab with unsaved changes asks first. */
  private readonly guard = new LeaveGuard(this, () => this.dirty);

  override connectedCallback(): void {
    super.connectedCallback();
    // Only for the warning below: without them the builder works as before.
    if (this.relations.length === 0)
      teacherApi.bankRelations().then(
        (r) => (this.relations = r.relations),
        () => undefined,
      );
  }

  /** A warning for each related pair of bank questions in the quiz, numbered as the list shows them. */
  private related(): TemplateResult | typeof nothing {
    const b = teacherStrings().builder;
    const ids = this.questions.map((q) => q.id);
    const pairs = relatedPairsIn(ids, this.relations);
    if (pairs.length === 0) return nothing;
    return html`<div class="related" id="related-warning" role="note" aria-labelledby="related-heading">
      <p id="related-heading"><strong>${b.relatedHeading}</strong></p>
      <ul>
        ${pairs.map(({ first, second, relation }) => {
          if (relation.kind === 'same') return html`<li>${b.sameFact(first + 1, second + 1)}</li>`;
          const giver = ids.indexOf(relation.questionId) + 1;
          const given = ids.indexOf(relation.relatedId) + 1;
          return html`<li>${b.givesAway(giver, given)}</li>`;
        })}
      </ul>
      <p class="hint">${b.relatedHint}</p>
    </div>`;
  }

  private get isNew(): boolean {
    return this.quizId === 'new';
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (!changed.has('quizId') || this.quizId === this.shown) return;
    this.shown = this.quizId;
    this.action.reset();
    [this.dirty, this.opening, this.editing] = [false, false, undefined];
    if (this.isNew) {
      [this.quizTitle, this.settings, this.questions, this.loaded] = ['', newQuizSettings(), [], true];
    } else {
      this.loaded = false;
      void this.load(this.quizId);
    }
  }

  private async load(id: string): Promise<void> {
    const quiz = await this.action.run(() => teacherApi.getQuiz(id), { latest: true });
    if (!quiz || id !== this.quizId) return;
    [this.quizTitle, this.settings, this.questions, this.loaded] = [quiz.title, quiz.settings, quiz.questions, true];
  }

  private change(patch: { title?: string; settings?: QuizSettings; questions?: OwnedQuestion[] }, notice = ''): void {
    if (patch.title !== undefined) this.quizTitle = patch.title;
    if (patch.settings) this.settings = patch.settings;
    if (patch.questions) this.questions = patch.questions;
    this.dirty = true;
    this.action.say(notice);
  }

  /** Saves the quiz; returns its id, or null when saving failed. */
  private async save(): Promise<string | null> {
    const body = {
      title: this.quizTitle.trim(),
      settings: this.settings,
      questionIds: this.questions.map((q) => q.id),
    };
    const saveQuiz = async () => {
      let id = this.quizId;
      if (this.isNew) {
        id = (await teacherApi.createQuiz(body)).id;
        this.shown = id;
        navigate(`/teach/quizzes/${id}`, { replace: true });
      } else {
        await teacherApi.updateQuiz(id, body);
      }
      this.dirty = false;
      return id;
    };
    return (await this.action.run(saveQuiz, { notice: `✓ ${teacherStrings().builder.saved}` })) ?? null;
  }

  private async duplicate(): Promise<void> {
    if (this.dirty && !(await this.save())) return;
    await this.action.run(async () => {
      const copy = await teacherApi.duplicateQuiz(this.quizId);
      navigate(`/teach/quizzes/${copy.id}`);
    });
  }

  private async deleteQuiz(): Promise<void> {
    const b = teacherStrings().builder;
    const question = { title: b.confirmDeleteTitle, text: b.confirmDeleteText, confirm: b.confirmDeleteButton };
    if (!(await this.dialog.ask(question))) return;
    await this.action.run(async () => {
      await teacherApi.deleteQuiz(this.quizId);
      navigate('/teach');
    });
  }

  private async openSession(): Promise<void> {
    if ((this.dirty || this.isNew) && !(await this.save())) return;
    this.opening = true;
    await this.updateComplete;
    this.openHeading?.focus();
  }

  private add(item: OwnedQuestion): void {
    if (this.questions.some((q) => q.id === item.id)) return;
    this.change(
      { questions: [...this.questions, item] },
      teacherStrings().builder.addedNotice(this.questions.length + 1),
    );
  }

  private move(index: number, delta: number): void {
    const ts = teacherStrings();
    this.change(
      { questions: moved(this.questions, index, delta) },
      ts.builder.movedNotice(index + 1, index + 1 + delta),
    );
    // Keep focus on the same button of the moved question, so that pressing it again keeps moving it.
    const which = delta < 0 ? 'up' : 'down';
    void this.updateComplete.then(() => {
      const target = this.renderRoot.querySelector<HTMLButtonElement>(`[data-move="${which}-${index + delta}"]`);
      (target && !target.disabled
        ? target
        : this.renderRoot.querySelector<HTMLButtonElement>(
            `[data-move="${delta < 0 ? 'down' : 'up'}-${index + delta}"]`,
          )
      )?.focus();
    });
  }

  private removeQuestion(index: number): void {
    const ts = teacherStrings();
    this.change({ questions: this.questions.filter((_, i) => i !== index) }, ts.builder.removedNotice(index + 1));
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#questions-heading')?.focus());
  }

  private togglePreview(id: string): void {
    const next = new Set(this.previewing);
    if (!next.delete(id)) next.add(id);
    this.previewing = next;
  }

  private async edit(item: OwnedQuestion | null): Promise<void> {
    this.editing = item;
    await this.updateComplete;
    this.editor?.focus();
  }

  private onSaved(e: CustomEvent<SavedQuestion>): void {
    const ts = teacherStrings();
    const { id, question, created } = e.detail;
    const item: OwnedQuestion = { id, own: true, question };
    if (created) {
      this.change({ questions: [...this.questions, item] }, ts.builder.writtenNotice(this.questions.length + 1));
    } else {
      this.questions = this.questions.map((q) => (q.id === id ? item : q));
      this.action.say(ts.builder.editedNotice);
    }
    this.editing = undefined;
    void this.bank.refresh();
  }

  private async onImported(e: CustomEvent<ImportResult>): Promise<void> {
    const ts = teacherStrings();
    const wanted = new Set(e.detail.imported.map((q) => q.id));
    for (const q of this.questions) wanted.delete(q.id);
    try {
      // The import answers with stems only; the full questions (for the list and its previews) are among the teacher's own.
      const found: OwnedQuestion[] = [];
      for (let offset = 0; wanted.size > found.length; offset += 200) {
        const page = await teacherApi.questions({ mine: true, limit: 200, offset });
        found.push(...page.items.filter((item) => wanted.has(item.id)));
        if (offset + 200 >= page.total) break;
      }
      const order = e.detail.imported.map((q) => q.id);
      found.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
      this.change({ questions: [...this.questions, ...found] }, ts.builder.importedNotice(found.length));
      void this.bank.refresh();
    } catch (err) {
      this.action.fail(err);
    }
  }

  private onDeleted(e: CustomEvent<{ id: string }>): void {
    // The server takes a deleted question out of every quiz, this one included.
    this.questions = this.questions.filter((q) => q.id !== e.detail.id);
  }

  private list(): TemplateResult {
    const ts = teacherStrings();
    const b = ts.builder;
    if (this.questions.length === 0) return html`<p class="muted">${b.empty}</p>`;
    const last = this.questions.length - 1;
    return html`<ol class="plain items list">
      ${repeat(
        this.questions,
        (q) => q.id,
        (item, i) => {
          const q = item.question;
          const open = this.previewing.has(item.id);
          return html`<li>
            <span class="n">${i + 1}.</span>
            <div class="body">
              ${qHtml(q.stem, 'both')}
              <span class="meta">${questionMeta(q)}${item.own ? ` · ${ts.bank.ownBadge}` : ''}</span>
              <div class="row">
                <button
                  type="button"
                  class="secondary small"
                  data-move="up-${i}"
                  aria-label=${b.moveUp(i + 1)}
                  ?disabled=${i === 0}
                  @click=${() => this.move(i, -1)}
                >
                  <span aria-hidden="true">↑</span> ${b.up}
                </button>
                <button
                  type="button"
                  class="secondary small"
                  data-move="down-${i}"
                  aria-label=${b.moveDown(i + 1)}
                  ?disabled=${i === last}
                  @click=${() => this.move(i, 1)}
                >
                  <span aria-hidden="true">↓</span> ${b.down}
                </button>
                <button
                  type="button"
                  class="secondary small"
                  aria-label=${b.preview(i + 1)}
                  aria-expanded=${open ? 'true' : 'false'}
                  aria-controls="preview-${i}"
                  @click=${() => this.togglePreview(item.id)}
                >
                  ${b.previewShort}
                </button>
                ${item.own
                  ? html`<button
                      type="button"
                      class="secondary small"
                      aria-label=${b.editN(i + 1)}
                      @click=${() => this.edit(item)}
                    >
                      ${ts.bank.edit}
                    </button>`
                  : nothing}
                <button
                  type="button"
                  class="secondary small"
                  aria-label=${b.remove(i + 1)}
                  @click=${() => this.removeQuestion(i)}
                >
                  ${b.removeShort}
                </button>
              </div>
              <div id="preview-${i}" ?hidden=${!open}>
                ${open
                  ? html`<pg-question-preview
                      hide-stem
                      .question=${q}
                      quote=${q.source.quote ?? ''}
                      heading=${'heading' in q.source ? (q.source.heading ?? '') : ''}
                    ></pg-question-preview>`
                  : nothing}
              </div>
            </div>
          </li>`;
        },
      )}
    </ol>`;
  }

  private giftCard(): TemplateResult {
    const ts = teacherStrings();
    const g = ts.gift;
    return html`<section class="card" aria-labelledby="gift-heading">
      <h2 id="gift-heading">${g.heading}</h2>
      <h3>${g.exportHeading}</h3>
      ${this.isNew
        ? html`<p class="muted">${g.saveFirst}</p>`
        : html`<div class="export">
            <div class="field">
              <label for="gift-lang">${g.exportLang}</label>
              <select id="gift-lang" @change=${(e: Event) => (this.giftLang = valueOf(e) as 'zh' | 'en' | 'both')}>
                ${(['both', 'zh', 'en'] as const).map(
                  (l) => html`<option value=${l} ?selected=${this.giftLang === l}>${g.langs[l]}</option>`,
                )}
              </select>
            </div>
            <a class="button secondary" href=${teacherApi.giftUrl(this.quizId, this.giftLang)} download
              >${g.exportLink}</a
            >
          </div>`}
      <h3>${g.importHeading}</h3>
      <pg-gift-import @imported=${this.onImported}></pg-gift-import>
    </section>`;
  }

  override render() {
    const s = strings();
    const ts = teacherStrings();
    const b = ts.builder;
    if (!this.loaded)
      return html`<h1>${b.title}</h1>
        ${this.action.error
          ? html`<p class="error" role="alert">${this.action.message}</p>
              ${isSignedOut(this.action.error) ? signInPrompt() : html`<p><a href="/teach">${ts.nav.workspace}</a></p>`}`
          : html`<p role="status">${s.loading}</p>`}`;
    const selected = new Set(this.questions.map((q) => q.id));
    return html`<h1>${this.isNew ? b.newTitle : this.quizTitle || b.title}</h1>
      <div class="toolbar">
        <div class="row">
          <button type="button" ?disabled=${this.action.busy} @click=${this.save}>${b.save}</button>
          <button
            type="button"
            class="secondary"
            ?disabled=${this.action.busy || this.questions.length === 0}
            @click=${this.openSession}
          >
            ${b.openSession}
          </button>
          ${this.isNew
            ? nothing
            : html`<button type="button" class="secondary" ?disabled=${this.action.busy} @click=${this.duplicate}>
                  ${b.duplicate}
                </button>
                <button type="button" class="secondary" ?disabled=${this.action.busy} @click=${this.deleteQuiz}>
                  ${b.delete}
                </button>`}
        </div>
        <p class="status-line" role="status">${this.dirty ? b.unsaved : ''} ${this.action.notice}</p>
        <p class="error" role="alert">${this.action.message}</p>
      </div>
      ${this.opening
        ? html`<section class="card" aria-labelledby="open-heading">
            <h2 id="open-heading" tabindex="-1">${b.openSession}</h2>
            <pg-session-open
              quiz-id=${this.quizId}
              quiz-title=${this.quizTitle}
              .settings=${this.settings}
            ></pg-session-open>
          </section>`
        : nothing}
      <div class="columns">
        <div>
          <section class="card" aria-labelledby="quiz-heading">
            <h2 id="quiz-heading">${b.quizHeading}</h2>
            <div class="field">
              <label for="quiz-title">${b.quizTitle}</label>
              <input
                id="quiz-title"
                type="text"
                maxlength="120"
                .value=${this.quizTitle}
                @input=${(e: Event) => this.change({ title: valueOf(e) })}
              />
            </div>
          </section>
          <section class="card" aria-labelledby="questions-heading">
            <h2 id="questions-heading" tabindex="-1">${b.questionsHeading(this.questions.length)}</h2>
            ${this.list()} ${this.related()}
          </section>
          <section class="card" aria-labelledby="settings-heading">
            <h2 id="settings-heading">${b.settingsHeading}</h2>
            <pg-quiz-settings
              .settings=${this.settings}
              @change-settings=${(e: CustomEvent<QuizSettings>) => this.change({ settings: e.detail })}
            ></pg-quiz-settings>
          </section>
          ${this.giftCard()}
        </div>
        <section class="card" aria-labelledby="bank-heading">
          <h2 id="bank-heading">${ts.bank.heading}</h2>
          ${this.editing === undefined
            ? html`<p>
                <button type="button" class="secondary" @click=${() => this.edit(null)}>${ts.editor.writeTitle}</button>
              </p>`
            : html`<pg-question-editor
                .question=${this.editing}
                @saved=${this.onSaved}
                @cancel=${() => (this.editing = undefined)}
              ></pg-question-editor>`}
          <pg-bank-browser
            .selected=${selected}
            @add=${(e: CustomEvent<OwnedQuestion>) => this.add(e.detail)}
            @edit=${(e: CustomEvent<OwnedQuestion>) => this.edit(e.detail)}
            @deleted=${this.onDeleted}
          ></pg-bank-browser>
        </section>
      </div>
      <pg-confirm-dialog></pg-confirm-dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-quiz-builder': PgQuizBuilder;
  }
}
