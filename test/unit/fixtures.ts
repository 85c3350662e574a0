/** Small hand-made questions for the unit tests: the fields every question has, and options named by id. */

/** Everything a bank question needs besides its id, type, options and answer. */
export const base = {
  stem: { zh: '题', en: 'Q' },
  explanation: { zh: '因为', en: 'Because' },
  source: { section: 'intro' as const, quote: '引文引文', quoteEn: 'A quote.' },
  topics: ['history' as const],
  difficulty: 1 as const,
};

/** Options whose texts are their ids. */
export const opts = (...ids: string[]) => ids.map((id) => ({ id, text: { zh: id, en: id } }));
