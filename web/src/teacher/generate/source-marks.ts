/**
 * Finding a draft's quote in the teacher's text, to highlight it. The generator quotes sentences
 * "verbatim once Markdown markup and soft line breaks are removed" (worker/generator/draft.ts),
 * and an ordering quotes several excerpts joined by " … ". So both sides are compared with
 * whitespace and Markdown markers left out, and the match is mapped back to the raw text.
 */

/** A range [start, end) of the raw text. */
export interface Span {
  start: number;
  end: number;
}

/** A stretch of the text and the drafts (0-based) that quote it; `ends` lists those whose quote ends here. */
export interface Segment {
  text: string;
  start: number;
  drafts: number[];
  starts: number[];
  ends: number[];
}

/** Characters left out when comparing: whitespace and Markdown's heading, emphasis, code and quote marks. */
const skipped = (ch: string) => /[\s#*_`>]/.test(ch);

/** The text without skipped characters, and where each kept character stands in the original. */
function flatten(text: string): { flat: string; at: number[] } {
  let flat = '';
  const at: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (skipped(ch)) continue;
    flat += ch;
    at.push(i);
  }
  return { flat, at };
}

/** Where each excerpt of `quote` stands in `text` (excerpts not found are left out). */
export function locate(text: string, quote: string): Span[] {
  const { flat, at } = flatten(text);
  const spans: Span[] = [];
  let from = 0;
  for (const piece of quote.split(' … ')) {
    const p = flatten(piece).flat;
    if (!p) continue;
    // An ordering's excerpts come in reading order; a repeated sentence is found after the last one.
    let i = flat.indexOf(p, from);
    if (i < 0) i = flat.indexOf(p);
    if (i < 0) continue;
    spans.push({ start: at[i]!, end: at[i + p.length - 1]! + 1 });
    from = i + p.length;
  }
  return spans;
}

/** Cuts `text` at every span's edges, so that each segment is quoted by one fixed set of drafts. */
export function segments(text: string, spans: readonly Span[][]): Segment[] {
  const cuts = new Set([0, text.length]);
  spans.forEach((list) => list.forEach((s) => (cuts.add(s.start), cuts.add(s.end))));
  const edges = [...cuts].sort((a, b) => a - b);
  const out: Segment[] = [];
  for (let k = 0; k < edges.length - 1; k++) {
    const [a, b] = [edges[k]!, edges[k + 1]!];
    if (a === b) continue;
    const drafts: number[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    spans.forEach((list, d) => {
      for (const s of list)
        if (s.start <= a && s.end >= b) {
          drafts.push(d);
          if (s.start === a) starts.push(d);
          if (s.end === b) ends.push(d);
          break;
        }
    });
    out.push({ text: text.slice(a, b), start: a, drafts, starts, ends });
  }
  return out;
}
