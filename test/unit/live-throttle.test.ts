import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { throttle } from '../../worker/live/throttle';

describe('a throttled display update', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs at once, then at most once per interval, always ending with a run after the last call', () => {
    let runs = 0;
    const update = throttle(() => runs++, 100);
    update();
    expect(runs).toBe(1);
    for (let i = 0; i < 50; i++) {
      update();
      vi.advanceTimersByTime(5);
    }
    // 250 ms of calls: the first at once, then one at the end of each interval.
    expect(runs).toBe(3);
    vi.advanceTimersByTime(100);
    expect(runs).toBe(4);
    vi.advanceTimersByTime(1_000);
    expect(runs).toBe(4);
    update();
    expect(runs).toBe(5);
  });
});
