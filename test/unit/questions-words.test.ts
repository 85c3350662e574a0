import { describe, expect, it } from 'vitest';
import { CLOUD_SIZE, cloud, countWords, topWords, wordsOf } from '../../worker/questions/words';

describe('wordsOf', () => {
  it('splits Chinese into words and drops stop words', () => {
    expect(wordsOf('民族团结进步')).toEqual(['民族', '团结', '进步']);
    expect(wordsOf('我们的家园')).toEqual(['家园']);
  });

  it('folds width and case, drops punctuation, stop words and single letters', () => {
    expect(wordsOf('Ｕｎｉｔｙ and the Progress, a b!', 'en')).toEqual(['unity', 'progress']);
  });

  it('counts a word once per answer', () => {
    expect(wordsOf('团结 团结 团结')).toEqual(['团结']);
    const counts = new Map<string, number>();
    countWords(counts, '团结 团结');
    countWords(counts, '团结进步');
    expect(Object.fromEntries(counts)).toEqual({ 团结: 2, 进步: 1 });
  });
});

describe('cloud', () => {
  it('counts answers per word, biggest first, without hidden answers', () => {
    const answers = [
      { key: 'a', text: '团结' },
      { key: 'b', text: '团结 进步' },
      { key: 'c', text: 'unity' },
      { key: 'd', text: '坏话' },
    ];
    expect(cloud(answers, new Set(['d']))).toEqual([
      { word: '团结', count: 2 },
      { word: 'unity', count: 1 },
      { word: '进步', count: 1 },
    ]);
  });

  it('keeps the top words only', () => {
    const counts = new Map(Array.from({ length: 100 }, (_, i) => [`w${String(i).padStart(3, '0')}`, i + 1]));
    const top = topWords(counts);
    expect(top).toHaveLength(CLOUD_SIZE);
    expect(top[0]).toEqual({ word: 'w099', count: 100 });
  });
});
