/**
 * Classroom mode (`npm run classroom`, worker/lib/classroom.ts): the API answers only at the
 * laptop's join address and on the laptop itself, and tells the pages that address; outside it
 * (the cloud, `npm start`) nothing changes.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../worker/index';
import { joinLine } from '../../worker/lib/join-line';
import { call } from './helpers';

const JOIN = 'http://192.168.1.20:8787';

/** A GET to the Worker in classroom mode, with this `Host` header. */
async function classroomGet(path: string, host: string) {
  const ctx = createExecutionContext();
  const req = new Request(`http://${host}${path}`, { headers: { Host: host } });
  const res = await worker.fetch(req, { ...env, JOIN_ORIGIN: JOIN }, ctx);
  await waitOnExecutionContext(ctx);
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('classroom mode', () => {
  it('answers at the join address and on the laptop itself', async () => {
    for (const host of ['192.168.1.20:8787', '127.0.0.1:8787', 'localhost:8787', '[::1]:8787']) {
      const res = await classroomGet('/api/join-origin', host);
      expect(res, host).toEqual({ status: 200, json: { origin: JOIN } });
    }
  });

  it('refuses a request under another name (DNS rebinding)', async () => {
    for (const host of ['evil.example:8787', 'rebind.192.168.1.20.nip.io:8787', '192.168.1.21:8787']) {
      const res = await classroomGet('/api/health', host);
      expect(res.status, host).toBe(421);
      expect((res.json.error as { code: string }).code).toBe('unknown_host');
    }
  });

  it('changes nothing outside classroom mode: any host, the page’s own origin', async () => {
    const res = await call('/api/join-origin');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ origin: null });
  });

  it('logs a join with the nickname and the count only', () => {
    expect(joinLine('5B7K2Q', 'Mei', 12)).toBe('joined  5B7K2Q  Mei  (12 in session)');
  });
});
