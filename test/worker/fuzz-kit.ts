/**
 * Input fuzzing: the arbitraries, the transport and the response checks shared by the
 * `fuzz*.test.ts` files.
 *
 * ## Runs and seeds
 * Cases per route: `FUZZ_RUNS` (default 2000; `npm run fuzz`: 20 000). Every property has a fixed
 * seed, derived from `FUZZ_SEED` (default {@link BASE_SEED}'s value) and its name, so a run is
 * reproducible: the same files with the same `FUZZ_RUNS` and `FUZZ_SEED` generate the same cases in
 * the same order (only the ids and tokens they refer to are new each run). A failure prints the counterexample (with its references unresolved, e.g.
 * `Ref(session)`), the request as sent and the answer, and fast-check's seed and path.
 *
 * The test pool forwards only `VITE_*` variables of the shell into workerd, so the variables are
 * read as `VITE_FUZZ_RUNS`/`VITE_FUZZ_SEED` (`npm run fuzz` sets them from `FUZZ_RUNS`/`FUZZ_SEED`):
 * `VITE_FUZZ_RUNS=500 npx vitest run --project worker test/worker/fuzz`. (Plain `FUZZ_RUNS` is read
 * too, should the vitest config ever pass it through with `test.env`.)
 *
 * ## Transport
 * Requests are dispatched to the Worker's own fetch handler (`worker/index.ts`'s default export,
 * the object the runtime calls) with the real bindings (`env` of `cloudflare:workers`: D1, the
 * live rooms, the rate limiters) and an execution context from `cloudflare:test`. Not through
 * `exports.default.fetch`: in @cloudflare/vitest-pool-workers 0.15.1 every request through that
 * binding wraps the entrypoint's prototype in one more Proxy (workers-sdk #15092 / #15446, fixed by
 * #15106 in releases that need Node 22), so request n costs O(n): measured here, 2 ms for the
 * first requests and 60–300 ms after a few hundred. Tens of thousands of requests per file are only
 * possible around it. What the runtime adds around the handler (turning a thrown exception into a
 * 500) is checked here instead: a handler that throws fails the property as a crash.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { ERROR_CODES, FIELD_PROBLEMS } from '../../worker/contract';
import worker from '../../worker/index';

// ---------------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------------

function variable(name: string): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
  const meta = (import.meta as unknown as { env?: Record<string, string | undefined> }).env ?? {};
  return proc[name] || proc[`VITE_${name}`] || meta[`VITE_${name}`] || undefined;
}

function intVariable(name: string, fallback: number): number {
  const raw = variable(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`${name} must be an integer, got ${JSON.stringify(raw)}`);
  return n;
}

/** Cases per route (and messages for the live protocol). */
export const RUNS = Math.max(1, intVariable('FUZZ_RUNS', 2000));
/** Base of every property's seed. */
export const BASE_SEED = intVariable('FUZZ_SEED', 0x5eed08);

/** FNV-1a of a string: a stable per-route offset of the seed. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The seed of the property named `name`: fixed, and different for every property. */
export const seedOf = (name: string): number => (BASE_SEED ^ fnv1a(name)) | 0;

/** fast-check parameters for a property named `name`. */
export const params = (name: string, runs = RUNS): fc.Parameters<unknown> => ({ numRuns: runs, seed: seedOf(name) });

/** Test timeout for a property of `runs` cases costing about `msPerCase` each (generous: CI machines are shared). */
// The report and CSV routes take 70–95 ms a case on a 2-core CI machine (189 s of the former 220 s
// for 2 000 cases), so the margin is ×10, not ×5.
export const timeoutFor = (runs: number, msPerCase = 10) => 120_000 + runs * msPerCase * 10;

// ---------------------------------------------------------------------------------------------
// References resolved when a case runs (real ids, tokens, the current question …)
// ---------------------------------------------------------------------------------------------

/**
 * A placeholder in a generated case for a value only known when the case runs (a fresh class, the
 * key of the session in the path, the question a student is on). `n` picks among several.
 */
