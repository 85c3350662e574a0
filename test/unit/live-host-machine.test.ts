import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  answeringMs,
  answerRefusal,
  CLEANUP_AFTER_MS,
  cleanupDue,
  IDLE_END_MS,
  idleDue,
  ended,
  hostStep,
  nextAlarm,
  pastDeadline,
  RECONNECT_GRACE_MS,
  revealed,
  running,
  type HostCommand,
  type HostContext,
  type HostEffect,
} from '../../worker/live/host-machine';
import { INITIAL_GAME, type GameState } from '../../worker/live/state';
import type { Distribution, LivePhase } from '../../worker/contract';

const NOW = 1_000_000;
const at: HostContext = { now: NOW, questionCount: 3, limitMs: 20_000 };
const COMMANDS: HostCommand[] = ['start', 'next', 'reveal', 'pause', 'resume', 'skip', 'end'];
const NO_ANSWERS: Distribution = { players: 0, answered: 0, correct: 0, wrong: 0, late: 0, noAnswer: 0 };

/** A question open since `startedAt`, timed by `at.limitMs`. */
const asking = (index: number, startedAt = NOW - 5_000): GameState => ({
  ...INITIAL_GAME,
  phase: 'question',
  index,
  startedAt,
  endsAt: startedAt + at.limitMs,
});
const games: Record<LivePhase | 'paused', GameState> = {
  lobby: INITIAL_GAME,
  question: asking(0),
  paused: { ...asking(0), endsAt: null, pausedAt: NOW - 1_000, pausedRemainingMs: 16_000 },
  reveal: { ...INITIAL_GAME, phase: 'reveal', index: 0, distribution: NO_ANSWERS },
  leaderboard: { ...INITIAL_GAME, phase: 'leaderboard', index: 0 },
  ended: { ...INITIAL_GAME, phase: 'ended', index: 2, endedAt: NOW - 1 },
};

const effects = (game: GameState, command: HostCommand, context = at): HostEffect[] => {
  const step = hostStep(game, command, context);
  if ('refusal' in step) throw new Error(`refused: ${step.refusal.message}`);
  return step.effects;
};
const refusal = (game: GameState, command: HostCommand, context = at) => {
  const step = hostStep(game, command, context);
  return 'refusal' in step ? step.refusal : null;
};

describe('the teacher commands allowed in each phase', () => {
  // Which command each phase takes: the rest are refused with `not_now`.
  const allowed: Record<keyof typeof games, HostCommand[]> = {
    lobby: ['start', 'end'],
    question: ['reveal', 'pause', 'skip', 'end'],
    paused: ['reveal', 'resume', 'skip', 'end'],
    reveal: ['next', 'end'],
    leaderboard: ['next', 'end'],
    ended: [],
  };
  for (const [phase, commands] of Object.entries(allowed) as [keyof typeof games, HostCommand[]][])
    it(`${phase}: ${commands.join(', ') || 'none'}`, () => {
      for (const command of COMMANDS) {
        const refused = refusal(games[phase], command);
        if (commands.includes(command)) expect(refused, command).toBeNull();
        else expect(refused, command).toMatchObject({ code: 'not_now', message: expect.any(String) });
      }
    });
});

