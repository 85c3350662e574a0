/**
 * `npm run bank:check`: validates the bank against the article and prints its coverage and how
 * evenly answers are spread over positions and ids. Exits 1 when any check fails.
 */
import { readFileSync } from 'node:fs';
import { glossary, rawBank, relationsFile } from './bank';
import { checkBank } from './bank-checks';

const article = readFileSync(new URL('./source/article.zh.md', import.meta.url), 'utf8');
const report = checkBank(rawBank, article, glossary, relationsFile);
const table = (title: string, rows: Map<string, number>) => {
  console.log(`\n| ${title} | questions |\n|---|---:|`);
  for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
};
console.log(`${report.questions.length} questions valid of ${rawBank.length}`);
table('paragraph', report.perParagraph);
table('type', report.perType);
table('topic', report.perTopic);
console.log('\n| answer balance | questions | counted | by shown position | most common by id | limit |');
console.log('|---|---:|---|---|---|---|');
for (const b of report.balance)
  console.log(`| ${b.group} | ${b.questions} | ${b.counted} | ${b.byPosition} | ${b.topById} | ${b.limit} |`);
console.log(
  `\nglossary: ${glossary.length} names; relations: ${relationsFile.gives.length} gives, ${relationsFile.same.length} same groups`,
);
console.log(
  `\nfigures in the article: ${report.figures.length}; used by no question: ${report.unusedFigures.join(' ') || 'none'}`,
);
if (report.problems.length) {
  console.error(`\n${report.problems.length} problem(s):`);
  for (const p of report.problems) console.error(`- ${p}`);
  process.exitCode = 1;
}
