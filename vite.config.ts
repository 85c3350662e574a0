import { defineConfig } from 'vite';

/** The web app: Lit elements built into the Worker's static assets directory. */
export default defineConfig({
  root: 'web',
  publicDir: 'public',
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
