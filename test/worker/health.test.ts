import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

describe('GET /api/health', () => {
  it('answers ok', async () => {
    const res = await exports.default.fetch('http://x/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });
});

describe('security headers', () => {
  it('are on every API response, errors included', async () => {
    for (const path of ['/api/health', '/api/nothing', '/api/codes/ZZZZZZ']) {
      const res = await exports.default.fetch(`http://x${path}`, { headers: { 'CF-Connecting-IP': '192.0.2.44' } });
      expect(res.headers.get('Content-Security-Policy')).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
      expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
      expect(res.headers.get('X-Frame-Options')).toBe('SAMEORIGIN');
    }
  });
});
