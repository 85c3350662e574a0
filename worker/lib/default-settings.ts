/** Quiz settings when nothing says otherwise, with no imports beyond types, so that the web client shares them with the Worker. */
import type { QuizSettings } from '../api-types';

/** What a quiz or session gets when nothing says otherwise: 30 s, in order, feedback at once, leaderboard shown. */
export const DEFAULT_SETTINGS: QuizSettings = {
  timeLimitSec: 30,
  shuffleQuestions: false,
  shuffleOptions: false,
  feedback: 'now',
  showLeaderboard: true,
  lang: 'both',
  partialCredit: false,
};
