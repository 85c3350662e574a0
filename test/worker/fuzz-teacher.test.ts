/**
 * Input fuzzing, part 2 of the HTTP routes: a teacher's classes (and their reports),
 * questions and quizzes. See fuzz.test.ts for the whole picture.
 */
import { describe } from 'vitest';
import { fuzzRoutes, PARTS, useWorld } from './fuzz-routes';

const world = useWorld();

describe('fuzz: classes, questions, quizzes', () => {
  fuzzRoutes(PARTS.teacher, world);
});
