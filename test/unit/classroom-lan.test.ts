/**
 * `npm run classroom`'s choice of address (scripts/lan.ts): the laptop's private address on the
 * school network, never loopback or a public one unless the teacher names it, a clear sentence
 * without a network, and the join address and QR code printed in the terminal. Also that
 * `npm start` still listens on the laptop only, and both share the build, migrate and seed step.
 */
import { readFileSync } from 'node:fs';
import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { banner, joinUrl, lanAddresses, plan, portFrom, privateRank, terminalQr } from '../../scripts/lan';

const nic = (address: string, internal = false): NetworkInterfaceInfo => ({
  address,
  netmask: '255.255.255.0',
  family: 'IPv4',
  mac: '00:00:00:00:00:00',
  internal,
  cidr: `${address}/24`,
});
const lo = { lo: [nic('127.0.0.1', true)] };

describe('the classroom address', () => {
  it('knows the private ranges a school network uses', () => {
    expect(['192.168.1.20', '10.3.0.7', '172.16.0.1', '172.31.255.254'].map(privateRank)).toEqual([0, 1, 2, 2]);
    for (const a of ['172.32.0.1', '172.15.0.1', '8.8.8.8', '127.0.0.1', '169.254.1.1', '192.169.0.1', 'x', '1.2.3'])
      expect(privateRank(a), a).toBeNull();
  });

  it('picks the Wi-Fi address, 192.168 first, skipping loopback and IPv6', () => {
    const interfaces = {
      ...lo,
      docker0: [nic('172.17.0.1')],
      wlan0: [nic('192.168.1.20'), { ...nic('fe80::1'), family: 'IPv6', scopeid: 0 } as NetworkInterfaceInfo],
      eth0: [nic('10.0.0.5')],
    };
    expect(lanAddresses(interfaces)).toEqual(['192.168.1.20', '10.0.0.5', '172.17.0.1']);
    expect(plan(interfaces)).toEqual({
      address: '192.168.1.20',
      listen: '0.0.0.0',
      others: ['10.0.0.5', '172.17.0.1'],
      warnings: [],
    });
  });

  it('says so plainly when there is no network, or only a public one', () => {
    expect(plan(lo)).toEqual({ error: expect.stringMatching(/not connected to any network/) });
    expect(plan({ ...lo, eth0: [nic('203.0.113.9')] })).toEqual({
      error: expect.stringMatching(/no private network address .*203\.0\.113\.9.*--host/),
    });
  });

  it('takes --host only for an address of this laptop, and warns about a public one', () => {
    const interfaces = { ...lo, wlan0: [nic('192.168.1.20')], eth0: [nic('203.0.113.9')] };
    expect(plan(interfaces, '10.9.9.9')).toEqual({ error: expect.stringMatching(/not an address of this laptop/) });
    expect(plan(interfaces, '127.0.0.1')).toEqual({ error: expect.stringMatching(/phones cannot reach it/) });
    expect(plan(interfaces, 'laptop.local')).toEqual({ error: expect.stringMatching(/not an IPv4 address/) });
    // A public address elsewhere on the laptop: serve on the chosen one only, not on every interface.
    expect(plan(interfaces, '192.168.1.20')).toMatchObject({ address: '192.168.1.20', listen: '192.168.1.20' });
    const pub = plan(interfaces, '203.0.113.9');
    expect(pub).toMatchObject({ address: '203.0.113.9', listen: '203.0.113.9' });
    expect('warnings' in pub && pub.warnings[0]).toMatch(/not a private address/);
  });

  it('builds the join address and reads PORT', () => {
    expect(joinUrl('192.168.1.20', 8787)).toBe('http://192.168.1.20:8787/');
    expect(joinUrl('192.168.1.20', 80)).toBe('http://192.168.1.20/');
    expect([portFrom(undefined), portFrom(''), portFrom('8790'), portFrom('http'), portFrom('70000')]).toEqual([
      8787,
      8787,
      8790,
      null,
      null,
    ]);
  });

  it('prints the join address with a QR code a phone can scan in any terminal', () => {
    const qr = terminalQr('http://192.168.1.20:8787/', { ansi: false });
    // Two modules a line, a quiet zone of two around a 25-module code (version 2).
    expect(qr[0]).toBe(' '.repeat(29));
    expect(qr).toHaveLength(15);
    expect(qr[1]).toMatch(/^ {2}█▀▀▀▀▀█ /);
    // Dark on an explicit light background, for dark terminals.
    expect(terminalQr('http://192.168.1.20:8787/')[1]).toMatch(/^\x1b\[30;47m.*\x1b\[0m$/);
    const text = banner('http://192.168.1.20:8787/', { others: [], warnings: [] }, { ansi: false }).join('\n');
    expect(text).toContain('Students join:   http://192.168.1.20:8787/');
    expect(text).toContain('Teacher signs in: http://192.168.1.20:8787/teach/signin');
  });
});

describe('npm scripts', () => {
  const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;

  it('npm start listens on the laptop only; classroom and start share the setup', () => {
    expect(scripts.start).toMatch(/^npm run setup:local && wrangler dev --ip 127\.0\.0\.1 /);
    expect(scripts['setup:local']).toBe('npm run build && npm run db:migrate && npm run seed');
    expect(scripts.classroom).toBe('tsx scripts/classroom.ts');
    expect(readFileSync('scripts/classroom.ts', 'utf8')).toContain("spawnSync('npm', ['run', 'setup:local']");
  });
});
