/** Load helpers for the bench: autocannon runs with exact percentiles, a pool, HTTP JSON calls. */
import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';

export interface Stats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Exact percentiles (nearest rank) of a list of milliseconds. */
export function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    n: sorted.length,
    p50: round(at(50)),
    p95: round(at(95)),
    p99: round(at(99)),
    max: round(sorted[sorted.length - 1] ?? NaN),
    mean: round(sorted.reduce((s, x) => s + x, 0) / (sorted.length || 1)),
  };
}

export interface LoadResult {
  /** Completed responses per second over the run. */
  rps: number;
  /** Latency of every response, ms. */
  latencyMs: Stats;
  requests: number;
  durationS: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** Responses whose status was not 2xx. */
  non2xx: number;
  statusCodes: Record<string, number>;
}

export interface LoadOptions {
  base: string;
  connections: number;
  /** Seconds; or a fixed number of requests with `amount`. */
  duration?: number;
  amount?: number;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Called before each request: returns its headers and body (e.g. the next student's token). */
  next?: () => { headers?: Record<string, string>; body?: string; path?: string };
}

/** One autocannon run; every response time is kept so that p95 is exact (autocannon reports no p95). */
export function load(o: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const times: number[] = [];
    const started = performance.now();
    const instance = autocannon(
      {
        url: o.base,
        connections: o.connections,
        ...(o.amount ? { amount: o.amount } : { duration: o.duration ?? 10 }),
        timeout: 30,
        requests: [
          {
            method: o.method ?? 'GET',
            path: o.path,
            headers: o.headers ?? {},
            ...(o.body ? { body: o.body } : {}),
            ...(o.next
              ? {
                  setupRequest: (req) => {
                    const n = o.next!();
                    return { ...req, path: n.path ?? req.path, headers: { ...req.headers, ...n.headers }, ...(n.body ? { body: n.body } : {}) };
                  },
                }
              : {}),
          },
        ],
      },
      (err, result) => {
        if (err) return reject(err);
        const durationS = (performance.now() - started) / 1000;
        const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [code, Number(count)]));
        resolve({
          rps: Math.round((times.length / durationS) * 10) / 10,
          latencyMs: stats(times),
          requests: times.length,
          durationS: Math.round(durationS * 100) / 100,
          errors: result.errors,
          non2xx: result.non2xx,
          statusCodes,
        });
      },
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => times.push(responseTime));
  });
}

/** Runs `task` over `items` with at most `limit` in flight. */
export async function pool<T, R>(items: T[], limit: number, task: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await task(items[i]!, i);
      }
    }),
  );
  return out;
}

/** A JSON request; throws with the status and body when it is not 2xx. */
export async function api<T>(base: string, path: string, init: { body?: unknown; token?: string; method?: string } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? (init.body === undefined ? 'GET' : 'POST')} ${path} → ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** A student's question as the API sends it (the fields a response needs). */
export interface StudentQuestion {
  id: string;
  type: string;
  options?: { id: string }[];
  targets?: { id: string }[];
}

/** A well-formed (not necessarily right) response to a question as a student sees it. */
export function anyResponse(q: StudentQuestion): unknown {
  const ids = (q.options ?? []).map((o) => o.id);
  const pick = () => ids[Math.floor(Math.random() * ids.length)]!;
  switch (q.type) {
    case 'single':
      return { optionId: pick() };
    case 'multi':
      return { optionIds: ids.slice(0, 2) };
    case 'truefalse':
      return { value: Math.random() < 0.5 };
    case 'numeric':
      return { value: Math.round(Math.random() * 100) };
    case 'ordering':
      return { order: [...ids].sort(() => Math.random() - 0.5) };
    case 'matching': {
      const targets = (q.targets ?? []).map((t) => t.id);
      return { pairs: Object.fromEntries(ids.map((id, i) => [id, targets[i % targets.length]!])) };
    }
    default:
      return { text: 'answer' };
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
