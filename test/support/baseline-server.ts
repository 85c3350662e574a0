/**
 * The trivial baseline of the live benchmark: a bare Durable Object that accepts hibernatable
 * WebSockets and, on a host's `start`/`next`, sends one constant question frame (serialized once)
 * to every player socket; on a player's `answer` it sends `ack` back at once. No storage, no D1,
 * no validation. Served the two ways the product is (`wrangler dev`, or workerd through Miniflare's
 * API), it shows how much of a figure is the measuring client and the server kind rather than the
 * room's own code.
 *
 * Sockets: `GET /ws?role=host|player[&room=k]` (no tickets; one object per `room`, to stand for a
 * contest's shards). A player's socket is welcomed at once, and the hosts are told (a `player`
 * message with the count), as the live room does. `POST /api/codes/<code>/participants` is the
 * trivial join: the body read, a random token and the socket's address answered, nothing stored.
 * With it, a whole class joins the baseline exactly as it joins the game (bench/live-game.ts,
 * `joinPlayer`). `GET /health` answers `ok`.
 *
 * The same protocol is also served by a plain Node process holding everything in memory (node:http
 * and `ws`, as the in-memory quiz servers the product is compared with are built): what this
 * machine and the measuring client achieve without workerd at all.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { ownWorkerdPids } from './miniflare-server';
import { commandName, killTree, OFFLINE_ENV, processTree, ROOT } from './process';
import { sleep } from './util';

const COMPATIBILITY_DATE = '2026-04-20';

/**
 * A question frame of the size and shape the live room sends for a single-choice question from the
 * bank (a stem of a few dozen Chinese characters with its English, four options): the client parses
 * as much per frame as in the real game.
 */
export function baselineQuestion(position: number) {
  const text = (zh: string, en: string, n: number) => ({ zh: zh.repeat(n), en: en.repeat(n) });
  return {
    type: 'question',
    position,
    total: 1000,
    question: {
      id: 'q8Xf3kPq2Lr',
      type: 'single',
      stem: text('这一段话里作者想表达的主要意思是什么', 'What does the author mainly mean here? ', 3),
      options: ['oA1', 'oB2', 'oC3', 'oD4'].map((id) => ({ id, text: text('选项的文字内容', 'option text ', 2) })),
    },
    limitMs: 30_000,
    remainingMs: 30_000,
    endsAt: 1_800_000_000_000,
    serverTime: 1_800_000_000_000,
    paused: false,
  };
}

/** The baseline Worker (an ES module). The frame is the constant above; only `position` changes. */
const SCRIPT = `
import { DurableObject } from 'cloudflare:workers';
const QUESTION = ${JSON.stringify(baselineQuestion(0))};
export class Room extends DurableObject {
  position = 0;
  async fetch(request) {
    const role = new URL(request.url).searchParams.get('role') === 'host' ? 'host' : 'player';
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1], [role]);
    const playerCount = this.ctx.getWebSockets('player').length;
    pair[1].send(JSON.stringify({ type: 'welcome', playerCount, me: null }));
    if (role === 'player') {
      const joined = JSON.stringify({ type: 'player', playerCount });
      for (const host of this.ctx.getWebSockets('host')) host.send(joined);
    }
    return new Response(null, { status: 101, webSocket: pair[0] });
  }
  webSocketMessage(ws, raw) {
    const msg = JSON.parse(raw);
    if (msg.type === 'answer') return ws.send(JSON.stringify({ type: 'ack', questionId: msg.questionId, repeated: false }));
    if (msg.type !== 'start' && msg.type !== 'next') return;
    const frame = JSON.stringify({ ...QUESTION, position: this.position++ });
    for (const player of this.ctx.getWebSockets('player')) player.send(frame);
  }
  webSocketClose(ws, code, reason) {
    try { ws.close(code === 1005 || code === 1006 ? 1000 : code, reason); } catch {}
  }
}
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === '/health') return new Response('ok');
    if (request.method === 'POST' && url.pathname.startsWith('/api/codes/') && url.pathname.endsWith('/participants')) {
      const { nickname } = await request.json();
      const ticket = crypto.randomUUID();
      const live = { ticket, url: '/ws?role=player&ticket=' + ticket };
      return Response.json({ token: crypto.randomUUID(), nickname, live }, { status: 201 });
    }
    if (url.pathname !== '/ws') return new Response('not found', { status: 404 });
    return env.ROOM.get(env.ROOM.idFromName(url.searchParams.get('room') ?? 'baseline')).fetch(request);
  },
};
`;

/**
 * The baseline in Node (an ES module run by `node -e`, in its own process so that its event loop is
 * not the measuring client's): the same routes, frames and replies as {@link SCRIPT}.
 */
