import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';

const out = mkdtempSync(join(tmpdir(), 'pomegranate-deploy-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('`wrangler deploy --dry-run`', () => {
  it('bundles the Worker offline, small enough to deploy', () => {
    execFileSync('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', out], {
      stdio: 'pipe',
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
    });
    const bundle = readdirSync(out).find((f) => f.endsWith('.js'));
    expect(bundle).toBeDefined();
    const gzipped = gzipSync(readFileSync(join(out, bundle!))).length;
    console.log(`worker bundle: ${(gzipped / 1024).toFixed(1)} KB gzipped`);
    expect(gzipped).toBeLessThan(200 * 1024);
  }, 60_000);
});
