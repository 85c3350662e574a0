/**
 * D1 rows written per student per question, the figure D1's pricing counts (docs/performance.md),
 * as a budget: counts, never times. Live: the room copies a closed question's answers and the new
 * totals in one batch. Self-paced: the play room copies answers and progress in batches. Each
 * room's D1 binding is wrapped by {@link countingD1}, which sums `meta.rows_written` (local D1
 * reports it as production does).
 */
import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { PlayRoom } from '../../worker/rooms/play-room';
import { countingD1, type D1Counts } from './counting-d1';
import { answerAllRight, currentKeys, join, keyFor, openSession, rightResponse, settle } from './helpers';
import { LiveClient, roomOf } from './live-client';

/** Students in each class of these tests. */
const CLASS = 12;
/**
 * Rows written per student per question, as D1 counts them (an index entry written is a row written,
 * as D1 bills it). The answer: its row and its three index entries (primary key, `answers_session`,
 * `answers_session_question`) = 4. Then the student's row in `participants`: live, the new totals
 * at the question's close; self-paced, the progress = 2 as D1 reports it (the row and an entry of an
 * index whose columns change). Nothing else: one batch per close (live) or per copy (self-paced).
 */
const ROWS_PER_STUDENT_PER_QUESTION = { live: 6, selfPaced: 6 } as const;

function report(name: string, counts: D1Counts, students: number) {
  const text = `${name}: ${counts.rowsWritten} rows written for ${students} students (${(counts.rowsWritten / students).toFixed(2)} per student), ${counts.roundTrips} round trip(s)\n${counts.statements
    .map(
      (st) =>
        `  ${String(st.rowsWritten ?? 0).padStart(4)} written: ${st.sql.trim().replace(/\s+/g, ' ').slice(0, 100)}`,
    )
    .join('\n')}`;
  console.log(text);
  return text;
}

describe('D1 rows written per student per question', () => {
  it(`live: a question's close writes ≤ ${ROWS_PER_STUDENT_PER_QUESTION.live} rows per student`, async () => {
    const s = await openSession({ mode: 'live', count: 2, timeLimitSec: 30 });
    const host = await LiveClient.host(s);
    await host.next('welcome');
    const players: { client: LiveClient }[] = [];
    for (let i = 0; i < CLASS; i++) {
      const { token } = await join(s.code, `Live ${i}`);
      const client = await LiveClient.player(token);
      await client.next('welcome');
      players.push({ client });
    }
    const counter = countingD1(env.DB);
    await runInDurableObject(roomOf(s.id), (room) => {
      const r = room as unknown as { env: Cloudflare.Env };
      r.env = { ...r.env, DB: counter.db };
    });

    for (let position = 0; position < 2; position++) {
      if (position === 0) host.send({ type: 'start' });
      else {
        host.send({ type: 'next' });
        await host.next('leaderboard');
        host.send({ type: 'next' });
      }
      const served = await Promise.all(players.map((p) => p.client.next('question')));
      const key = await keyFor(s.id, served[0]!.question);
      counter.reset();
      players.forEach(({ client }, i) =>
        client.send({ type: 'answer', questionId: served[i]!.question.id, response: rightResponse(key) }),
      );
      // Everyone answered: the room writes D1, then reveals.
      await Promise.all(players.map((p) => p.client.next('result')));
      const why = report(`live question ${position}`, counter.counts, CLASS);
      expect(counter.counts.rowsWritten, why).toBeGreaterThan(0);
      expect(counter.counts.rowsWritten / CLASS, why).toBeLessThanOrEqual(ROWS_PER_STUDENT_PER_QUESTION.live);
    }
    const stored = await env.DB.prepare('SELECT count(*) AS n FROM answers WHERE session_id = ?')
      .bind(s.id)
      .first<{ n: number }>();
    expect(stored).toEqual({ n: 2 * CLASS });
  });

  it(`self-paced: an answer's copy writes ≤ ${ROWS_PER_STUDENT_PER_QUESTION.selfPaced} rows per student`, async () => {
    const s = await openSession({ count: 3, timeLimitSec: 30 });
    const students = await Promise.all(Array.from({ length: CLASS }, (_, i) => join(s.code, `Self ${i}`)));
    const room = env.PLAY_ROOM.get(env.PLAY_ROOM.idFromName(s.id));
    await settle(s.id);
    const counter = countingD1(env.DB);
    await runInDurableObject(room, (r: PlayRoom) => {
      r.d1 = counter.db;
    });
    for (let round = 0; round < 2; round++) {
      const questions = await currentKeys(s.id, students);
      await room.flush();
      counter.reset();
      await answerAllRight(students, questions);
      await room.flush();
      const why = report(`self-paced question ${round}`, counter.counts, CLASS);
      expect(counter.counts.rowsWritten, why).toBeGreaterThan(0);
      expect(counter.counts.rowsWritten / CLASS, why).toBeLessThanOrEqual(ROWS_PER_STUDENT_PER_QUESTION.selfPaced);
    }
  });
});
