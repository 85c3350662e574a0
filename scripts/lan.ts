/**
 * Where `npm run classroom` serves the product (./classroom.ts): which of the laptop's addresses
 * the students' phones can reach on the school's Wi-Fi, what to listen on, the join address, and
 * its QR code for the terminal. Pure functions of `os.networkInterfaces()`'s answer, so that they
 * are tested without a network (test/unit/classroom-lan.test.ts).
 */
import { generate } from 'lean-qr';
import type { NetworkInterfaceInfo } from 'node:os';

/** An IPv4 address as its four numbers, or null when it is not one. */
function octets(address: string): [number, number, number, number] | null {
  const parts = address.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return parts.map(Number) as [number, number, number, number];
}

/**
 * How good an address is for the phones: 0–2 for the private ranges a school's Wi-Fi hands out
 * (192.168/16 first, the usual home and school router, then 10/8, then 172.16/12), null for any
 * other (loopback, link-local, public).
 */
export function privateRank(address: string): number | null {
  const o = octets(address);
  if (!o) return null;
  if (o[0] === 192 && o[1] === 168) return 0;
  if (o[0] === 10) return 1;
  if (o[0] === 172 && o[1] >= 16 && o[1] <= 31) return 2;
  return null;
}

export const isLoopback = (address: string): boolean => octets(address)?.[0] === 127;

/** The interfaces' external IPv4 addresses, each with the name of its interface. */
export function externalIPv4(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): { name: string; address: string }[] {
  return Object.entries(interfaces).flatMap(([name, infos]) =>
    (infos ?? []).filter((i) => i.family === 'IPv4' && !i.internal).map((i) => ({ name, address: i.address })),
  );
}

/** The laptop's private IPv4 addresses, the most likely school-network one first. */
export function lanAddresses(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): string[] {
  return externalIPv4(interfaces)
    .map(({ address }) => ({ address, rank: privateRank(address) }))
    .filter((a): a is { address: string; rank: number } => a.rank !== null)
    .sort((a, b) => a.rank - b.rank)
    .map((a) => a.address);
}

/** Where to serve: the address the phones use, what to listen on, and warnings for the terminal. */
export interface Plan {
  /** The laptop's address the phones use. */
  address: string;
  /** What `wrangler dev --ip` listens on. */
  listen: string;
  /** The other private addresses (another network card): shown, in case the first is not the Wi-Fi. */
  others: string[];
  warnings: string[];
}

/**
 * Chooses the address from the interfaces, or checks the teacher's `--host`. Fails with a sentence
 * for the terminal when there is no network. Listens on every interface (so that the teacher's own
 * pages also open at 127.0.0.1) unless the laptop also has a public address, which would put the
 * server on the internet too: then on the chosen address only.
 */
export function plan(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>, host?: string): Plan | { error: string } {
  const external = externalIPv4(interfaces);
  const lan = lanAddresses(interfaces);
  const publicOnes = external.filter((a) => privateRank(a.address) === null);
  const warnings: string[] = [];
  let address: string;
  if (host !== undefined) {
    if (!octets(host)) return { error: `--host ${host} is not an IPv4 address (like 192.168.1.20).` };
    if (isLoopback(host))
      return { error: `--host ${host} is this laptop only: phones cannot reach it. Give its Wi-Fi address.` };
    if (!external.some((a) => a.address === host))
      return {
        error: `--host ${host} is not an address of this laptop (it has: ${external.map((a) => a.address).join(', ') || 'none'}).`,
      };
    // Some school networks hand out public addresses: the teacher's explicit choice, with a warning.
    if (privateRank(host) === null)
      warnings.push(`${host} is not a private address: anyone who can reach it on the internet can reach this server.`);
    address = host;
  } else {
    if (!lan.length)
      return {
        error: external.length
          ? `This laptop has no private network address (only ${external.map((a) => a.address).join(', ')}). ` +
            'Connect it to the school Wi-Fi, or give the address with --host.'
          : 'This laptop is not connected to any network. Connect it to the school Wi-Fi (no internet is needed) and run again.',
      };
    address = lan[0]!;
  }
  const exposed = publicOnes.length > 0;
  if (exposed)
    warnings.push(`Serving on ${address} only, not on every network of this laptop (open the pages at that address).`);
  return { address, listen: exposed ? address : '0.0.0.0', others: lan.filter((a) => a !== address), warnings };
}

/** The address students type or scan: the laptop's, with the port unless it is HTTP's own. */
export const joinUrl = (address: string, port: number): string => `http://${address}${port === 80 ? '' : `:${port}`}/`;

/** `PORT` from the environment, or 8787 as `npm start` uses; null when it is not a port number. */
export function portFrom(value: string | undefined): number | null {
  if (value === undefined || value === '') return 8787;
  const port = Number(value);
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : null;
}

/**
 * A QR code for a terminal: two modules per character (upper and lower half blocks), dark on a
 * light background set explicitly, so that it scans in a dark terminal too. `ansi: false` gives
 * the same blocks without colour codes (for a picture of the terminal, or a log).
 */
export function terminalQr(text: string, { ansi = true } = {}): string[] {
  const code = generate(text);
  const quiet = 2;
  const dark = (x: number, y: number) => (x >= 0 && y >= 0 && x < code.size && y < code.size ? code.get(x, y) : false);
  const lines: string[] = [];
  for (let y = -quiet; y < code.size + quiet; y += 2) {
    let line = '';
    for (let x = -quiet; x < code.size + quiet; x++) {
      const top = dark(x, y);
      const bottom = dark(x, y + 1);
      line += top && bottom ? '█' : top ? '▀' : bottom ? '▄' : ' ';
    }
    lines.push(ansi ? `\x1b[30;47m${line}\x1b[0m` : line);
  }
  return lines;
}

/** What the terminal shows once the server answers: where students join (address and QR code) and where the teacher signs in. */
export function banner(url: string, p: Pick<Plan, 'others' | 'warnings'>, { ansi = true } = {}): string[] {
  const bold = (s: string) => (ansi ? `\x1b[1m${s}\x1b[0m` : s);
  return [
    '',
    bold('石榴 Pomegranate — 课堂模式 / classroom, no internet needed'),
    '',
    `  学生加入 / Students join:   ${bold(url)}`,
    ...terminalQr(url, { ansi }).map((line) => `  ${line}`),
    `  教师登录 / Teacher signs in: ${url}teach/signin`,
    ...(p.others.length ? [`  本机其他地址 / Other addresses of this laptop: ${p.others.join(', ')}`] : []),
    ...p.warnings.map((w) => `  ! ${w}`),
    '',
    '  加入的学生会显示在下面 / Students who join are listed below.   Ctrl-C: 停止 / stop',
    '',
  ];
}
