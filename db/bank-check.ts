/**
 * `npm run bank:check`: validates the bank against the article and prints its coverage.
 * Exits 1 when any check fails.
 */
import { readFileSync } from 'node:fs';
import { rawBank } from './bank';
import { checkBank } from './bank-checks';

const article = readFileSync(new URL('./source/article.zh.md', import.meta.url), 'utf8');
const report = checkBank(rawBank, article);
const table = (title: string, rows: Map<string, number>) => {
  console.log(`\n| ${title} | questions |\n|---|---:|`);
  for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
};
console.log(`${report.questions.length} questions valid of ${rawBank.length}`);
table('paragraph', report.perParagraph);
table('type', report.perType);
table('topic', report.perTopic);
console.log(`\nfigures in the article: ${report.figures.length}; used by no question: ${report.unusedFigures.join(' ') || 'none'}`);
if (report.problems.length) {
  console.error(`\n${report.problems.length} problem(s):`);
  for (const p of report.problems) console.error(`- ${p}`);
  process.exitCode = 1;
}
