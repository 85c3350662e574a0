/**
 * The quiz builder's question bank: search text, filters (topic, type, difficulty, only mine),
 * paginated results, each with a preview of its answer key and an "Add to quiz" button; the
 * teacher's own questions can be edited and deleted. Fires `add` (an {@link OwnedQuestion}),
 * `edit` (the same) and `deleted` ({ id }).
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { LangController, qHtml, strings } from '../../i18n/lang';
import { teacherStrings } from '../../i18n/teacher';
import { base } from '../../core/styles';
import { teacherApi } from '../api';
import { teacherBase } from '../styles';
import type { BankFilter, BankPage, OwnedQuestion } from '../types';
import { checkedOf, emit, questionMeta, valueOf } from '../ui';
import { ActionController } from '../components/action-controller';
import type { PgConfirmDialog } from '../components/pg-confirm-dialog';
import '../components/pg-confirm-dialog';
import './pg-question-preview';
import { QUESTION_TYPES, TOPICS } from '../../../../worker/contract';

const PAGE_SIZE = 10;

/** The bank panel of the quiz builder. */
@customElement('pg-bank-browser')
export class PgBankBrowser extends LitElement {
  static override styles = [
    base,
    teacherBase,
    css`
      .filters {
        display: grid;
        gap: 0 0.75rem;
        grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr));
        align-items: end;
      }
      .filters .field {
        margin-bottom: 0.5rem;
      }
      .search {
        grid-column: 1 / -1;
      }
      summary {
        cursor: pointer;
        min-height: var(--pg-tap);
        padding: 0.4rem 0;
      }
      .meta {
        display: block;
        color: var(--pg-muted);
        font-size: 0.85rem;
        font-weight: 400;
      }
      details > pg-question-preview {
        padding: 0.25rem 0 0.5rem 1rem;
      }
      .grow {
        flex: 1 1 12rem;
        width: auto;
      }
      .pages {
        justify-content: space-between;
        margin-top: 0.5rem;
      }
    `,
  ];

  /** Ids of the questions already in the quiz (their button says "Added"). */
  @property({ attribute: false }) selected: ReadonlySet<string> = new Set();

