/**
 * A small JSON-over-HTTP client for the system tests: keep-alive connections (node:http agent),
 * a per-request timeout that aborts on the client side, and a latency record of every request.
 */
import { Agent, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface HttpResult<T = any> {
  status: number;
  /** Parsed JSON body, or null. */
  json: T;
  text: string;
  ms: number;
}

/** A request that got no response: refused, reset, or aborted by the client's timeout. */
export class NoResponse extends Error {
  constructor(
    readonly reason: 'timeout' | 'network',
    message: string,
  ) {
    super(message);
  }
}

export interface Sample {
  /** Route label, e.g. `GET /api/play`. */
  route: string;
  /** HTTP status, or 0 when no response came. */
  status: number;
  /** From the call to the end of the response, waiting for a free connection included. */
  ms: number;
  /** From the moment the request had a connection (the time on the wire and in the server). */
  wireMs: number;
  /** Start of a 5xx body, to tell the Worker's errors (JSON) from the dev proxy's (text). */
  errorText?: string;
}

export class HttpClient {
  readonly agent: Agent;
  /** Every request's route, status and latency, in completion order. */
  readonly samples: Sample[] = [];

  constructor(
    readonly base: string,
    maxSockets = 512,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, keepAliveMsecs: 10_000 });
  }

  /**
   * Sends a request; resolves with any response (2xx or not). Rejects with {@link NoResponse}
   * when none came within `timeoutMs` (the request is aborted on this side; the server may still
   * have processed it) or the connection failed.
   */
  request<T = any>(
    method: string,
    path: string,
    opts: { body?: unknown; token?: string; timeoutMs?: number; route?: string; headers?: Record<string, string> } = {},
  ): Promise<HttpResult<T>> {
    const route = opts.route ?? `${method} ${path.replace(/\?.*$/, '')}`;
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
    const started = performance.now();
    let onWire = started;
    return new Promise<HttpResult<T>>((resolve, reject) => {
      let settled = false;
      const done = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
      };
      const req = httpRequest(`${this.base}${path}`, { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => done(() => reject(new NoResponse('network', err.message))));
        res.on('end', () =>
          done(() => {
            const ms = performance.now() - started;
            const text = Buffer.concat(chunks).toString('utf8');
            let json: any = null;
            if (String(res.headers['content-type'] ?? '').includes('application/json'))
              try {
                json = JSON.parse(text);
              } catch {
                json = null;
              }
            const status = res.statusCode ?? 0;
            this.samples.push({
              route,
              status,
              ms,
              wireMs: performance.now() - onWire,
              ...(status >= 500 ? { errorText: text.slice(0, 120) } : {}),
            });
            resolve({ status: res.statusCode ?? 0, json, text, ms });
          }),
        );
      });
      // The timeout runs from the moment the request has a connection (time spent waiting for a free
      // one in the pool does not count); a generous overall cap guards against never getting one.
      const expire = () =>
        done(() => {
          this.samples.push({ route, status: 0, ms: performance.now() - started, wireMs: performance.now() - onWire });
          reject(new NoResponse('timeout', `${route}: no response within ${opts.timeoutMs} ms (aborted)`));
          req.destroy();
        });
      let timer: ReturnType<typeof setTimeout> | undefined =
        opts.timeoutMs === undefined ? undefined : setTimeout(expire, opts.timeoutMs + 120_000);
      const arm = () => {
        onWire = performance.now();
        if (opts.timeoutMs === undefined || settled) return;
        clearTimeout(timer);
        timer = setTimeout(expire, opts.timeoutMs);
      };
      req.on('socket', (socket) => {
        if (socket.connecting) socket.once('connect', arm);
        else arm();
      });
      req.on('error', (err) =>
        done(() => {
          this.samples.push({ route, status: 0, ms: performance.now() - started, wireMs: performance.now() - onWire });
          reject(new NoResponse('network', `${route}: ${err.message}`));
        }),
      );
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  get<T = any>(path: string, opts: { token?: string; timeoutMs?: number; route?: string } = {}) {
    return this.request<T>('GET', path, opts);
  }

  post<T = any>(path: string, body: unknown, opts: { token?: string; timeoutMs?: number; route?: string } = {}) {
    return this.request<T>('POST', path, { ...opts, body });
  }

  close(): void {
    this.agent.destroy();
  }
}
