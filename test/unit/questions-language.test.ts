/**
 * Which questions a session in English can play: not those written in Chinese only, such as a
 * generated draft of a Chinese text (its English fields repeat its Chinese).
 */
import { describe, expect, it } from 'vitest';
import type { Question } from '../../worker/contract';
import { generateDrafts } from '../../worker/generator/generate';
import { asQuestion } from '../../worker/generator/draft';
import { lacksEnglish, playableIn, untranslated } from '../../worker/questions/language';

const base = {
  id: 'q1',
  explanation: { zh: '原文。', en: 'The text.' },
  source: { own: true as const },
  topics: ['history' as const],
  difficulty: 1 as const,
};
const tf = (stem: { zh: string; en: string }): Question => ({ ...base, type: 'truefalse', stem, answer: true });

describe('questions without English', () => {
  it('is a text whose English is its Chinese', () => {
    expect(untranslated({ zh: '判断：课后服务每周开展5天。', en: '判断：课后服务每周开展5天。' })).toBe(true);
    expect(
      untranslated({ zh: '判断：课后服务每周开展5天。', en: 'True or false: after-school care runs 5 days a week.' }),
    ).toBe(false);
    // An English-only question (an English text's draft) has English.
    expect(untranslated({ zh: 'The project began in 2004.', en: 'The project began in 2004.' })).toBe(false);
    // A name in Chinese inside real English is English.
    expect(untranslated({ zh: '鄂尔多斯市', en: 'Ordos (鄂尔多斯)' })).toBe(false);
  });

  it('is left out of a session in English only, whatever part of it is untranslated', () => {
    const chinese = tf({ zh: '判断：都江堰建于公元前256年。', en: '判断：都江堰建于公元前256年。' });
    const both = tf({ zh: '判断：都江堰建于公元前256年。', en: 'True or false: Dujiangyan was built in 256 BC.' });
    expect(lacksEnglish(chinese)).toBe(true);
    expect(lacksEnglish(both)).toBe(false);
    expect(playableIn('en', chinese)).toBe(false);
    expect(playableIn('zh', chinese)).toBe(true);
    expect(playableIn('both', chinese)).toBe(true);
    expect(playableIn('en', both)).toBe(true);
    const choice: Question = {
      ...base,
      type: 'single',
      stem: { zh: '都江堰建于哪一年？', en: 'When was Dujiangyan built?' },
      options: [
        { id: 'a', text: { zh: '公元前256年', en: '256 BC' } },
        { id: 'b', text: { zh: '公元前221年', en: '公元前221年' } },
      ],
      answer: 'a',
    };
    expect(lacksEnglish(choice)).toBe(true);
  });

  it('covers every draft of a Chinese text until a teacher writes its English, and no draft of an English one', () => {
    const zh = generateDrafts('公元前256年，李冰主持修建了都江堰。宝瓶口宽约20米。前后用了8年才凿成。');
    expect(zh.length).toBeGreaterThan(0);
    for (const d of zh) expect(playableIn('en', asQuestion(d))).toBe(false);
    const en = generateDrafts(
      'The project began in 2004. Farmers planted 12 km of hedges. By 2012, nitrate fell by 40%.',
    );
    expect(en.length).toBeGreaterThan(0);
    for (const d of en) expect(playableIn('en', asQuestion(d))).toBe(true);
  });
});
