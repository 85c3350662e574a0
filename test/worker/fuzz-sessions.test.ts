/**
 * Input fuzzing, part 3 of the HTTP routes: sessions from the teacher's side (open,
 * list, view, change, close, reopen, delete, remove or link students) and their reports.
 * See fuzz.test.ts for the whole picture.
 */
import { describe } from 'vitest';
import { fuzzRoutes, PARTS, useWorld } from './fuzz-routes';

const world = useWorld();

describe('fuzz: sessions and reports', () => {
  fuzzRoutes(PARTS.sessions, world);
});
