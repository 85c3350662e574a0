/**
 * `npm run --silent generate:score -- FILE [--json]`: generates drafts from a text and prints the
 * quality figures: drafts in total, per kind and per section, the share well-formed, and every
 * malformed draft with its reasons (see worker/generator/score.ts for the checks, among them any
 * option pattern that gives a figure cloze's answer away), where answers sit among their sorted
 * options and how many statements are false. `--json` prints the same figures as JSON. Exits 1
 * when fewer than 95 % are well-formed, a section has no draft or the answers' ranks are biased.
 */
import { readFileSync } from 'node:fs';
import { scoreText } from '../worker/generator/score';

// `… | head` closes the pipe early; that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? 0 : 1));
const args = process.argv.slice(2);
const file = args.find((a) => a !== '--json');
if (!file) {
  console.error('usage: npm run --silent generate:score -- FILE [--json]   (FILE may be - for standard input)');
  process.exit(2);
}
const text = readFileSync(file === '-' ? 0 : file, 'utf8');
const started = performance.now();
const score = scoreText(text);
const ms = performance.now() - started;

if (args.includes('--json')) console.log(JSON.stringify(score, null, 2));
else {
  console.log(
    `${score.total} drafts from ${text.length} characters; ${score.wellFormed} well-formed (${score.wellFormedPct} %); mean confidence ${score.meanConfidence}; generated and checked in ${Math.round(ms)} ms (a first run: start-up and JIT included)`,
  );
  console.log('\n| kind | drafts |\n|---|---:|');
  for (const [kind, n] of Object.entries(score.perKind)) console.log(`| ${kind} | ${n} |`);
  console.log('\n| section | drafts |\n|---|---:|');
  for (const s of score.perSection) console.log(`| ${s.heading || '(before the first heading)'} | ${s.drafts} |`);
  if (score.uncovered.length)
    console.log(
      `\nsections without a draft: ${score.uncovered.map((h) => h || '(before the first heading)').join(' | ')}`,
    );
  console.log(
    `\nfigure clozes: answers by rank of their sorted options (smallest first): ${score.answerRanks.shares.map((x) => `${Math.round(x * 100)} %`).join(' / ') || 'none'}; ${score.answerRanks.bias ? `BIAS: ${score.answerRanks.bias}` : 'no bias'}`,
  );
  console.log(`true/false: ${score.statements.false} of ${score.statements.total} false`);
  if (score.malformed.length) {
    console.log(`\n${score.malformed.length} malformed:`);
    for (const m of score.malformed)
      console.log(`- ${m.id} (${m.kind}, ${m.heading || 'no heading'}): ${m.reasons.join('; ')}`);
  } else console.log('\nmalformed: none');
}
if (score.wellFormedPct < 95 || score.uncovered.length || score.answerRanks.bias) process.exitCode = 1;
