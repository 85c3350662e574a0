/**
 * Draws what `npm run classroom` prints, as a teacher's terminal shows it, into
 * docs/screenshots/classroom-terminal.png (for the README): the banner from the same function the
 * command uses (scripts/lan.ts), for a typical school address, and the lines of students joining.
 * Rendered by Chromium (playwright-core, CHROMIUM_PATH or /usr/bin/chromium).
 *
 *   npx tsx scripts/terminal-shot.ts
 */
import { chromium } from 'playwright-core';
import { banner } from './lan';
import { joinLine } from '../worker/lib/join-line';

const URL_SHOWN = 'http://192.168.1.20:8787/';

/** The few escape codes the banner uses, as HTML: bold, dark on light (the QR code), reset. */
function ansiToHtml(line: string): string {
  const escaped = line.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  let open = 0;
  const html = escaped.replace(/\x1b\[([\d;]*)m/g, (_all, code: string) => {
    if (code === '0' || code === '') {
      const close = '</span>'.repeat(open);
      open = 0;
      return close;
    }
    open++;
    return code === '1' ? '<span class="b">' : '<span class="qr">';
  });
  return html + '</span>'.repeat(open);
}

const lines = [
  '$ npm run classroom',
  '',
  '> vite build … ✓ built',
  '> wrangler d1 migrations apply DB --local … done',
  'seeded 190 questions into the local D1 database',
  ...banner(URL_SHOWN, { others: [], warnings: [] }),
  `  ${joinLine('5B7K2Q', 'Mei', 1)}`,
  `  ${joinLine('5B7K2Q', '小石榴', 2)}`,
  `  ${joinLine('5B7K2Q', 'Arslan', 3)}`,
];

const page = `<!doctype html><meta charset="utf-8"><style>
  body { margin: 0; background: #1e1e1e; }
  pre { margin: 0; padding: 16px 20px; color: #d4d4d4; font: 15px/1.0 'DejaVu Sans Mono', 'Noto Sans Mono CJK SC', monospace; }
  .b { font-weight: bold; color: #fff; }
  .qr { background: #fff; color: #000; }
</style><pre>${lines.map(ansiToHtml).join('\n')}</pre>`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const tab = await browser.newPage({ viewport: { width: 860, height: 200 } });
  await tab.setContent(page);
  await tab.locator('pre').screenshot({ path: 'docs/screenshots/classroom-terminal.png' });
} finally {
  await browser.close();
}
console.log('wrote docs/screenshots/classroom-terminal.png');
