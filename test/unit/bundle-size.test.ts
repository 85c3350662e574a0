/**
 * Bytes shipped: the student's entry (join → play → results) loads at most 35 KB of
 * gzipped JavaScript; teacher, builder, reports and projector code are chunks the student never
 * downloads; hashed assets are served as immutable. Fails over budget, printing the sizes.
 *
 * The web app is built here, into a temporary directory, with the project's vite.config.ts: the
 * figures are those of the sources as they are, never of a stale dist/web. (The Worker bundle's
 * budget, 200 KB gzipped, is test/unit/deploy.test.ts.)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KB, definedElements, webBytes, type WebBytes } from '../support/bytes';

/** Gzipped JavaScript a student's device downloads before it can join. */
const STUDENT_ENTRY_BUDGET = 35 * 1024;
/** Elements that belong to teachers (dashboard, builder, reports, projector), never to a student. */
const TEACHER_ONLY = /teacher|builder|report|projector|dashboard|quiz-|bank-|generate|class-page|gift|question-editor/;

const out = mkdtempSync(join(tmpdir(), 'pomegranate-bytes-'));
let bytes: WebBytes;

beforeAll(async () => {
  // What `npm run build` ships: vitest sets NODE_ENV=test, with which Vite would resolve packages'
  // development builds (lit's, with its dev-mode warnings: ≈ 4 KB gzipped more).
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: 'vite.config.ts',
      mode: 'production',
      logLevel: 'silent',
      build: { outDir: out, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  bytes = webBytes(out);
  const rows = [
    ...bytes.student.map(
      (c) => `  student  ${c.file.padEnd(36)} ${KB(c.bytes).padStart(9)} ${KB(c.gzip).padStart(9)} gz`,
    ),
    ...bytes.lazy.map((c) => `  lazy     ${c.file.padEnd(36)} ${KB(c.bytes).padStart(9)} ${KB(c.gzip).padStart(9)} gz`),
  ];
  console.log(
    `web bundle: student entry ${KB(bytes.studentGzip)} gz (budget ${KB(STUDENT_ENTRY_BUDGET)}), lazy chunks ${KB(bytes.lazyGzip)} gz\n${rows.join('\n')}`,
  );
}, 120_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('bytes shipped to a student', () => {
  it(`the student entry is at most ${KB(STUDENT_ENTRY_BUDGET)} of gzipped JavaScript`, () => {
    expect(bytes.student.length).toBeGreaterThan(0);
    const sizes = bytes.student.map((c) => `${c.file}: ${KB(c.gzip)} gz`).join(', ');
    expect(
      bytes.studentGzip,
      `student entry ${KB(bytes.studentGzip)} gz over ${KB(STUDENT_ENTRY_BUDGET)}: ${sizes}`,
    ).toBeLessThanOrEqual(STUDENT_ENTRY_BUDGET);
  });

  it('teacher, builder, reports and projector code are separate chunks the student never loads', () => {
    const read = (file: string) => readFileSync(join(out, file), 'utf8');
    const studentElements = bytes.student.flatMap((c) => definedElements(read(c.file)));
    const lazyElements = bytes.lazy.flatMap((c) => definedElements(read(c.file)));
    // The split exists: teacher elements are defined, in chunks only a dynamic import() reaches.
    expect(
      lazyElements.filter((e) => TEACHER_ONLY.test(e)).length,
      `lazy chunks define: ${lazyElements.join(', ')}`,
    ).toBeGreaterThan(0);
    expect(
      studentElements.filter((e) => TEACHER_ONLY.test(e)),
      `the student entry defines: ${studentElements.join(', ')}`,
    ).toEqual([]);
    expect(studentElements).toEqual(expect.arrayContaining(['pg-app', 'pg-join', 'pg-play']));
  });

  it('hashed assets are cached for a year as immutable; index.html is not', () => {
    const headers = readFileSync(join(out, '_headers'), 'utf8');
    const rule = /^\/assets\/\*\n((?:[ \t]+.*\n?)+)/m.exec(headers);
    expect(rule, '_headers has no /assets/* rule').not.toBeNull();
    expect(rule![1]).toMatch(/Cache-Control: public, max-age=31536000, immutable/);
    expect(headers).not.toMatch(/^\/(\*|index\.html)?\n(?:[ \t]+.*\n)*[ \t]+Cache-Control:.*immutable/m);
    // Every script is named by its content hash, so that the immutable rule is safe.
    for (const c of [...bytes.student, ...bytes.lazy]) expect(c.file).toMatch(/^assets\/[\w.-]+-[\w-]{8}\.js$/);
  });
});