export class Ref {
  constructor(
    readonly name: string,
    readonly n = 0,
  ) {}
  toString() {
    return `Ref(${this.name}${this.n ? `, ${this.n}` : ''})`;
  }
}
export const ref = (name: string, n = 0) => new Ref(name, n);
/** A `Ref` with an arbitrary `n`. */
export const refN = (name: string) => fc.nat({ max: 1_000_000 }).map((n) => new Ref(name, n));

/** A piece of JSON text put verbatim into the body (number tokens JSON.stringify cannot write, deep nesting). */
export class RawJson {
  constructor(readonly text: string) {}
  toString() {
    return this.text.length > 80
      ? `RawJson(${this.text.slice(0, 40)}…${this.text.length} chars)`
      : `RawJson(${this.text})`;
  }
}

/** JSON text of `value`, with every {@link RawJson} inside written verbatim. */
export function toJsonText(value: unknown): string | undefined {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) =>
    v instanceof RawJson ? `\u0000RAW${raws.push(v.text) - 1}\u0000` : v,
  );
  if (text === undefined) return undefined;
  return raws.length ? text.replace(/"\\u0000RAW(\d+)\\u0000"/g, (_m, i: string) => raws[Number(i)]!) : text;
}

/** Replaces every {@link Ref} inside `value` (deeply) by what `resolve` gives. */
export async function resolveDeep(value: unknown, resolve: (r: Ref) => Promise<unknown>): Promise<unknown> {
  if (value instanceof Ref) return resolve(value);
  if (value instanceof RawJson || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) out.push(await resolveDeep(v, resolve));
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    Object.defineProperty(out, k, {
      value: await resolveDeep(v, resolve),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Nasty values
// ---------------------------------------------------------------------------------------------

const charsOf = (from: number, to: number) => fc.integer({ min: from, max: to }).map((c) => String.fromCharCode(c));

/** Lone surrogates, controls, bidi overrides, zero-width and other invisible characters. */
const weirdChar = fc.oneof(
  charsOf(0xd800, 0xdfff),
  charsOf(0x00, 0x1f),
  fc.constantFrom(
    '\u007f',
    '\u0085',
    '\u00a0',
    '\u00ad',
    '\u034f',
    '\u115f',
    '\u180e',
    '\u200b',
    '\u200d',
    '\u200e',
    '\u2028',
    '\u2029',
    '\u202a',
    '\u202e',
    '\u2066',
    '\u2069',
    '\u3000',
    '\u3164',
    '\ufe0f',
    '\ufeff',
    '\ufffd',
    '\uffff',
  ),
);

/** Strings that have broken parsers, validators and SQL before. */
export const SPECIAL_STRINGS = [
  '',
  ' ',
  '   ',
  '\t\n\r',
  '\u0000',
  'null',
  'undefined',
  'true',
  'false',
  'NaN',
  '-NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '-1',
  '0',
  '-0',
  '1.5',
  '0x1F',
  '1_000',
  '9007199254740993',
  '[]',
  '{}',
  '[object Object]',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  "'; DROP TABLE users; --",
  '" OR "1"="1',
  "' OR 1=1 --",
  '%',
  '%%',
  '_',
  '\\',
  '\\\\',
  '%_\\',
  '$1',
  '$&',
  '../../../etc/passwd',
  '<script>alert(1)</script>',
  '${7*7}',
  '{{7*7}}',
  '=cmd|" /C calc"!A0',
  '@SUM(1+1)',
  '+1',
  '\u202egnp.exe',
  '\u200b',
  '\ufeff',
  '\ud800',
  '\udfff',
  '\udbff\udfff',
  'a\ud800b',
  '𝕏𝕐',
  '👨‍👩‍👧‍👦',
  '🏳️‍🌈',
  'e\u0301',
  'Ｔｅｓｔ',
  'ＡＢＣＤＥＦ',
  '傻逼',
  'f u c k',
  'ǅ',
  'İ',
  'ß',
  'ﬃ',
  '\u0130\u0131',
  '中文标题',
  '内蒙古民族团结进步',
  '::title::{=a ~b}',
  '{#1..2}',
  '$CATEGORY: x',
  'A'.repeat(6),
  'ABCDEF',
  'abcdef',
  'ZZZZZZ',
  'aaaaaaaa',
  'own-0000',
  'a@b.c',
  'teacher@school.example',
  'TEACHER@SCHOOL.EXAMPLE',
  ' teacher@school.example ',
  'correct horse battery',
];

/** Lengths at and around the limits the API checks (nicknames 20/200, titles 80/120, text 50 000, bodies 16 KB/256 KB). */
const BOUNDARY_LENGTHS = [
  1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 19, 20, 21, 32, 33, 40, 41, 63, 64, 65, 79, 80, 81, 99, 100, 101, 119, 120,
  121, 128, 129, 199, 200, 201, 299, 300, 301, 599, 600, 601, 999, 1000, 1001, 5462, 8192, 8193, 16_384, 49_999, 50_000,
  50_001, 87_382, 100_000, 262_144, 300_000,
];

/** A string of a length at a limit, made of ASCII, CJK (3 UTF-8 bytes), emoji (surrogate pairs) or lone surrogates. */
export const boundaryString = fc
  .tuple(
    fc.constantFrom(...BOUNDARY_LENGTHS),
    fc.constantFrom('a', 'A1', '中', '😀', '\ud800', ' ', 'é', '\u0000', 'x\u200b'),
    fc.boolean(),
  )
  .map(([n, piece, trim]) => {
    const s = piece.repeat(Math.ceil(n / piece.length)).slice(0, n);
    return trim ? ` ${s} ` : s;
  });

/** Arbitrary strings: unicode of every kind, special words, limit lengths. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  {
    weight: 2,
    arbitrary: fc.string({
      unit: fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }), weirdChar),
      maxLength: 30,
    }),
  },
  { weight: 4, arbitrary: fc.constantFrom(...SPECIAL_STRINGS) },
  { weight: 1, arbitrary: boundaryString },
);

/** Numbers JSON can carry, and number tokens it parses to what JSON.stringify cannot write (Infinity, -0, unsafe integers). */
export const nastyNumber: fc.Arbitrary<number | RawJson> = fc.oneof(
  fc.integer(),
  fc.integer({ min: -3, max: 1001 }),
  fc.double(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(
    0,
    -1,
    1,
    2,
    3,
    4,
    5,
    6,
    0.5,
    -0.5,
    1.5,
    599,
    600,
    601,
    1e308,
    -1e308,
    5e-324,
    2 ** 31,
    2 ** 32,
    2 ** 53,
    2 ** 53 + 2,
    -(2 ** 53),
    8_640_000_000_000,
    8_640_000_000_001,
    1e21,
    Date.now(),
  ),
  fc
    .constantFrom(
      '1e999',
      '-1e999',
      '1E+400',
      '-0',
      '0.0',
      '1.0',
      '5e-325',
      '123456789012345678901234567890',
      '9007199254740993',
      '-9007199254740993',
      '1e21',
      '2.5e1',
    )
    .map((t) => new RawJson(t)),
);

/** A JSON value nested `depth` deep (arrays or objects), written directly as text. */
export const deepJson = (maxDepth: number) =>
  fc.tuple(fc.integer({ min: 2, max: maxDepth }), fc.constantFrom('array', 'object', 'mixed')).map(([depth, kind]) => {
    if (kind === 'array') return new RawJson(`${'['.repeat(depth)}0${']'.repeat(depth)}`);
    if (kind === 'object') return new RawJson(`${'{"a":'.repeat(depth)}0${'}'.repeat(depth)}`);
    return new RawJson(`${'[{"a":'.repeat(depth)}0${'}]'.repeat(depth)}`);
  });

const nastyKey = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    '',
    ' ',
    'type',
    'id',
    'toString',
    '0',
    'a.b',
    '\u0000',
    '中文',
  ),
);

/** Any scalar. */
export const nastyScalar: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: nastyString },
  { weight: 3, arbitrary: nastyNumber },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
);

