/**
 * What a browser downloads, read from a Vite build: the student's entry (the scripts index.html
 * loads, and every chunk they import statically) versus the chunks only a dynamic `import()`
 * reaches (teacher, builder, reports, projector). Sizes are gzip level 9, as an edge serves them.
 * Used by test/unit/bundle-size.test.ts (the budget) and bench/run.ts (the report).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface Chunk {
  /** Path under the build directory, e.g. `assets/index-XXXX.js`. */
  file: string;
  bytes: number;
  gzip: number;
}

export interface WebBytes {
  /** Scripts index.html loads and everything they import statically: what a student downloads. */
  student: Chunk[];
  studentGzip: number;
  /** Every other script, reached only through a dynamic `import()`. */
  lazy: Chunk[];
  lazyGzip: number;
  /** Stylesheets and other files index.html links (CSS lives in the elements here, so usually none). */
  css: Chunk[];
}

export const gzipSize = (data: Buffer | string): number => gzipSync(data, { level: 9 }).length;

/** Static imports and re-exports of a built ES module (`import … from "./x.js"`, `import "./x.js"`, `export … from`), not `import()`. */
export function staticImports(code: string): string[] {
  const out = new Set<string>();
  const re = /(?:\bimport|\bexport)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+\.m?js)["']/g;
  for (let m; (m = re.exec(code)); ) out.add(m[1]!);
  return [...out];
}

/** Reads a Vite build directory (e.g. dist/web) and splits its scripts into the student's entry and the rest. */
export function webBytes(dir: string): WebBytes {
  const indexHtml = join(dir, 'index.html');
  if (!existsSync(indexHtml)) throw new Error(`${indexHtml} is missing: run \`npm run build\` first (npm test does).`);
  const html = readFileSync(indexHtml, 'utf8');
  const chunk = (file: string): Chunk => {
    const data = readFileSync(join(dir, file));
    return { file, bytes: data.length, gzip: gzipSize(data) };
  };
  const local = (ref: string) => ref.replace(/^\//, '');

  // Scripts and module preloads named in index.html.
  const entries = [
    ...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*\brel="modulepreload"[^>]*\bhref)="([^"]+\.m?js)"/g),
  ].map((m) => local(m[1]!));
  const css = [...html.matchAll(/<link[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"/g)].map((m) => chunk(local(m[1]!)));

  // Everything those import statically, transitively.
  const student = new Set<string>();
  const visit = (file: string) => {
    if (student.has(file)) return;
    student.add(file);
    const code = readFileSync(join(dir, file), 'utf8');
    for (const ref of staticImports(code))
      visit(ref.startsWith('/') ? local(ref) : posix.join(posix.dirname(file), ref));
  };
  entries.forEach(visit);

  const assets = existsSync(join(dir, 'assets'))
    ? readdirSync(join(dir, 'assets'))
        .filter((f) => /\.m?js$/.test(f))
        .map((f) => `assets/${f}`)
    : [];
  const lazy = assets.filter((f) => !student.has(f)).map(chunk);
  const studentChunks = [...student].map(chunk);
  const sum = (chunks: Chunk[]) => chunks.reduce((n, c) => n + c.gzip, 0);
  return { student: studentChunks, studentGzip: sum(studentChunks) + sum(css), lazy, lazyGzip: sum(lazy), css };
}

/** Custom elements a module defines (`customElement('pg-x')` / `customElements.define('pg-x', …)`), from their quoted names. */
export function definedElements(code: string): string[] {
  // Element names appear quoted when defined and inside `<pg-x>` in templates; only the former count.
  return [...new Set([...code.matchAll(/(?<![<\/\w-])["'`](pg-[a-z0-9-]+)["'`]/g)].map((m) => m[1]!))];
}

export const KB = (n: number) => `${(n / 1024).toFixed(1)} KB`;
