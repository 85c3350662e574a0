/**
 * Starts the product for the browser tests with the shared launcher (test/support/local-server.ts:
 * migrations, seed, `wrangler dev` serving the deploy bundle and a copy of dist/web), on its own
 * port and its own local state, and stops it afterwards. Fails with one clear line when Chromium
 * or the web build is missing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startServer } from '../support/local-server';
import { ROOT } from '../support/process';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PORT = Number(process.env.BROWSER_TEST_PORT ?? 8788);
/** workerd's inspector port; wrangler picks one itself unless told (to keep a run within a range of ports). */
const INSPECTOR_PORT = process.env.BROWSER_TEST_INSPECTOR_PORT
  ? Number(process.env.BROWSER_TEST_INSPECTOR_PORT)
  : undefined;

export default async function setup(project: TestProject) {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH).`,
    );
  if (!existsSync(join(ROOT, 'dist/web/index.html')))
    throw new Error('dist/web is missing: run `npm run build` first (npm test does).');
  const server = await startServer({ label: 'browser', port: PORT, inspectorPort: INSPECTOR_PORT, verbose: true });
  project.provide('baseUrl', server.base);
  project.provide('chromium', CHROMIUM);
  project.provide('webDir', server.webDir);
  return () => server.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    chromium: string;
    /** The copy of the web app the server serves (a test may put a new build's file there). */
    webDir: string;
  }
}
