/** Quiz settings when nothing says otherwise, shared by the Worker and the web client. */
import type { QuizSettings } from './api';

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