  private readonly i18n = new LangController(this);
  @state() private filter: BankFilter = {};
  @state() private offset = 0;
  @state() private page: BankPage | null = null;
  private readonly action = new ActionController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.search();
  }

  /** Searches again, same page (after a question was written or edited). */
  refresh(): Promise<void> {
    return this.search(this.offset);
  }

  private async search(offset = 0): Promise<void> {
    const found = (page: BankPage) => teacherStrings().bank.found(page.total);
    // The newest search wins: another filter or page overtakes a search still on its way.
    const page = await this.action.run(() => teacherApi.questions({ ...this.filter, limit: PAGE_SIZE, offset }), {
      latest: true,
      notice: found,
    });
    if (page) [this.page, this.offset] = [page, offset];
  }

  private setFilter(patch: Partial<BankFilter>): void {
    this.filter = { ...this.filter, ...patch };
    void this.search();
  }

  private async deleteQuestion(item: OwnedQuestion): Promise<void> {
    const ts = teacherStrings();
    const dialog = this.renderRoot.querySelector<PgConfirmDialog>('pg-confirm-dialog')!;
    const yes = await dialog.ask({
      title: ts.bank.confirmDeleteTitle,
      text: ts.bank.confirmDeleteText,
      confirm: ts.bank.confirmDeleteButton,
    });
    if (!yes) return;
    const deleted = await this.action.run(
      async () => {
        await teacherApi.deleteQuestion(item.id);
        emit(this, 'deleted', { id: item.id });
        return true;
      },
      { latest: true },
    );
    if (!deleted) return;
    const lastOnPage = this.page && this.page.items.length === 1 && this.offset > 0;
    await this.search(lastOnPage ? this.offset - PAGE_SIZE : this.offset);
    this.action.say(ts.bank.deleted);
  }

  /** A filter chosen from a list; the first option, `all`, sets none. */
  private choice<K extends 'topic' | 'type' | 'difficulty'>(
    key: K,
    label: string,
    all: string,
    values: readonly NonNullable<BankFilter[K]>[],
    name: (value: NonNullable<BankFilter[K]>) => string,
  ): TemplateResult {
    const chosen = this.filter[key];
    const choose = (e: Event) => this.setFilter({ [key]: values.find((v) => String(v) === valueOf(e)) });
    return html`<div class="field">
      <label for=${key}>${label}</label>
      <select id=${key} @change=${choose}>
        <option value="">${all}</option>
        ${values.map((v) => html`<option value=${v} ?selected=${chosen === v}>${name(v)}</option>`)}
      </select>
    </div>`;
  }

  private filters(): TemplateResult {
    const ts = teacherStrings();
    const b = ts.bank;
    const f = this.filter;
    const onSubmit = (e: SubmitEvent) => {
      e.preventDefault();
      const q = new FormData(e.target as HTMLFormElement).get('q');
      this.setFilter({ q: typeof q === 'string' ? q.trim() : '' });
    };
    return html`<form class="filters" role="search" aria-label=${ts.bank.heading} @submit=${onSubmit}>
      <div class="field search">
        <label for="q">${ts.bank.search}</label>
        <div class="row">
          <input id="q" name="q" type="search" maxlength="100" class="grow" .value=${f.q ?? ''} />
          <button type="submit" class="small">${ts.bank.searchButton}</button>
        </div>
      </div>
      ${this.choice('topic', b.topic, b.allTopics, TOPICS, (t) => ts.topics[t])}
      ${this.choice('type', b.type, b.allTypes, QUESTION_TYPES, (t) => ts.types[t])}
      ${this.choice('difficulty', b.difficulty, b.anyDifficulty, [1, 2, 3] as const, (d) => ts.difficulty[d])}
      <label class="check">
        <input
          type="checkbox"
          .checked=${f.mine ?? false}
          @change=${(e: Event) => this.setFilter({ mine: checkedOf(e) })}
        />
        ${ts.bank.mine}
      </label>
    </form>`;
  }

  private item(item: OwnedQuestion): TemplateResult {
    const ts = teacherStrings();
    const q = item.question;
    const added = this.selected.has(item.id);
    const stemId = `stem-${item.id}`;
    return html`<li>
      <details>
        <summary>
          <span id=${stemId}>${qHtml(q.stem, 'both')}</span>
          <span class="meta">${questionMeta(q)}${item.own ? ` · ${ts.bank.ownBadge}` : ''}</span>
        </summary>
        <pg-question-preview
          hide-stem
          .question=${q}
          quote=${q.source.quote ?? ''}
          heading=${'heading' in q.source ? (q.source.heading ?? '') : ''}
        ></pg-question-preview>
      </details>
      <div class="row">
        <button
          type="button"
          class="small"
          aria-describedby=${stemId}
          ?disabled=${added}
          @click=${() => emit(this, 'add', item)}
        >
          ${added ? `✓ ${ts.bank.added}` : ts.bank.add}
        </button>
        ${item.own
          ? html`<button
                type="button"
                class="secondary small"
                aria-describedby=${stemId}
                @click=${() => emit(this, 'edit', item)}
              >
                ${ts.bank.edit}
              </button>
              <button
                type="button"
                class="secondary small"
                aria-describedby=${stemId}
                @click=${() => this.deleteQuestion(item)}
              >
                ${ts.bank.delete}
              </button>`
          : nothing}
      </div>
    </li>`;
  }

  override render() {
    const s = strings();
    const ts = teacherStrings();
    const page = this.page;
    const pages = page ? Math.max(1, Math.ceil(page.total / PAGE_SIZE)) : 1;
    const current = Math.floor(this.offset / PAGE_SIZE) + 1;
    return html`${this.filters()}
      <p class="status-line muted" role="status">${this.action.busy ? s.loading : this.action.notice}</p>
      <p class="error" role="alert">${this.action.message}</p>
      ${page
        ? html`<ul class="plain items" aria-label=${ts.bank.results}>
              ${repeat(
                page.items,
                (i) => i.id,
                (i) => this.item(i),
              )}
            </ul>
            <nav class="row pages" aria-label=${ts.bank.pagesLabel}>
              <button
                type="button"
                class="secondary small"
                ?disabled=${current <= 1 || this.action.busy}
                @click=${() => this.search(this.offset - PAGE_SIZE)}
              >
                ${ts.bank.previous}
              </button>
              <span>${ts.bank.pageOf(current, pages)}</span>
              <button
                type="button"
                class="secondary small"
                ?disabled=${current >= pages || this.action.busy}
                @click=${() => this.search(this.offset + PAGE_SIZE)}
              >
                ${ts.bank.next}
              </button>
            </nav>`
        : nothing}
      <pg-confirm-dialog></pg-confirm-dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-bank-browser': PgBankBrowser;
  }
}