/** Any JSON value: scalars, small containers, fast-check's JSON values (unicode), deep nesting. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: nastyScalar },
  { weight: 1, arbitrary: fc.constantFrom([], {}, [null], [''], { '': '' }) },
  { weight: 1, arbitrary: fc.array(nastyScalar, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(nastyKey, nastyScalar, { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3, stringUnit: 'grapheme' }) },
  { weight: 1, arbitrary: deepJson(1500) },
);

const ABSENT = Symbol('absent');

/** A value of the same kind as `v` (strings for strings …), or anything. */
function nastyLike(v: unknown): fc.Arbitrary<unknown> {
  if (typeof v === 'string')
    return fc.oneof({ weight: 3, arbitrary: nastyString }, { weight: 1, arbitrary: nastyValue });
  if (typeof v === 'number')
    return fc.oneof({ weight: 3, arbitrary: nastyNumber }, { weight: 1, arbitrary: nastyValue });
  if (typeof v === 'boolean') return fc.oneof(fc.boolean(), nastyValue);
  return nastyValue;
}

/**
 * Variations of a valid example: every field (to `depth` levels) kept, mutated, replaced by a
 * nasty value of its kind or of any kind, or dropped; arrays shortened, lengthened, repeated;
 * unknown keys added. Mostly a field or two change, so validation gets past the others.
 */