describe('each command', () => {
  it('start opens the first question, timed from now (untimed: no deadline), once there are questions', () => {
    expect(effects(INITIAL_GAME, 'start')).toEqual([
      { type: 'open', game: { ...INITIAL_GAME, phase: 'question', index: 0, startedAt: NOW, endsAt: NOW + 20_000 } },
    ]);
    expect(effects(INITIAL_GAME, 'start', { ...at, limitMs: 0 })[0]).toMatchObject({ game: { endsAt: null } });
    expect(refusal(INITIAL_GAME, 'start', { ...at, questionCount: 0 })).toMatchObject({ code: 'no_questions' });
  });

  it('next goes from a reveal to the standings, from there to the next question, and ends after the last', () => {
    const standings = { ...games.reveal, phase: 'leaderboard' as const };
    expect(effects(games.reveal, 'next')).toEqual([{ type: 'leaderboard', game: standings }]);
    expect(effects(games.leaderboard, 'next')).toEqual([{ type: 'open', game: asking(1, NOW) }]);
    expect(effects({ ...games.leaderboard, index: 1 }, 'next')).toEqual([{ type: 'open', game: asking(2, NOW) }]);
    expect(effects({ ...games.reveal, index: 2 }, 'next')).toEqual([{ type: 'end' }]);
    expect(refusal(games.question, 'next')?.message).toMatch(/reveal or skip/i);
  });

  it('reveal closes the open question, paused or not', () => {
    expect(effects(games.question, 'reveal')).toEqual([{ type: 'close', index: 0 }]);
    expect(effects(games.paused, 'reveal')).toEqual([{ type: 'close', index: 0 }]);
  });

  it('pause freezes the time left; resume restarts it, and the pause does not count as answering time', () => {
    const [paused] = effects(games.question, 'pause');
    expect(paused).toEqual({
      type: 'pause',
      remainingMs: 15_000,
      game: { ...games.question, endsAt: null, pausedAt: NOW, pausedRemainingMs: 15_000 },
    });
    const later = NOW + 60_000;
    const [resumed] = effects((paused as { game: GameState }).game, 'resume', { ...at, now: later });
    expect(resumed).toEqual({
      type: 'resume',
      remainingMs: 15_000,
      game: { ...games.question, startedAt: NOW - 5_000 + 60_000, endsAt: later + 15_000 },
    });
    expect(answeringMs((resumed as { game: GameState }).game, later)).toBe(5_000);
  });

  it('pause and resume keep an untimed question untimed', () => {
    const untimed = { ...games.question, endsAt: null };
    const [paused] = effects(untimed, 'pause');
    expect(paused).toMatchObject({ remainingMs: null, game: { pausedRemainingMs: null } });
    const [resumed] = effects((paused as { game: GameState }).game, 'resume');
    expect(resumed).toMatchObject({ remainingMs: null, game: { endsAt: null } });
  });

  it('skip drops the open question and opens the next one, or ends after the last', () => {
    expect(effects(games.question, 'skip')).toEqual([
      { type: 'skip', index: 0 },
      { type: 'open', game: asking(1, NOW) },
    ]);
    expect(effects(asking(1), 'skip')[1]).toEqual({ type: 'open', game: asking(2, NOW) });
    expect(effects(asking(2), 'skip')).toEqual([{ type: 'skip', index: 2 }, { type: 'end' }]);
  });

  it('end finishes from any phase but the end', () => {
    for (const phase of ['lobby', 'question', 'paused', 'reveal', 'leaderboard'] as const)
      expect(effects(games[phase], 'end')).toEqual([{ type: 'end' }]);
    expect(refusal(games.ended, 'end')?.message).toMatch(/over already/);
  });
});

describe('the transitions the room makes when it scores', () => {
  it('revealed: the question closed with its distribution and change number', () => {
    expect(revealed(games.paused, NO_ANSWERS, 7)).toEqual({
      ...games.paused,
      phase: 'reveal',
      endsAt: null,
      pausedAt: null,
      pausedRemainingMs: null,
      distribution: NO_ANSWERS,
      seq: 7,
    });
  });

  it('ended: the end time, nothing open', () => {
    expect(ended(games.question, NOW, 3)).toMatchObject({ phase: 'ended', endedAt: NOW, endsAt: null, seq: 3 });
  });
});

describe('answers', () => {
  const idOf = (index: number) => `q${index}`;

  it('are taken for the open question only, and not while paused; each refusal says why', () => {
    expect(answerRefusal(games.question, 'q0', idOf)).toBeNull();
    expect(answerRefusal(games.lobby, 'q0', idOf)).toMatchObject({ code: 'not_now' });
    for (const phase of ['reveal', 'leaderboard', 'ended'] as const)
      expect(answerRefusal(games[phase], 'q0', idOf)).toMatchObject({ code: 'question_closed' });
    expect(answerRefusal(games.question, 'q1', idOf)).toMatchObject({ code: 'not_current_question' });
    expect(answerRefusal(games.paused, 'q0', idOf)).toMatchObject({ code: 'paused' });
    // Another question's id is the first thing said, paused or not.
    expect(answerRefusal(games.paused, 'q1', idOf)).toMatchObject({ code: 'not_current_question' });
  });

  it('are timed without the pauses, and late after the deadline (never when untimed or paused)', () => {
    expect(answeringMs(games.question, NOW)).toBe(5_000);
    expect(answeringMs(games.paused, NOW + 99_000)).toBe(4_000);
    expect(pastDeadline(games.question, NOW + 15_000)).toBe(true);
    expect(pastDeadline(games.question, NOW + 14_999)).toBe(false);
    expect(pastDeadline({ ...games.question, endsAt: null }, NOW + 10 ** 9)).toBe(false);
    expect(pastDeadline(games.paused, NOW + 10 ** 9)).toBe(false);
    expect([running(games.question), running(games.paused), running(games.reveal)]).toEqual([true, false, false]);
  });
});

