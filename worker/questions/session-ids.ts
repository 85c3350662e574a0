/**
 * Per-session ids. A student never sees a question's or an option's permanent bank id: inside a
 * session every question, option and matching target has an opaque id derived from the session's
 * secret salt (HMAC-SHA-512), and the server maps answers back before grading. An answer key
 * harvested in one session (question id → correct option ids) is therefore worthless in another,
 * and a bank id sent where a session id is expected names no option at all.
 *
 * Cost: three HMACs per question, 4 to 7 ms for a session of 50 questions (measured in Node on a
 * shared 2-core machine, mostly the overhead of each `crypto.subtle` call), then map look-ups only:
 * about 1 µs per question shown, reveal or answer mapped. So rooms build the mapping once when they
 * load a session (and after a wake-up), never per request.
 */
import type { Question, Reveal, StudentQuestion } from '../contract';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
/** Characters of an option or target id: 40 bits, so two options of one question never share one in practice. */
const OPTION_CHARS = 8;
/** Characters of a question id (after its `q`): 60 bits, unique across a session's questions in practice. */
const QUESTION_CHARS = 12;
/** Prefix of a response id that is not one of the session's: grading refuses it as an unknown option. */
const FOREIGN = '?';

/** `chars` base32 characters from the bits of `bytes` starting at byte `from`. */
function base32(bytes: Uint8Array, from: number, chars: number): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (let i = from; out.length < chars; i++) {
    value = (value << 8) | bytes[i]!;
    bits += 8;
    while (bits >= 5 && out.length < chars) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

/** Both directions of one question's id mapping. */
interface QuestionIds {
  id: string;
  options: Map<string, string>;
  targets: Map<string, string>;
  optionsBack: Map<string, string>;
  targetsBack: Map<string, string>;
}

/**
 * Opaque ids for `ids` (in bank order) from 64 keyed bytes, each read from its own 5 bytes (a question
 * has at most 8 options; past 12 the windows wrap). A clash (vanishingly rare) is told apart by position.
 */
function listIds(bytes: Uint8Array, ids: readonly string[]): [Map<string, string>, Map<string, string>] {
  const forward = new Map<string, string>();
  const back = new Map<string, string>();
  ids.forEach((bankId, i) => {
    let masked = base32(bytes, (i * 5) % 59, OPTION_CHARS);
    if (back.has(masked)) masked += BASE32[i];
    forward.set(bankId, masked);
    back.set(masked, bankId);
  });
  return [forward, back];
}

const mapIds = (ids: readonly string[], map: Map<string, string>) => ids.map((id) => map.get(id) ?? FOREIGN + id);
const mapPairs = (pairs: Record<string, string>, left: Map<string, string>, right: Map<string, string>) =>
  Object.fromEntries(Object.entries(pairs).map(([l, r]) => [left.get(l) ?? FOREIGN + l, right.get(r) ?? FOREIGN + r]));

/** The id mapping of one session's questions. Build it once per session (it signs a few times per question). */
export class SessionIds {
  private constructor(
    private readonly byBank: Map<string, QuestionIds>,
    private readonly byMasked: Map<string, string>,
  ) {}

  /** The mapping for a session whose secret salt is `salt`. */
  static async create(salt: string, questions: readonly Question[]): Promise<SessionIds> {
    // Without a secret anyone could compute the ids: refuse rather than show them.
    if (!salt) throw new Error('session ids: the session has no salt');
    const key = await crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(salt),
      { name: 'HMAC', hash: 'SHA-512' },
      false,
      ['sign'],
    );
    const sign = async (text: string) =>
      new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(text)));
    const entries = await Promise.all(
      questions.map(async (q): Promise<[string, QuestionIds]> => {
        const [own, optionBytes, targetBytes] = await Promise.all([
          sign(`q:${q.id}`),
          sign(`o:${q.id}`),
          sign(`t:${q.id}`),
        ]);
        const [options, optionsBack] = listIds(optionBytes, 'options' in q ? q.options.map((o) => o.id) : []);
        const [targets, targetsBack] = listIds(targetBytes, q.type === 'matching' ? q.targets.map((o) => o.id) : []);
        return [q.id, { id: `q${base32(own, 0, QUESTION_CHARS)}`, options, targets, optionsBack, targetsBack }];
      }),
    );
    const byBank = new Map(entries);
    return new SessionIds(byBank, new Map(entries.map(([bankId, ids]) => [ids.id, bankId])));
  }

  private of(bankId: string): QuestionIds {
    const ids = this.byBank.get(bankId);
    if (!ids) throw new Error(`session ids: question ${bankId} is not in the session`);
    return ids;
  }

  /** The session id of a bank question. */
  questionId(bankId: string): string {
    return this.of(bankId).id;
  }

  /** The bank id behind a session question id, or undefined for an id the session never gave out. */
  bankId(sessionId: string): string | undefined {
    return this.byMasked.get(sessionId);
  }

  /** A question as a student receives it: its own id and its options' and targets' ids replaced. */
  student(q: StudentQuestion): StudentQuestion {
    const ids = this.of(q.id);
    return {
      ...q,
      id: ids.id,
      ...(q.options ? { options: q.options.map((o) => ({ ...o, id: ids.options.get(o.id)! })) } : {}),
      ...(q.targets ? { targets: q.targets.map((o) => ({ ...o, id: ids.targets.get(o.id)! })) } : {}),
    };
  }

  /** Counts by `q`'s option ids (how a class answered), keyed by the session's; other keys (true, false) stay. */
  counts(q: Question, counts: Record<string, number>): Record<string, number> {
    const { options } = this.of(q.id);
    return Object.fromEntries(Object.entries(counts).map(([id, n]) => [options.get(id) ?? id, n]));
  }

  /** The revealed answer in the session's ids. */
  reveal(q: Question, reveal: Reveal): Reveal {
    const ids = this.of(q.id);
    switch (q.type) {
      case 'single':
        return { ...reveal, answer: ids.options.get(q.answer)! };
      case 'multi':
      case 'ordering':
        return { ...reveal, answer: mapIds(q.answer, ids.options) };
      case 'matching':
        return { ...reveal, answer: mapPairs(q.answer, ids.options, ids.targets) };
      default:
        return reveal;
    }
  }

  /**
   * A student's response in bank ids, for grading and storing. Ids the session never gave out
   * (a bank id, another session's id) stay unknown, so grading refuses them.
   */
  toBank(q: Question, response: unknown): unknown {
    const ids = this.of(q.id);
    return translate(q, response, ids.optionsBack, ids.targetsBack);
  }

  /** A stored response (bank ids) in the session's ids, for the review. */
  fromBank(q: Question, response: unknown): unknown {
    const ids = this.of(q.id);
    return translate(q, response, ids.options, ids.targets);
  }
}

/** Maps the option and target ids inside a response of `q`'s type; anything of another shape is returned as is. */
function translate(
  q: Question,
  response: unknown,
  options: Map<string, string>,
  targets: Map<string, string>,
): unknown {
  if (response === null || typeof response !== 'object' || Array.isArray(response)) return response;
  const r = response as Record<string, unknown>;
  const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
  switch (q.type) {
    case 'single':
    case 'poll':
      return typeof r.optionId === 'string' ? { ...r, optionId: mapIds([r.optionId], options)[0] } : response;
    case 'multi':
      return strings(r.optionIds) ? { ...r, optionIds: mapIds(r.optionIds, options) } : response;
    case 'ordering':
      return strings(r.order) ? { ...r, order: mapIds(r.order, options) } : response;
    case 'matching': {
      const pairs = r.pairs;
      if (pairs === null || typeof pairs !== 'object' || Array.isArray(pairs)) return response;
      const entries = Object.entries(pairs);
      if (!entries.every(([, v]) => typeof v === 'string')) return response;
      return { ...r, pairs: mapPairs(Object.fromEntries(entries) as Record<string, string>, options, targets) };
    }
    default:
      return response;
  }
}
