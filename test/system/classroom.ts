/**
 * System check of `npm run classroom` on this machine: starts it for real (build, migrate, seed,
 * `wrangler dev` on a network address of this machine, not loopback), then, through that address,
 * as a phone on the school Wi-Fi would: the join page and the API answer, the Worker gives that
 * address as the join address, another host name is refused (DNS rebinding), wrangler's own
 * /cdn-cgi/ pages (its data explorer, the cron trigger) are refused, and a student's join shows as
 * one line in the terminal with the nickname only. Writes the terminal's output, as a teacher
 * sees it, to test-results/classroom-terminal.txt (scripts/terminal-shot.ts draws it).
 *
 *   npm run test:classroom [-- --host ADDR]   (PORT=8832 by default)
 *
 * The address: the given one, else this machine's first private address, else its first external
 * one (a test machine may have no private network; `--host` accepts it with a warning).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { externalIPv4, lanAddresses } from '../../scripts/lan';
import { main } from '../support/local-server';
import { killTree, OFFLINE_ENV, ROOT } from '../support/process';
import { sleep } from '../support/util';
import type { CreatedSession } from '../../worker/contract';

const args = process.argv.slice(2);
const hostAt = args.indexOf('--host');
const host =
  (hostAt >= 0 ? args[hostAt + 1] : undefined) ??
  lanAddresses(networkInterfaces())[0] ??
  externalIPv4(networkInterfaces())[0]?.address;
const port = Number(process.env.PORT ?? 8832);

/** The status of a GET sent with this `Host` header (fetch() always sends the URL's own). */
function statusWithHost(url: string, hostHeader: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { Host: hostHeader } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Fails with `what` unless `ok`. */
function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`classroom check failed: ${what}`);
  console.log(`  ok  ${what}`);
}

main('classroom check', 300_000, async () => {
  if (!host) throw new Error('this machine has no network address other than loopback: nothing to check');
  const output: string[] = [];
  const child = spawn('npx', ['tsx', 'scripts/classroom.ts', '--host', host], {
    cwd: ROOT,
    env: { ...OFFLINE_ENV, PORT: String(port) },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => output.push(chunk));
  }
  const terminal = () => output.join('');
  try {
    const base = `http://${host}:${port}`;
    const started = Date.now();
    while (!terminal().includes('Students join')) {
      if (child.exitCode !== null) throw new Error(`npm run classroom exited:\n${terminal()}`);
      if (Date.now() - started > 240_000) throw new Error(`no join address after 240 s:\n${terminal()}`);
      await sleep(500);
    }
    check(terminal().includes(`${base}/`), `the terminal shows the join address ${base}/`);
    const page = await fetch(`${base}/join/ABCDEF`);
    check(page.ok && (await page.text()).includes('<pg-app>'), 'the join page opens at the network address');
    const origin = (await (await fetch(`${base}/api/join-origin`)).json()) as { origin: string };
    check(origin.origin === base, 'the Worker gives that address as the join address');
    const rebound = await statusWithHost(`${base}/api/health`, `evil.example:${port}`);
    check(rebound === 421, 'another host name is refused (421)');
    for (const path of ['/cdn-cgi/explorer', '/cdn-cgi/handler/scheduled']) {
      const res = await fetch(`${base}${path}`);
      check(res.status === 403 || res.status === 404, `${path} is not served to the network (${res.status})`);
    }
    const created = await fetch(`${base}/api/sessions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: base },
      body: JSON.stringify({ title: 'Classroom check', count: 2, timeLimitSec: 0 }),
    });
    const session = (await created.json()) as CreatedSession;
    const joined = await fetch(`${base}/api/codes/${session.code}/participants`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: base },
      body: JSON.stringify({ nickname: 'Mei' }),
    });
    check(joined.status === 201, 'a student joins through the network address');
    const line = `joined  ${session.code}  Mei  (1 in session)`;
    for (let i = 0; i < 50 && !terminal().includes(line); i++) await sleep(100);
    check(terminal().includes(line), `the terminal shows "${line}"`);
    mkdirSync(`${ROOT}/test-results`, { recursive: true });
    writeFileSync(`${ROOT}/test-results/classroom-terminal.txt`, terminal());
    return 0;
  } finally {
    if (child.pid) await killTree([child.pid], undefined, 'SIGTERM');
  }
});