export function mutate(valid: unknown, depth = 3): fc.Arbitrary<unknown> {
  if (depth <= 0 || valid === null || typeof valid !== 'object' || valid instanceof Ref || valid instanceof RawJson)
    return fc.oneof({ weight: 5, arbitrary: fc.constant(valid) }, { weight: 2, arbitrary: nastyLike(valid) });
  if (Array.isArray(valid)) {
    const item = valid.length ? fc.oneof(...valid.map((v) => mutate(v, depth - 1))) : nastyValue;
    return fc.oneof(
      { weight: 4, arbitrary: fc.tuple(...valid.map((v) => mutate(v, depth - 1))) },
      { weight: 1, arbitrary: fc.array(item, { maxLength: Math.max(4, valid.length + 3) }) },
      { weight: 1, arbitrary: fc.constant(valid.length ? [...valid, ...valid] : [null]) },
      {
        weight: 1,
        arbitrary: fc.constant(Array.from({ length: 250 }, (_, i) => valid[i % Math.max(1, valid.length)] ?? i)),
      },
      { weight: 1, arbitrary: nastyValue },
    );
  }
  const entries = Object.entries(valid as Record<string, unknown>);
  const fields = entries.map(([k, v]) =>
    fc
      .oneof({ weight: 8, arbitrary: mutate(v, depth - 1) }, { weight: 1, arbitrary: fc.constant<unknown>(ABSENT) })
      .map((x) => [k, x] as const),
  );
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(fc.tuple(...fields), fc.option(fc.tuple(nastyKey, nastyValue), { freq: 6 }))
        .map(([kv, extra]) => {
          const out: Record<string, unknown> = {};
          for (const [k, v] of kv)
            if (v !== ABSENT)
              Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
          if (extra)
            Object.defineProperty(out, extra[0], {
              value: extra[1],
              enumerable: true,
              writable: true,
              configurable: true,
            });
          return out;
        }),
    },
    { weight: 1, arbitrary: nastyValue },
  );
}

// ---------------------------------------------------------------------------------------------
// Bodies, headers, paths, queries
// ---------------------------------------------------------------------------------------------

/** What a case sends as its body. */
export type Body =
  | { kind: 'none' }
  /** JSON text of `value`; `stream`: sent as a stream of chunks, without a Content-Length. */
  | { kind: 'json'; value: unknown; stream?: boolean }
  | { kind: 'text'; text: string; stream?: boolean }
  | { kind: 'bytes'; bytes: Uint8Array };

/** `text` as a request body stream of a few chunks (no Content-Length: the body limit has to count). */
export function streamOf(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  const size = Math.max(1, Math.ceil(bytes.length / 3));
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

/** Text that is not JSON, or almost. */
const rawText = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constantFrom(
    '{',
    '}',
    '[',
    '{"a":',
    '{"a" 1}',
    "{'a': 1}",
    '{"a":1,}',
    '[1,2',
    '\ufeff{}',
    'NaN',
    'Infinity',
    '-',
    'undefined',
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    '{"title":"a","title":5}',
    '\u0000',
    '   ',
    '\n{}\n',
    '{}{}',
    '""',
    '"\\ud800"',
    '"\\u0000"',
    '1 2',
    'a=1&b=2',
    '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--',
  ),
  fc.tuple(fc.jsonValue({ maxDepth: 3 }), fc.nat()).map(([v, n]) => {
    const t = JSON.stringify(v);
    return t.slice(0, n % Math.max(1, t.length));
  }),
);