const NODE_SCRIPT = `
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
const { WebSocketServer } = createRequire(process.cwd() + '/')('ws');
const QUESTION = ${JSON.stringify(baselineQuestion(0))};
const hosts = new Set();
const players = new Set();
let position = 0;
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/health') return res.end('ok');
  if (req.method === 'POST' && url.pathname.startsWith('/api/codes/') && url.pathname.endsWith('/participants')) {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const { nickname } = JSON.parse(Buffer.concat(chunks).toString());
      const ticket = crypto.randomUUID();
      const live = { ticket, url: '/ws?role=player&ticket=' + ticket };
      res.writeHead(201, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ token: crypto.randomUUID(), nickname, live }));
    });
    return;
  }
  res.writeHead(404).end('not found');
});
const wss = new WebSocketServer({ server, path: '/ws' });
wss.on('connection', (ws, req) => {
  const host = new URL(req.url, 'http://x').searchParams.get('role') === 'host';
  (host ? hosts : players).add(ws);
  ws.send(JSON.stringify({ type: 'welcome', playerCount: players.size, me: null }));
  if (!host) {
    const joined = JSON.stringify({ type: 'player', playerCount: players.size });
    for (const h of hosts) h.send(joined);
  }
  ws.on('message', (raw) => {
    const msg = JSON.parse(raw.toString());
    if (msg.type === 'answer') return ws.send(JSON.stringify({ type: 'ack', questionId: msg.questionId, repeated: false }));
    if (msg.type !== 'start' && msg.type !== 'next') return;
    const frame = JSON.stringify({ ...QUESTION, position: position++ });
    for (const p of players) p.send(frame);
  });
  ws.on('close', () => (host ? hosts : players).delete(ws));
});
server.listen(Number(process.argv[1]), '127.0.0.1');
`;

const CONFIG = `name = "bcast-baseline"
main = "worker.js"
no_bundle = true
compatibility_date = "${COMPATIBILITY_DATE}"

[[durable_objects.bindings]]
name = "ROOM"
class_name = "Room"

[[migrations]]
tag = "v1"
new_sqlite_classes = ["Room"]
`;

export interface BaselineServer {
  readonly base: string;
  /** workerd processes serving it (one through Miniflare; wrangler dev runs its proxy in another). */
  workerdPids(): number[];
  stop(): Promise<void>;
}

/** Waits until `base/health` answers, or throws after `ms`. */
async function ready(base: string, ms: number, alive: () => boolean): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      if ((await fetch(`${base}/health`, { signal: AbortSignal.timeout(2000) })).ok) return;
    } catch {
      // Not listening yet.
    }
    if (!alive()) throw new Error('baseline server exited before it was ready');
    if (Date.now() > deadline) throw new Error(`baseline server did not answer on ${base}`);
    await sleep(200);
  }
}

/** As {@link ready}; a server that never answers is stopped before the error is thrown. */
async function readyOrStopped(base: string, ms: number, alive: () => boolean, stop: () => Promise<void>) {
  try {
    await ready(base, ms, alive);
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The baseline served by workerd through Miniflare's API (no proxy in front). */
export async function startMiniflareBaseline(port: number): Promise<BaselineServer> {
  const before = new Set(ownWorkerdPids());
  const mf = new Miniflare({
    host: '127.0.0.1',
    port,
    modules: true,
    script: SCRIPT,
    compatibilityDate: COMPATIBILITY_DATE,
    durableObjects: { ROOM: { className: 'Room', useSQLite: true } },
  });
  await mf.ready;
  const pids = ownWorkerdPids().filter((pid) => !before.has(pid));
  const base = `http://127.0.0.1:${port}`;
  await ready(base, 30_000, () => true);
  return { base, workerdPids: () => pids, stop: () => mf.dispose() };
}

/** The baseline in a Node process of its own, everything in memory (no workerd). */
export async function startNodeBaseline(port: number): Promise<BaselineServer> {
  let child: ChildProcess | null = spawn(process.execPath, ['--input-type=module', '-e', NODE_SCRIPT, String(port)], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  const pid = child.pid!;
  child.once('exit', () => (child = null));
  const stop = async () => {
    await killTree([pid], undefined, 'SIGTERM');
  };
  const base = `http://127.0.0.1:${port}`;
  await readyOrStopped(base, 30_000, () => child !== null, stop);
  return { base, workerdPids: () => [pid], stop };
}

/** The baseline served by `wrangler dev` (the runtime `npm start` uses), from a temporary directory. */
export async function startWranglerBaseline(port: number): Promise<BaselineServer> {
  // The script apart from the state: wrangler dev reloads the Worker when anything beside its script changes.
  const dir = mkdtempSync(join(tmpdir(), 'pomegranate-baseline-'));
  mkdirSync(join(dir, 'run'));
  mkdirSync(join(dir, 'state'));
  writeFileSync(join(dir, 'run', 'worker.js'), SCRIPT);
  writeFileSync(join(dir, 'run', 'wrangler.toml'), CONFIG);
  const args = [
    'wrangler',
    'dev',
    '--config',
    join(dir, 'run', 'wrangler.toml'),
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--persist-to',
    join(dir, 'state'),
    '--log-level',
    'warn',
    '--show-interactive-dev-session=false',
  ];
  // Its own dev registry and no config watching, as test/support/local-server.ts explains.
  const env = {
    ...OFFLINE_ENV,
    WRANGLER_REGISTRY_PATH: join(dir, 'registry'),
    WRANGLER_CI_DISABLE_CONFIG_WATCHING: 'true',
  };
  let child: ChildProcess | null = spawn('npx', args, { cwd: ROOT, env, detached: true, stdio: 'ignore' });
  const root = child.pid!;
  child.once('exit', () => (child = null));
  const stop = async () => {
    await killTree([root], dir, 'SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  const base = `http://127.0.0.1:${port}`;
  await readyOrStopped(base, 60_000, () => child !== null, stop);
  return {
    base,
    workerdPids: () => processTree([root], dir).filter((pid) => commandName(pid) === 'workerd'),
    stop,
  };
}
