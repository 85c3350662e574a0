import { describe, expect, it } from 'vitest';
import { Batch, NextTurn } from '../../worker/lib/batch';

describe('Batch', () => {
  it('writes the items of one moment in one call, and later ones in the next', async () => {
    const calls: number[][] = [];
    const group = new Batch<number>((items) => {
      calls.push(items);
    });
    await Promise.all([group.add(1), group.add(2), group.add(3)]);
    expect(calls).toEqual([[1, 2, 3]]);
    await group.add(4);
    expect(calls).toEqual([[1, 2, 3], [4]]);
  });

  it("answers each item with the call's answer in its place", async () => {
    const batch = new Batch<number, string>((items) => items.map((n) => `#${n}`));
    expect(await Promise.all([batch.add(7), batch.add(8)])).toEqual(['#7', '#8']);
  });

  it('resolves an item only once its write has finished', async () => {
    let written = false;
    const group = new Batch<string>(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      written = true;
    });
    await group.add('a');
    expect(written).toBe(true);
  });

  it('rejects every item of a write that failed, and takes new ones after it', async () => {
    let fail = true;
    const group = new Batch<string>(() => {
      if (fail) throw new Error('disk full');
    });
    const results = await Promise.allSettled([group.add('a'), group.add('b')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(group.add('c')).resolves.toBeUndefined();
  });
});

describe('NextTurn', () => {
  it('resumes every caller of one moment together, before a later caller', async () => {
    const turn = new NextTurn();
    const order: string[] = [];
    const first = [turn.wait(), turn.wait()];
    expect(first[0]).toBe(first[1]);
    await Promise.all(first.map((p, i) => p.then(() => order.push(`now ${i}`))));
    await turn.wait().then(() => order.push('later'));
    expect(order).toEqual(['now 0', 'now 1', 'later']);
  });
});
