/**
 * Related bank questions (db/bank/relations.json: one stem gives away another's answer, or both
 * test the same fact) are seeded to D1, and a session drawn from the bank never holds a related
 * pair while unrelated questions are left to draw.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { bankRelations, rawBank } from '../../db/bank';
import { relatedPairsIn } from '../../worker/questions/relations';
import { call, callHandler, ownAddress } from './helpers';

const drawnIds = async (sessionId: string) =>
  (
    await env.DB.prepare('SELECT question_id AS id FROM session_questions WHERE session_id = ? ORDER BY position')
      .bind(sessionId)
      .all<{ id: string }>()
  ).results.map((r) => r.id);

async function draw(body: Record<string, unknown>): Promise<string[]> {
  // Each from an address of its own, as openSession does: quick sessions are limited per address.
  const res = await callHandler('/api/sessions', {
    body: { title: 'Draw', timeLimitSec: 30, ...body },
    headers: ownAddress(),
  });
  expect(res.status, res.text).toBe(201);
  return drawnIds(res.json.id);
}

describe('related bank questions', () => {
  it('are seeded from db/bank/relations.json', async () => {
    const rows = await env.DB.prepare('SELECT question_id, related_id, kind FROM question_relations').all();
    expect(rows.results.length).toBe(bankRelations.length);
    expect(bankRelations.length).toBeGreaterThanOrEqual(60);
    expect(rows.results).toContainEqual({ question_id: 'int-002', related_id: 'int-001', kind: 'gives' });
    expect(rows.results).toContainEqual({ question_id: 'dem-044', related_id: 'dem-046', kind: 'same' });
  });

  it('are served to the quiz builder by GET /api/bank/relations', async () => {
    const res = await call('/api/bank/relations');
    expect(res.status).toBe(200);
    expect(res.json.relations).toHaveLength(bankRelations.length);
    expect(res.json.relations).toContainEqual({ questionId: 'cap-001', relatedId: 'cap-002', kind: 'gives' });
  });

  it('never meet in a quiz drawn from the bank, over many draws', async () => {
    // The captions and the commendation figures are where relations cluster: drawing most of a
    // small pool (models, history: about 50 questions) tests the skipping hardest.
    const draws = [
      ...Array.from({ length: 25 }, () => ({ count: 20 })),
      ...Array.from({ length: 15 }, () => ({ topics: ['models', 'history'], count: 25 })),
      ...Array.from({ length: 10 }, () => ({
        topics: ['publicity'],
        types: ['single', 'text', 'truefalse'],
        count: 12,
      })),
    ];
    let pairsSeen = 0;
    for (const body of draws) {
      const ids = await draw(body);
      expect(ids.length).toBe(body.count);
      expect(new Set(ids).size).toBe(ids.length);
      expect(relatedPairsIn(ids, bankRelations), ids.join(' ')).toEqual([]);
      pairsSeen += ids.length;
    }
    expect(pairsSeen).toBeGreaterThan(900);
  });

  it('still gives every question asked for when the pool is too small to keep them apart', async () => {
    expect((await draw({ count: 200 })).length).toBe(rawBank.length);
  });
});
