/** The live game's texts in English (the projector and the student's live screen). */
import type { LiveErrorCode } from '../../../worker/contract';

/** 1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st. */
function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

export const en = {
  // Connection ---------------------------------------------------------------------------------
  connecting: 'Connecting…',
  reconnecting: 'Connection lost. Reconnecting…',
  replacedTitle: 'Opened somewhere else',
  replacedText: 'This game was opened in another tab or on another device, so this screen stopped.',
  replacedHostText: 'The game was opened on more screens than allowed, so this one stopped.',
  useHere: 'Continue on this screen',
  kickedTitle: 'Removed from the game',
  kickedText: 'Your teacher removed you from this game.',
  endedTitle: 'This game has ended',
  endedText: 'The live game is over. Ask your teacher for the results.',

  // Student ------------------------------------------------------------------------------------
  lobbyTitle: "You're in!",
  lobbyText: 'Waiting for the teacher to start.',
  nickname: (name: string) => `Your nickname: ${name}`,
  sending: 'Sending your answer…',
  received: 'Answer received',
  receivedText: 'Watch the big screen: the answer shows when time is up or everyone has answered.',
  timeUpText: "Time's up. Waiting for the answer…",
  pausedByTeacher: 'Paused by the teacher',
  skipped: 'The teacher skipped this question.',
  waiting: 'Waiting for the teacher…',
  resultTitle: 'Your standing',
  streak: (n: number) => `Streak: ${n} right in a row`,
  bonus: (n: number) => `including a +${n} streak bonus`,
  rankOf: (rank: number, total: number) => `Rank ${rank} of ${total}`,
  nextSoon: 'The next question is coming…',
  gameOver: 'Game over!',
  finalRank: (rank: number, total: number) => `You finished ${ordinal(rank)} of ${total}.`,
  rightCount: (n: number, total: number) => `${n} of ${total} right`,

  // Projector ----------------------------------------------------------------------------------
  joinAt: 'Go to',
  scanToJoin: 'Scan to join',
  qrLabel: (url: string) => `Scan to join: QR code of ${url}`,
  students: (n: number) => (n === 1 ? '1 student' : `${n} students`),
  noStudents: 'Waiting for students to join…',
  offline: 'offline',
  remove: (name: string) => `Remove ${name}`,
  start: 'Start the game',
  answered: (n: number, of: number) => `${n} / ${of} answered`,
  answerOnDevice: 'Answer on your device.',
  reveal: 'Reveal the answer',
  pause: 'Pause',
  paused: 'Paused',
  resume: 'Resume',
  skip: 'Skip question',
  end: 'End game',
  endTitle: 'End the game now?',
  endText: 'Everyone sees the final ranking. Questions not played yet are left out.',
  endYes: 'Yes, end the game',
  cancel: 'Cancel',
  showLeaderboard: 'Show the leaderboard',
  showPodium: 'Show the final results',
  nextQuestion: 'Next question',
  fullScreen: 'Full screen',
  exitFullScreen: 'Exit full screen',
  controls: 'Game controls',
  keysTitle: 'Keyboard shortcuts',
  keys: [
    ['Space / Enter', 'next'],
    ['R', 'reveal'],
    ['P', 'pause / resume'],
    ['S', 'skip'],
    ['F', 'full screen'],
    ['M', 'sound on / off'],
    ['H', 'hide / show the controls'],
  ] as [string, string][],
  correctAnswer: 'Correct answer',
  howAnswered: 'How the class answered',
  answersOf: (n: number) => (n === 1 ? '1 answer' : `${n} answers`),
  summary: (right: number, wrong: number, none: number) => `${right} right · ${wrong} wrong · ${none} no answer`,
  top: 'Top 5',
  change: 'Change',
  up: (n: number) => `up ${n}`,
  down: (n: number) => `down ${n}`,
  isNew: 'new',
  same: 'no change',
  podium: 'Podium',
  place: (n: number) => ordinal(n),
  pointsOf: (n: number) => `${n} points`,
  fullRanking: 'Final ranking',
  sessionPage: 'Session page',
  openProjector: 'Open the projector view',
  projectorHint: 'Show it on the classroom screen: students join, then you run the game question by question.',
  modeLegend: 'How the class plays',
  modeSelf: 'Self-paced: each student answers at their own speed',
  modeLive: 'Live: you run it on the projector, question by question',
  report: 'Results and report',
  notLive: 'This session is self-paced: it has no projector view.',
  notConnected: 'Not connected: wait for the connection to come back.',
  needKey:
    'This screen opens with the private teacher link of the session (the one ending in #key=…). Open that link, or the session page on the device where you created the session.',
  questionGone: 'The question is not on this screen any more (it was reloaded).',
  orderedAs: 'In this order:',
  acceptedAnswers: 'Accepted answers',

  // Projector as a game screen -------------------------------------------------------------------
  joinCorner: 'Join',
  codeShort: 'Code',
  sound: 'Sound',
  soundOn: 'Sound on',
  soundOff: 'Sound off',
  hideControls: 'Hide controls',
  answerChoices: 'Answer choices',
  alsoTop: 'Also in the top 5',
  rankingElsewhere: 'The full ranking is in the results and report.',
  secondsLeftShort: (n: number) => `${n} s`,
};

export type LiveStrings = typeof en;

/** Refusals from the live room, one text for every code. */
export const enLiveErrors = {
  malformed: 'The screen sent something the game could not read. Reload the page.',
  forbidden: 'Only the teacher can do that.',
  not_now: 'That cannot be done right now.',
  not_current_question: 'That question is no longer open.',
  question_closed: 'Too late: this question is closed.',
  paused: 'The game is paused: answer when it goes on.',
  invalid_answer: 'This answer does not fit the question. Try again.',
  unknown_player: 'You are no longer in this game. Join again with the code.',
  no_questions: 'This session has no questions.',
  internal: 'Something went wrong on our side; the game goes on.',
} satisfies Record<LiveErrorCode, string>;
