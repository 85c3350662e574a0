/**
 * Moments as a school's wall clock shows them, for the CSV exports: a teacher reads "08:05" for
 * the first lesson, not the UTC "00:05", and a spreadsheet reads `YYYY-MM-DD HH:mm:ss` as a date
 * and time in Excel, WPS and LibreOffice alike. Pure Intl, so it runs in the Worker and in Node.
 */

/** Whether `zone` is a time zone Intl knows (an IANA name such as `Asia/Shanghai`, or `UTC`). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Writes epoch milliseconds as local dates and times in one zone. */
export interface LocalClock {
  /** The zone, as given. */
  zone: string;
  /** `YYYY-MM-DD HH:mm:ss`. */
  dateTime(ms: number): string;
  /** `YYYY-MM-DD`. */
  date(ms: number): string;
}

/** A clock for `zone` (which {@link isTimeZone} accepts); throws a RangeError for an unknown zone. */
export function localClock(zone: string): LocalClock {
  // The parts, not a locale's format: every locale orders and punctuates dates its own way, and
  // `h23` because some engines write midnight as "24" with the default hour cycle.
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const parts = (ms: number) => {
    const p: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
    for (const { type, value } of format.formatToParts(ms)) p[type] = value;
    return p;
  };
  const date = (p: ReturnType<typeof parts>) => `${p.year!.padStart(4, '0')}-${p.month}-${p.day}`;
  return {
    zone,
    dateTime(ms) {
      const p = parts(ms);
      return `${date(p)} ${p.hour}:${p.minute}:${p.second}`;
    },
    date: (ms) => date(parts(ms)),
  };
}
