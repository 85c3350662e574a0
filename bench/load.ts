/** Load helpers for the bench: autocannon runs with exact percentiles, HTTP JSON calls. */
import autocannon from 'autocannon';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { stats, type Stats } from '../test/support/stats';

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
  /** Called with each response's status and body (e.g. to keep the tokens of joins). */
  onResponse?: (status: number, body: string) => void;
}

/** One autocannon run; every response time is kept so that p95 is exact (autocannon reports no p95). */
export function load(o: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const times: number[] = [];
    const started = performance.now();
    // autocannon notices the end of a fixed amount only at its next one-second tick: the run's
    // duration is until the last response, not until autocannon returns.
    let lastResponse = started;
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
                    return {
                      ...req,
                      path: n.path ?? req.path,
                      headers: { ...req.headers, ...n.headers },
                      ...(n.body ? { body: n.body } : {}),
                    };
                  },
                }
              : {}),
            ...(o.onResponse ? { onResponse: (status: number, body: string) => o.onResponse!(status, body) } : {}),
          },
        ],
      },
      (err, result) => {
        if (err) return reject(err);
        const durationS = ((o.amount ? lastResponse : performance.now()) - started) / 1000;
        const statusCodes = Object.fromEntries(
          Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [code, Number(count)]),
        );
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
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
      times.push(responseTime);
      lastResponse = performance.now();
    });
  });
}

/** Keeps the join burst's connections open between requests, as a browser does. */
const joinAgent = new Agent({ keepAlive: true, maxSockets: 1000 });

/**
 * A JSON POST through node:http rather than `fetch`: undici's fetch costs this process ≈ 1.7 ms of
 * CPU a request (measured), as much as the server spends on a trivial route, and the join burst
 * sends hundreds at once from the process that also drives every socket.
 */
export function postJson<T>(
  base: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const text = JSON.stringify(body);
  return new Promise<T>((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      {
        method: 'POST',
        agent: joinAgent,
        headers: { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const reply = Buffer.concat(chunks).toString();
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) reject(new Error(`POST ${path} → ${status} ${reply.slice(0, 300)}`));
          else resolve(JSON.parse(reply) as T);
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

/** A JSON request; throws with the status and body when it is not 2xx. */
export async function api<T>(
  base: string,
  path: string,
  init: { body?: unknown; token?: string; method?: string; headers?: Record<string, string> } = {},
): Promise<T> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  if (!res.ok)
    throw new Error(
      `${init.method ?? (init.body === undefined ? 'GET' : 'POST')} ${path} → ${res.status} ${text.slice(0, 300)}`,
    );
  return JSON.parse(text) as T;
}
