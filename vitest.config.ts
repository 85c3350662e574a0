import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import { fixPoolPrototypeProxy } from './test/support/pool-prototype-fix';

/**
 * Three projects: `unit` (pure logic and the bank checks, in Node), `worker` (the Worker in
 * workerd against a real local D1 with the migrations and the seed applied) and `browser`
 * (real Chromium against `wrangler dev`).
 */
export default defineConfig(async () => {
  fixPoolPrototypeProxy();
  const migrations = await readD1Migrations('db/migrations');
  return {
    test: {
      projects: [
        { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' } },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: './wrangler.toml' },
              miniflare: { bindings: { TEST_MIGRATIONS: migrations } },
            }),
          ],
          // Generous timeouts: whole games run through the Worker, and CI shares two cores.
          test: {
            name: 'worker',
            include: ['test/worker/**/*.test.ts'],
            setupFiles: ['test/worker/apply-migrations.ts'],
            testTimeout: 30_000,
          },
        },
        {
          test: {
            name: 'browser',
            include: ['test/browser/**/*.test.ts'],
            environment: 'node',
            globalSetup: ['test/browser/global-setup.ts'],
            testTimeout: 60_000,
            hookTimeout: 120_000,
            fileParallelism: false,
          },
        },
      ],
    },
  };
});
