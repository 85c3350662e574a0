/**
 * What a student's device may see of a question. Before answering: the stem (and its image) and the choices,
 * never the answer, key, explanation or source. After: the answer and the proof.
 */
import type { Question, Reveal, StudentQuestion } from '../contract';
import { SECTION_HEADINGS } from './schema';

/** 32-bit FNV-1a hash, to seed a shuffle from a string. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Deterministic shuffle (mulberry32), so a reload shows a student the same order. */
function seededShuffle<T>(items: readonly T[], seed: string): T[] {
  let a = hash(seed);
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * The student's view of `q`. Items to order and matching targets are always shuffled per student
 * (`seed`), so their position says nothing about the answer, and an ordering never starts solved;
 * choices are shuffled per student when the session asks for it. Answers name option ids, never
 * positions, so a shuffle cannot change a verdict.
 */
export function toStudent(q: Question, seed: string, options: { shuffleOptions?: boolean } = {}): StudentQuestion {
  // The image's address and size and its alt text: nothing else of the teacher's upload.
  const out: StudentQuestion = { id: q.id, type: q.type, stem: q.stem, ...(q.image ? { image: q.image } : {}) };
  switch (q.type) {
    case 'single':
    case 'multi':
    case 'poll':
      out.options = options.shuffleOptions ? seededShuffle(q.options, `${seed}:${q.id}`) : q.options;
      break;
    case 'ordering': {
      let items = seededShuffle(q.options, `${seed}:${q.id}`);
      if (items.every((o, i) => o.id === q.answer[i])) items = [...items.slice(1), items[0]!];
      out.options = items;
      break;
    }
    case 'matching':
      out.options = q.options;
      out.targets = seededShuffle(q.targets, `${seed}:${q.id}`);
      break;
    case 'numeric':
      if (q.unit) out.unit = q.unit;
      break;
    default:
      break;
  }
  return out;
}

/** The answer and its proof, for after the student has answered. */
export function reveal(q: Question): Reveal {
  return {
    answer: 'answer' in q ? q.answer : null,
    ...(q.type === 'numeric' ? { tolerance: q.tolerance } : {}),
    ...(q.explanation ? { explanation: q.explanation } : {}),
    source:
      'section' in q.source
        ? {
            quote: q.source.quote,
            // A bank row stored before translations existed has none until the next seed.
            ...(q.source.quoteEn ? { quoteEn: q.source.quoteEn } : {}),
            heading: SECTION_HEADINGS[q.source.section],
          }
        : q.source.quote
          ? { quote: q.source.quote, heading: q.source.heading ?? '' }
          : null,
  };
}
