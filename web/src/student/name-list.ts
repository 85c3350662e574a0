/**
 * "Find your name": the class roster as a search box over a group of radio buttons, for the join
 * form of a class session. A name someone has already picked is greyed out, says "taken" in words
 * and cannot be chosen. Rendered inside the join form (not an element of its own), so that Enter in
 * the search box submits the form like any other field.
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { live } from 'lit/directives/live.js';
import { lang, strings } from '../i18n/lang';
import { fieldLook } from '../core/styles';
import { nicknameKey, type RosterPick } from '../../../worker/contract';

/** What the list shows and where its changes go. */
export interface NameList {
  names: readonly RosterPick[];
  /** What the student typed into the search box. */
  query: string;
  /** The id of the name picked, or ''. */
  picked: string;
  /** Whether the form's error line is about the name (no name picked, or it was just taken). */
  invalid: boolean;
  onQuery: (query: string) => void;
  onPick: (id: string) => void;
}

/** The names matching the search (folded as names are compared: width, case, spacing), in the reader's order. */
export function matching(names: readonly RosterPick[], query: string): RosterPick[] {
  const key = nicknameKey(query.trim());
  const collator = new Intl.Collator(lang() === 'zh' ? 'zh-CN' : 'en');
  return names.filter((n) => nicknameKey(n.name).includes(key)).sort((a, b) => collator.compare(a.name, b.name));
}

export const nameListStyles = css`
  /* The question the list answers, above the search box's own label. */
  .name-list legend {
    font-weight: 700;
    font-size: 1.15rem;
  }
  .names {
    list-style: none;
    margin: 0.5rem 0 0;
    padding: 0;
    display: grid;
    gap: 0.5rem;
    grid-template-columns: repeat(auto-fill, minmax(8rem, 1fr));
  }
  .names label {
    display: flex;
    align-items: center;
    gap: 0.6rem;
    min-height: 3.25rem;
    padding: 0.5rem 0.75rem;
    border: 2px solid var(--pg-border);
    border-radius: var(--pg-radius);
    background: var(--pg-surface);
    font-size: 1.1rem;
    cursor: pointer;
  }
  .names label:has(input:checked) {
    border-color: var(--pg-accent);
    background: var(--pg-accent-tint);
  }
  .names label.taken {
    border-style: dashed;
    background: var(--pg-surface-2);
    color: var(--pg-muted);
    cursor: not-allowed;
    font-weight: 400;
  }
  .names .mark {
    display: block;
    font-size: 0.85rem;
  }
  input[type='search'] {
    ${fieldLook}
  }
`;

/** The search box, how many names match, and the names as radio buttons. */
export function nameList(list: NameList): TemplateResult {
  const s = strings();
  const shown = matching(list.names, list.query);
  return html`<fieldset class="field name-list" aria-describedby="join-error">
    <legend>${s.findName}</legend>
    <label for="name-search">${s.nameSearch}</label>
    <input
      id="name-search"
      type="search"
      autocomplete="off"
      enterkeyhint="go"
      aria-describedby="name-search-hint name-count"
      aria-invalid=${list.invalid ? 'true' : 'false'}
      .value=${live(list.query)}
      @input=${(e: InputEvent) => list.onQuery((e.target as HTMLInputElement).value)}
    />
    <span id="name-search-hint" class="hint">${s.nameSearchHint}</span>
    <p id="name-count" class="hint" role="status">
      ${list.query.trim() ? (shown.length ? s.nameCount(shown.length) : s.noNameMatches) : ''}
    </p>
    <ul class="names">
      ${repeat(
        shown,
        (n) => n.id,
        (n) =>
          html`<li>
            <label class=${n.taken ? 'taken' : ''}>
              <input
                type="radio"
                name="roster-name"
                value=${n.id}
                ?disabled=${n.taken}
                .checked=${live(list.picked === n.id)}
                @change=${() => list.onPick(n.id)}
              />
              <span>${n.name}${n.taken ? html`<span class="mark">${s.taken}</span>` : nothing}</span>
            </label>
          </li>`,
      )}
    </ul>
  </fieldset>`;
}