/**
 * Bodies for a route whose valid bodies look like `examples`: mutated examples, the examples
 * themselves, arbitrary JSON, non-JSON text, random bytes, nothing.
 */
export function bodyArb(examples: unknown[]): fc.Arbitrary<Body> {
  const json = (a: fc.Arbitrary<unknown>) => a.map((value): Body => ({ kind: 'json', value }));
  const options: fc.WeightedArbitrary<Body>[] = [
    { weight: 2, arbitrary: json(fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' })) },
    { weight: 1, arbitrary: json(nastyValue) },
    { weight: 2, arbitrary: rawText.map((text): Body => ({ kind: 'text', text })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 100 }).map((bytes): Body => ({ kind: 'bytes', bytes })) },
    { weight: 1, arbitrary: fc.constant<Body>({ kind: 'none' }) },
  ];
  options.push({ weight: 1, arbitrary: boundaryString.map((text): Body => ({ kind: 'text', text, stream: true })) });
  if (examples.length) {
    const mutated = fc.oneof(...examples.map((e) => mutate(e)));
    options.push({ weight: 12, arbitrary: json(mutated) });
    options.push({ weight: 2, arbitrary: json(fc.constantFrom(...examples)) });
    options.push({ weight: 1, arbitrary: mutated.map((value): Body => ({ kind: 'json', value, stream: true })) });
  }
  return fc.oneof(...options);
}

/** Content-Type: mostly JSON, sometimes another type, a wrong charset, garbage, or none. */
export const contentTypeArb: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 12, arbitrary: fc.constant('application/json') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'application/vnd.api+json',
      'application/json; charset=latin1',
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'multipart/form-data',
      'application/octet-stream',
      'text/csv',
      '*/*',
      'json',
      ';',
      'application/json, text/plain',
    ),
  },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

/**
 * A header value, often empty or odd: printable ASCII and tabs (no NUL/CR/LF, which the Fetch API
 * refuses; workerd accepts other non-ASCII values but prints a warning for each, so they are left out).
 */
export const headerValue = fc.oneof(
  fc.string({
    unit: fc.oneof(
      fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
      fc.constant('\t'),
    ),
    maxLength: 60,
  }),
  fc.constantFrom('', ' ', '\t', 'null', 'undefined', '%00', '%FF%FE', '=;,', '"', '\\', 'a'.repeat(4000)),
);

/** An IPv4/IPv6 address per case, so that per-address limits do not carry over between cases. */
export const ipArb = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.')) },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.nat(0xffff), { minLength: 8, maxLength: 8 })
      .map((p) => p.map((x) => x.toString(16)).join(':')),
  },
  { weight: 1, arbitrary: headerValue },
);

/** `s` with lone surrogates replaced, so that `encodeURIComponent` accepts it. */
const wellFormed = (s: string) =>
  s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

/** Path segments: arbitrary strings URL-encoded, raw escapes (broken ones too), dot segments, ids of the right shape that exist nowhere. */
export const nastySegment: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: nastyString.filter((s) => s.length < 3000).map((s) => encodeURIComponent(wellFormed(s))) },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{8,32}$/) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Z2-9]{6}$/) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '%',
      '%%',
      '%zz',
      '%0',
      '%00',
      '%2F',
      '%2f..%2f',
      '%ED%A0%80',
      '%C0%AF',
      '%FF%FE',
      '%E4%B8',
      '..',
      '.',
      '%2e%2e',
      ';',
      ';a=b',
      '%3F',
      '%23',
      '*',
      '~',
      "'",
      '%22',
      '%5C',
      '%0A',
      '%0D%0A',
      'a%20b',
      '+',
      'undefined',
      'null',
      '[object%20Object]',
    ),
  },
);

