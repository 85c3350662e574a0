import { describe, expect, it } from 'vitest';
import { isTimeZone, localClock } from '../../worker/reports/local-time';

describe('local time', () => {
  it('knows IANA zones and refuses anything else', () => {
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('Asia/Urumqi')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('')).toBe(false);
    expect(() => localClock('Mars/Olympus_Mons')).toThrow(RangeError);
  });

  it('writes the wall clock of the zone as YYYY-MM-DD HH:mm:ss', () => {
    const ms = Date.UTC(2026, 2, 5, 0, 5, 9);
    expect(localClock('Asia/Shanghai').dateTime(ms)).toBe('2026-03-05 08:05:09');
    expect(localClock('UTC').dateTime(ms)).toBe('2026-03-05 00:05:09');
    // The day before, west of Greenwich.
    expect(localClock('America/New_York').dateTime(ms)).toBe('2026-03-04 19:05:09');
    expect(localClock('Asia/Shanghai').zone).toBe('Asia/Shanghai');
  });

  it('writes midnight as 00, and the date alone', () => {
    const midnight = Date.UTC(2026, 8, 30, 16, 0, 0); // 1 October, 00:00 in Beijing
    expect(localClock('Asia/Shanghai').dateTime(midnight)).toBe('2026-10-01 00:00:00');
    expect(localClock('Asia/Shanghai').date(midnight)).toBe('2026-10-01');
    expect(localClock('UTC').date(midnight)).toBe('2026-09-30');
  });

  it('follows daylight saving time where the zone has it', () => {
    const london = localClock('Europe/London');
    expect(london.dateTime(Date.UTC(2026, 0, 15, 12))).toBe('2026-01-15 12:00:00');
    expect(london.dateTime(Date.UTC(2026, 6, 15, 12))).toBe('2026-07-15 13:00:00');
  });
});
