/**
 * The question bank: one JSON file per article section, validated against the question schema.
 * Imported by the seed, the maintainer's commands and the tests; never shipped to a browser.
 */
import intro from './intro.json';
import direction from './direction.json';
import captions from './captions.json';
import publicity from './publicity.json';
import commendation from './commendation.json';
import demonstration from './demonstration.json';
import glossaryJson from './glossary.json';
import relationsJson from './relations.json';
import { relationRows, type RelationsFile } from '../../worker/questions/relations';
import type { Question } from '../../worker/contract';

/** Every bank question as authored (unvalidated JSON; run {@link validateBank} before trusting it). */
export const rawBank: unknown[] = [intro, direction, captions, publicity, commendation, demonstration].flat();

export type { Question };

/** One English name per Chinese name: `db/bank/glossary.json` (see the README). */
export const glossary: { zh: string; en: string }[] = glossaryJson;

/** Which questions give away another's answer or test the same fact: `db/bank/relations.json` (see the README). */
export const relationsFile = relationsJson as RelationsFile;
/** {@link relationsFile} as the rows the seed stores. */
export const bankRelations = relationRows(relationsFile);
