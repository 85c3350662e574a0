/**
 * What the scripts that start processes need of the machine: the repository root, the offline
 * environment of every wrangler command, free ports, and the process tree of a server (from /proc)
 * with its CPU time and a way to stop it. Processes are signalled by pid, never by name: other
 * people's servers run on the same machine.
 */
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep } from './util';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const OFFLINE_ENV = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  CI: '1',
};

/** A free TCP port on 127.0.0.1 (asked from the OS). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

// Processes --------------------------------------------------------------------------------------

interface Proc {
  pid: number;
  ppid: number;
  /** Process group. */
  pgrp: number;
  state: string;
  cmdline: string;
}

/** Every process of the machine, from /proc. */
function processes(): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid pgrp …; comm may contain spaces and parentheses.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ');
      out.push({ pid: Number(name), ppid: Number(rest[1]), pgrp: Number(rest[2]), state: rest[0]!, cmdline });
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

/**
 * Live (non-zombie) pids among `roots`, the members of their process groups (a root started
 * `detached` leads one), processes whose command line contains `marker`, and all their descendants.
 */
export function processTree(roots: number[], marker?: string): number[] {
  const all = processes().filter((p) => p.state !== 'Z');
  const found = new Set<number>(all.filter((p) => roots.includes(p.pid) || roots.includes(p.pgrp)).map((p) => p.pid));
  if (marker) for (const p of all) if (p.cmdline.includes(marker)) found.add(p.pid);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all)
      if (!found.has(p.pid) && found.has(p.ppid)) {
        found.add(p.pid);
        grew = true;
      }
  }
  found.delete(process.pid);
  return [...found];
}

/** Signals each pid of the tree; with SIGTERM, escalates to SIGKILL after `graceMs`. Waits until all are gone. */
export async function killTree(
  roots: number[],
  marker: string | undefined,
  signal: 'SIGTERM' | 'SIGKILL',
  graceMs = 4000,
): Promise<number[]> {
  const first = processTree(roots, marker);
  const send = (pids: number[], sig: NodeJS.Signals) => {
    for (const pid of pids)
      try {
        process.kill(pid, sig);
      } catch {
        // Already gone.
      }
  };
  send(first, signal);
  const started = Date.now();
  let escalated = signal === 'SIGKILL';
  for (;;) {
    const left = processTree(first, marker);
    if (left.length === 0) return first;
    if (!escalated && Date.now() - started > graceMs) {
      send(left, 'SIGKILL');
      escalated = true;
    }
    if (Date.now() - started > graceMs + 10_000)
      throw new Error(`processes ${left.join(', ')} survived ${signal} and SIGKILL`);
    // Processes spawned during the kill (a wrangler restarting its runtime) are caught here too.
    if (escalated) send(left, 'SIGKILL');
    await sleep(50);
  }
}

/**
 * Stops a child started `detached` (Lighthouse, a bench script in its own process) with everything
 * it started: SIGTERM, SIGKILL after `graceMs`. Warns instead of throwing when something survives,
 * as a clean-up must go on.
 */
export async function stopTree(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (!child.pid) return;
  try {
    await killTree([child.pid], undefined, 'SIGTERM', graceMs);
  } catch (err) {
    console.warn(err instanceof Error ? err.message : String(err));
  }
}

/** The name of a process (`/proc/<pid>/comm`), or '' when it is gone. */
export function commandName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** CPU time used by `pids` (utime + stime from /proc, in ms). */
export function cpuMs(pids: number[]): number {
  const hz = 100; // USER_HZ on Linux
  let ticks = 0;
  for (const p of pids) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Ended.
    }
  }
  return (ticks * 1000) / hz;
}
