import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin, type Rolldown } from 'vite';

type OutputChunk = Rolldown.OutputChunk;

/**
 * Emits `sw.js` (web/sw.js) with the build's id and the files a student's pages need: the entry
 * and the live game's phone screen, with what they import. The id is a hash of every output
 * file's name, which Vite derives from the content, so any change makes a new service worker
 * (and a new cache) and an unchanged build the same one.
 */
function serviceWorker(): Plugin {
  return {
    name: 'service-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((f): f is OutputChunk => f.type === 'chunk');
      const roots = chunks.filter((c) => c.isEntry || c.facadeModuleId?.endsWith('/live/play/pg-live-play.ts'));
      const shell = new Set<string>();
      const visit = (chunk: OutputChunk | undefined) => {
        if (!chunk || shell.has(chunk.fileName)) return;
        shell.add(chunk.fileName);
        for (const css of chunk.viteMetadata?.importedCss ?? []) shell.add(css);
        for (const file of chunk.imports) visit(bundle[file] as OutputChunk | undefined);
      };
      roots.forEach(visit);
      const build = createHash('sha256').update(Object.keys(bundle).sort().join('\n')).digest('hex').slice(0, 16);
      const source = readFileSync('web/sw.js', 'utf8')
        .replace("'__BUILD__'", JSON.stringify(build))
        .replace("['__SHELL__']", JSON.stringify([...shell].sort().map((f) => `/${f}`)));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}

/** The web app: Lit elements built into the Worker's static assets directory. */
export default defineConfig({
  root: 'web',
  publicDir: 'public',
  plugins: [serviceWorker()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
  },
  server: {
    // `npm run dev:web` proxies the API to a running `wrangler dev`.
    proxy: { '/api': { target: 'http://127.0.0.1:8787', ws: true } },
  },
});