/** A path parameter: mostly one of `refs` (real ids), else a nasty segment. */
export const paramArb = (...refs: (Ref | fc.Arbitrary<Ref>)[]): fc.Arbitrary<string | Ref> =>
  fc.oneof(
    { weight: 5, arbitrary: fc.oneof(...refs.map((r) => (r instanceof Ref ? fc.constant(r) : r))) },
    { weight: 3, arbitrary: nastySegment },
  );

/** A query string over `keys` (whose values are drawn from the given arbitraries or nasty strings), plus junk. */
export function queryArb(
  keys: Record<string, fc.Arbitrary<string | Ref>> = {},
): fc.Arbitrary<(readonly [string, string | Ref])[] | string> {
  const names = Object.keys(keys);
  const value = (k: string): fc.Arbitrary<string | Ref> =>
    fc.oneof(
      { weight: 3, arbitrary: keys[k] ?? nastyString },
      { weight: 2, arbitrary: nastyString },
      {
        weight: 1,
        arbitrary: fc.constantFrom('NaN', '1e400', '-1', '0', '1.5', '0x10', ' 5', '5abc', 'Infinity', '', '[]'),
      },
    );
  const pair = names.length
    ? fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...names).chain((k) => value(k).map((v) => [k, v] as const)) },
        { weight: 1, arbitrary: fc.tuple(nastyString, nastyString) },
      )
    : fc.tuple(nastyString, nastyString);
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant([] as (readonly [string, string | Ref])[]) },
    { weight: 6, arbitrary: fc.array(pair, { maxLength: 5 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '&&&',
        '=',
        '==&=',
        '%',
        '%zz=%zz',
        'a=%ED%A0%80',
        '?',
        '#',
        'a[]=1&a[]=2',
        'limit=1&limit=2',
        ';;',
        'key&token',
      ),
    },
  );
}

/** Encodes query pairs (resolved) or passes a raw query through. */
export function encodeQuery(q: (readonly [string, string])[] | string): string {
  if (typeof q === 'string') return q ? `?${q}` : '';
  if (!q.length) return '';
  return `?${q.map(([k, v]) => `${encodeURIComponent(wellFormed(k))}=${encodeURIComponent(wellFormed(v))}`).join('&')}`;
}

// ---------------------------------------------------------------------------------------------
// Transport and checks
// ---------------------------------------------------------------------------------------------

/** A request as a fuzz case sends it. */
export interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** Send `body` (a string) as a stream. */
  stream?: boolean;
}

