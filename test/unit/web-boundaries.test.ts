/**
 * The web app's folders are its chunks: what a student's device downloads (app/, core/, student/,
 * the shared texts) must never pull in teacher or projector code, or every phone in the class
 * pays for pages it never opens. A folder may import only the folders listed for it below; the
 * import graph is read from the sources' static `import … from` statements (a dynamic `import()`
 * is how the shell loads a chunk, so it is not an edge), and a forbidden file reached through
 * any chain of imports fails with that chain.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve('web/src');

/** Where a file belongs, by folder; the i18n files by the chunk whose texts they hold. */
type Area =
  | 'app'
  | 'core'
  | 'student'
  | 'live/shared'
  | 'live/play'
  | 'live/host'
  | 'teacher'
  | 'i18n/student'
  | 'i18n/live'
  | 'i18n/teacher';

function areaOf(file: string): Area {
  if (file.startsWith('i18n/')) {
    if (/^i18n\/live[.]/.test(file)) return 'i18n/live';
    if (/^i18n\/teacher[.]/.test(file)) return 'i18n/teacher';
    return 'i18n/student'; // the controller and the texts of the student entry
  }
  const area = /^(app|core|student|live\/(?:shared|play|host)|teacher)\//.exec(file)?.[1];
  if (!area) throw new Error(`web/src/${file} is in no chunk folder (app, core, i18n, student, live/…, teacher)`);
  return area as Area;
}

/** What each area may import (statically). Everything may import worker modules and packages. */
const STUDENT_ENTRY: Area[] = ['app', 'core', 'student', 'i18n/student'];
const ALLOWED: Record<Area, Area[]> = {
  'i18n/student': ['i18n/student'],
  'i18n/live': ['i18n/student', 'i18n/live'],
  'i18n/teacher': ['i18n/student', 'i18n/teacher'],
  core: ['core', 'i18n/student'],
  student: ['student', 'core', 'i18n/student'],
  app: STUDENT_ENTRY,
  'live/shared': ['live/shared', 'core', 'i18n/student', 'i18n/live'],
  // The student's live screen reuses the self-paced question and feedback elements.
  'live/play': ['live/play', 'live/shared', 'student', 'core', 'i18n/student', 'i18n/live'],
  'live/host': ['live/host', 'live/shared', 'core', 'i18n/student', 'i18n/live'],
  // Teacher pages name the live modes and link to the projector, using the live texts.
  teacher: ['teacher', 'live/shared', 'core', 'i18n/student', 'i18n/teacher', 'i18n/live'],
};

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? files(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );

/** Static imports and re-exports (`import … from`, `import '…'`, `export … from`), not `import()`. */
const IMPORT = /^\s*(?:import|export)\b[^;]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm;

/** The web/src files a source imports statically, as paths relative to web/src. */
function importsOf(file: string, code: string): string[] {
  const out: string[] = [];
  for (const m of code.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2]!;
    if (!spec.startsWith('.')) continue; // a package
    const target = relative(SRC, resolve(dirname(join(SRC, file)), spec));
    if (target.startsWith('..')) continue; // the worker's shared modules
    out.push(target.endsWith('.ts') ? target : `${target}.ts`);
  }
  return out;
}

const graph = new Map(
  files(SRC).map((path) => {
    const file = relative(SRC, path);
    return [file, importsOf(file, readFileSync(path, 'utf8'))] as const;
  }),
);

/** Every file `from` reaches, each with the chain of imports that leads to it. */
function reach(from: string): Map<string, string[]> {
  const chains = new Map<string, string[]>([[from, [from]]]);
  const queue = [from];
  for (let file; (file = queue.shift()); ) {
    for (const next of graph.get(file) ?? []) {
      if (chains.has(next)) continue;
      chains.set(next, [...chains.get(file)!, next]);
      queue.push(next);
    }
  }
  return chains;
}

/** "a → b → c" for each file `from` reaches that its area may not import. */
function violations(from: string): string[] {
  const allowed = ALLOWED[areaOf(from)];
  return [...reach(from)].filter(([file]) => !allowed.includes(areaOf(file))).map(([, chain]) => chain.join(' → '));
}

describe('web/src chunk boundaries', () => {
  it('reads the import graph (every import resolves to a file)', () => {
    expect(graph.size).toBeGreaterThan(50);
    const missing = [...graph].flatMap(([file, imports]) =>
      imports.filter((i) => !graph.has(i)).map((i) => `${file} → ${i}`),
    );
    expect(missing).toEqual([]);
    expect([...graph.values()].flat().length).toBeGreaterThan(200);
  });

  it('every file sits in a chunk folder', () => {
    for (const file of graph.keys()) expect(() => areaOf(file), file).not.toThrow();
  });

  for (const area of Object.keys(ALLOWED) as Area[]) {
    it(`${area} imports only ${ALLOWED[area].join(', ')}`, () => {
      const bad = [...graph.keys()].filter((f) => areaOf(f) === area).flatMap(violations);
      expect(bad, `forbidden imports:\n${bad.join('\n')}`).toEqual([]);
    });
  }

  it('the student entry (app/main.ts) reaches no teacher, live or teacher/live text file', () => {
    const reached = [...reach('app/main.ts').keys()];
    expect(reached).toContain('app/pg-app.ts');
    expect(reached.filter((f) => !STUDENT_ENTRY.includes(areaOf(f)))).toEqual([]);
  });

  it('the shell loads the teacher and live chunks with dynamic import()', () => {
    const shell = files(join(SRC, 'app'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    for (const chunk of ['teacher/', 'live/play/', 'live/host/'])
      expect(shell, `no import('…${chunk}…') in app/`).toMatch(new RegExp(`import\\(\\s*'\\.\\./${chunk}`));
  });
});
