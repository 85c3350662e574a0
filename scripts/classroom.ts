/**
 * `npm run classroom`: the product served from the teacher's laptop to the students' phones on the
 * school's Wi-Fi, for a classroom whose internet link is slow or down. Builds, migrates and seeds
 * the local D1 as `npm start` does (the same `npm run setup:local`), then runs `wrangler dev` on the
 * laptop's network address with the Worker told that address (`JOIN_ORIGIN`: join links and QR
 * codes show it, the API refuses other host names), and prints the join address with its QR code,
 * then one line per student who joins.
 *
 * Usage: npm run classroom [-- --host 192.168.1.20]   (PORT=8790 for another port)
 */
import { spawn, spawnSync } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { banner, joinUrl, plan, portFrom, type Plan } from './lan';
import { JOINED } from '../worker/lib/join-line';

const args = process.argv.slice(2);
const hostAt = args.indexOf('--host');
const host = hostAt >= 0 ? args[hostAt + 1] : undefined;
const port = portFrom(process.env.PORT);
if (port === null) fail(`PORT=${process.env.PORT} is not a port number.`);
const planned = plan(networkInterfaces(), host);
if ('error' in planned) fail(planned.error);
const where: Plan = planned;
const url = joinUrl(where.address, port);
const origin = url.slice(0, -1);

function fail(message: string): never {
  console.error(`npm run classroom: ${message}`);
  process.exit(1);
}

const env = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  // wrangler's local data explorer (/cdn-cgi/explorer) shows every table: not on a shared network.
  X_LOCAL_EXPLORER: 'false',
};

const setup = spawnSync('npm', ['run', 'setup:local'], { stdio: 'inherit', env });
if (setup.status !== 0) fail('building, migrating or seeding failed (see above).');

const wrangler = spawn(
  'npx',
  [
    'wrangler',
    'dev',
    '--ip',
    where.listen,
    '--port',
    String(port),
    // The debugger stays on the laptop: it can run any code in the Worker.
    '--inspector-ip',
    '127.0.0.1',
    '--var',
    `JOIN_ORIGIN:${origin}`,
    '--show-interactive-dev-session=false',
  ],
  { env, stdio: ['ignore', 'pipe', 'pipe'] },
);

// wrangler's own chatter would bury the joins: from its output only the Worker's join lines and
// errors reach the terminal; from its warnings, all but its note for developers on triggering the
// daily clean-up by hand (a localhost address and a web link that mean nothing in a classroom).
const SHOWN = /error|✘/i;
const DEVELOPER_NOTE = /Scheduled Workers are not|To manually trigger|cdn-cgi\/handler\/scheduled|cron-triggers/;
function lines(stream: NodeJS.ReadableStream, show: (line: string) => void): void {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const all = (rest + chunk).split('\n');
    rest = all.pop() ?? '';
    all.forEach(show);
  });
}
lines(wrangler.stdout, (line) => {
  if (line.startsWith(JOINED)) console.log(`  ${line}`);
  else if (SHOWN.test(line)) console.log(line);
});
lines(wrangler.stderr, (line) => {
  if (!DEVELOPER_NOTE.test(line)) console.error(line);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => wrangler.kill(signal));
wrangler.on('exit', (code) => process.exit(code ?? 0));

/** Waits until the server answers at the join address, then shows where to join. */
async function announce(): Promise<void> {
  for (let tries = 0; tries < 300; tries++) {
    try {
      const res = await fetch(`${origin}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) {
        console.log(banner(url, where).join('\n'));
        return;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  console.error(`npm run classroom: the server does not answer at ${url}; is a firewall blocking port ${port}?`);
}
void announce();