describe('the alarm', () => {
  it('is due at the earliest of the deadline, the end of a grace period, a D1 retry', () => {
    const deadline = games.question.endsAt!;
    expect(nextAlarm(games.question, null)).toBe(deadline);
    expect(nextAlarm(games.question, NOW - 9_000)).toBe(NOW - 9_000 + RECONNECT_GRACE_MS + 1);
    expect(nextAlarm({ ...games.question, syncRetryAt: NOW + 1 }, null)).toBe(NOW + 1);
  });

  it('waits for nothing but a retry while paused or between questions, and for the cleanup at the end', () => {
    expect(nextAlarm(games.paused, NOW)).toBeNull();
    expect(nextAlarm(games.reveal, NOW)).toBeNull();
    expect(nextAlarm({ ...games.leaderboard, syncRetryAt: NOW }, null)).toBe(NOW);
    expect(nextAlarm(games.ended, null)).toBe(games.ended.endedAt! + CLEANUP_AFTER_MS);
    expect(cleanupDue(games.ended, games.ended.endedAt! + CLEANUP_AFTER_MS)).toBe(true);
    expect(cleanupDue(games.ended, games.ended.endedAt! + CLEANUP_AFTER_MS - 1)).toBe(false);
  });
  it('ends a game nobody touched for the idle time, in any phase but the end', () => {
    const last = NOW - 1_000;
    for (const phase of ['lobby', 'paused', 'reveal', 'leaderboard'] as const) {
      expect(nextAlarm(games[phase], null, last)).toBe(last + IDLE_END_MS);
      expect(idleDue(games[phase], last, last + IDLE_END_MS)).toBe(true);
      expect(idleDue(games[phase], last, last + IDLE_END_MS - 1)).toBe(false);
    }
    // The deadline comes first; a room with no activity at all waits for none.
    expect(nextAlarm(games.question, null, last)).toBe(games.question.endsAt);
    expect(idleDue(games.lobby, null, NOW + IDLE_END_MS * 2)).toBe(false);
    expect(nextAlarm(games.ended, null, last)).toBe(games.ended.endedAt! + CLEANUP_AFTER_MS);
    expect(idleDue(games.ended, last, last + IDLE_END_MS * 2)).toBe(false);
  });
});

describe('any sequence of commands', () => {
  /** Carries out the effects as the room does, with a scoring that changes nothing but the phase. */
  const play = (game: GameState, list: HostEffect[], now: number): GameState =>
    list.reduce((g, e) => {
      if (e.type === 'close') return revealed(g, NO_ANSWERS, g.seq + 1);
      if (e.type === 'end') return ended(g, now, g.seq + 1);
      return e.type === 'skip' ? g : e.game;
    }, game);

  it('keeps the game consistent: a question index in range, a clock only while a question is open', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.tuple(fc.constantFrom(...COMMANDS), fc.integer({ min: 0, max: 30_000 })), { maxLength: 40 }),
        (questionCount, commands) => {
          let game = INITIAL_GAME;
          let now = NOW;
          for (const [command, wait] of commands) {
            now += wait;
            const before = game;
            const step = hostStep(game, command, { now, questionCount, limitMs: 20_000 });
            if ('refusal' in step) continue;
            game = play(game, step.effects, now);
            expect(game.index).toBeLessThan(questionCount);
            expect(game.index).toBeGreaterThanOrEqual(before.index);
            if (game.phase === 'question') expect(answeringMs(game, now)).toBeGreaterThanOrEqual(0);
            else expect([game.endsAt, game.pausedAt]).toEqual([null, null]);
            if (game.pausedAt !== null) expect(game.endsAt).toBeNull();
          }
        },
      ),
    );
  });
});
