import { describe, expect, it } from 'vitest';
import { GroupWrite } from '../../worker/lib/group-write';

describe('GroupWrite', () => {
  it('writes the items of one moment in one call, and later ones in the next', async () => {
    const calls: number[][] = [];
    const group = new GroupWrite<number>((items) => {
      calls.push(items);
    });
    await Promise.all([group.add(1), group.add(2), group.add(3)]);
    expect(calls).toEqual([[1, 2, 3]]);
    await group.add(4);
    expect(calls).toEqual([[1, 2, 3], [4]]);
  });

  it('resolves an item only once its write has finished', async () => {
    let written = false;
    const group = new GroupWrite<string>(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      written = true;
    });
    await group.add('a');
    expect(written).toBe(true);
  });

  it('rejects every item of a write that failed, and takes new ones after it', async () => {
    let fail = true;
    const group = new GroupWrite<string>(() => {
      if (fail) throw new Error('disk full');
    });
    const results = await Promise.allSettled([group.add('a'), group.add('b')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(group.add('c')).resolves.toBeUndefined();
  });
});