/** What the Worker answered. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
  webSocket: WebSocket | null;
}

export const ORIGIN = 'http://quiz.test';

/** One request to the Worker's fetch handler with the real bindings (see the module comment for why not `exports.default.fetch`). */
export async function dispatch(req: Sent): Promise<Response> {
  const body = req.stream && typeof req.body === 'string' ? streamOf(req.body) : (req.body ?? null);
  const request = new Request(`${ORIGIN}${req.path}`, { method: req.method, headers: req.headers, body });
  const ctx = createExecutionContext();
  let res: Response;
  try {
    res = await worker.fetch(request, env, ctx);
  } catch (err) {
    throw new Error(
      `CRASH: the Worker threw instead of answering ${describe(req)}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
  }
  await waitOnExecutionContext(ctx);
  return res;
}

/** A short description of a request for failure messages. */
export function describe(req: Sent): string {
  const body =
    req.body === undefined
      ? ''
      : typeof req.body === 'string'
        ? ` body=${JSON.stringify(req.body.length > 300 ? `${req.body.slice(0, 300)}…(${req.body.length} chars)` : req.body)}`
        : ` body=<${req.body.length} bytes>`;
  const headers = Object.entries(req.headers)
    .map(([k, v]) => `${k}: ${v.length > 80 ? `${v.slice(0, 80)}…` : v}`)
    .join('; ');
  return `${req.method} ${req.path.length > 300 ? `${req.path.slice(0, 300)}…` : req.path} [${headers}]${body}${req.stream ? ' (streamed)' : ''}`;
}

/** What a route may answer with on success. */
export type Produces = 'json' | 'csv' | 'text' | 'ws' | 'image';

/**
 * Sends `req` and checks the answer: never 5xx (nor a crash), every 4xx a JSON body
 * `{ error: { code, message } }` and nothing else, every 2xx JSON (or the route's CSV/text
 * export, or an empty 204), a 101 only where a WebSocket may be opened (it is closed again).
 */
export async function sendAndCheck(req: Sent, produces: readonly Produces[] = ['json']): Promise<Answer> {
  const res = await dispatch(req);
  const text = req.method === 'HEAD' ? '' : await res.text();
  const what = () =>
    `${describe(req)}\n  → ${res.status} ${res.headers.get('Content-Type') ?? '(no Content-Type)'}: ${text.length > 500 ? `${text.slice(0, 500)}…` : text}`;
  const fail = (why: string): never => {
    throw new Error(`${why}\n  ${what()}`);
  };
  if (res.status >= 500) fail(`5xx answer`);
  const type = res.headers.get('Content-Type') ?? '';
  let json: unknown = null;
  const parse = () => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return fail('body is not JSON');
    }
  };
  if (res.status === 101) {
    if (!produces.includes('ws') || !res.webSocket) fail('unexpected 101');
    res.webSocket!.accept();
    res.webSocket!.close(1000, 'fuzz');
  } else if (res.status >= 400) {
    if (!type.includes('application/json')) fail('error without a JSON Content-Type');
    if (req.method !== 'HEAD') {
      json = parse();
      const body = json as { error?: { code?: unknown; message?: unknown; fields?: unknown } } | null;
      const ok =
        body !== null &&
        typeof body === 'object' &&
        !Array.isArray(body) &&
        Object.keys(body).length === 1 &&
        typeof body.error === 'object' &&
        body.error !== null &&
        typeof body.error.code === 'string' &&
        typeof body.error.message === 'string' &&
        body.error.message.length > 0;
      if (!ok) fail('error body is not { error: { code, message } }');
      // Every code has a text in both languages in the web app only if it is in the contract's list.
      const { code, fields } = body!.error!;
      if (!(ERROR_CODES as readonly string[]).includes(code as string))
        fail(`error code ${String(code)} is not in the contract`);
      if (fields !== undefined && !(Array.isArray(fields) && fields.every(isFieldIssue)))
        fail('error fields are not [{ path, problem }]');
    }
  } else if (res.status >= 200 && res.status < 300) {
    if (res.status === 204) {
      if (text !== '') fail('204 with a body');
    } else if (type.includes('application/json')) {
      if (req.method !== 'HEAD') json = parse();
    } else if (type.startsWith('text/csv')) {
      if (!produces.includes('csv')) fail('unexpected CSV');
    } else if (type.startsWith('text/plain')) {
      if (!produces.includes('text')) fail('unexpected text');
    } else if (type.startsWith('image/')) {
      if (!produces.includes('image')) fail('unexpected image');
    } else fail('2xx of an unexpected type');
  } else fail('unexpected status');
  return { status: res.status, headers: res.headers, text, json, webSocket: res.status === 101 ? res.webSocket : null };
}

/** Counts answers by status and error code, for the summary each property logs. */
export class Tally {
  private readonly counts = new Map<string, number>();
  add(a: Answer) {
    const code = a.status >= 400 && a.json ? ` ${(a.json as { error: { code: string } }).error.code}` : '';
    const key = `${a.status}${code}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  /** Number of answers with a status in [from, to). */
  count(from: number, to: number) {
    let n = 0;
    for (const [k, v] of this.counts) {
      const status = Number(k.split(' ')[0]);
      if (status >= from && status < to) n += v;
    }
    return n;
  }
  toString() {
    return [...this.counts]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k}×${v}`)
      .join(', ');
  }
}

/** One refused field as the contract describes it. */
const isFieldIssue = (f: unknown): boolean =>
  typeof f === 'object' &&
  f !== null &&
  typeof (f as { path?: unknown }).path === 'string' &&
  (FIELD_PROBLEMS as readonly string[]).includes((f as { problem?: unknown }).problem as string);
