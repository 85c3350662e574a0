/** Small helpers of the bench scripts and the system tests: waiting, bounded concurrency, options, any answer. */

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `task` over `items` with at most `limit` in flight. */
export async function pool<T, R>(items: T[], limit: number, task: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await task(items[i]!, i);
      }
    }),
  );
  return out;
}

/**
 * The number given as `--<name> <value>` on the command line, else `fallback`; exits with status 2
 * when it is out of [min, max] or, unless `integer` is false, not a whole number.
 */
export function option(name: string, fallback: number, min: number, max: number, integer = true): number {
  const argv = process.argv.slice(2);
  const i = argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(argv[i + 1]) : fallback;
  if (!(integer ? Number.isInteger(value) : Number.isFinite(value)) || value < min || value > max) {
    console.error(`--${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
    process.exit(2);
  }
  return value;
}

/** A student's question as the API sends it (the fields a response needs). */
export interface StudentQuestion {
  id: string;
  type: string;
  options?: { id: string }[];
  targets?: { id: string }[];
}

/** A well-formed (not necessarily right) response to a question as a student sees it. */
export function anyResponse(q: StudentQuestion): unknown {
  const ids = (q.options ?? []).map((o) => o.id);
  const pick = () => ids[Math.floor(Math.random() * ids.length)]!;
  switch (q.type) {
    case 'single':
      return { optionId: pick() };
    case 'multi':
      return { optionIds: ids.slice(0, 2) };
    case 'truefalse':
      return { value: Math.random() < 0.5 };
    case 'numeric':
      return { value: Math.round(Math.random() * 100) };
    case 'ordering':
      return { order: [...ids].sort(() => Math.random() - 0.5) };
    case 'matching': {
      const targets = (q.targets ?? []).map((t) => t.id);
      return { pairs: Object.fromEntries(ids.map((id, i) => [id, targets[i % targets.length]!])) };
    }
    default:
      return { text: 'answer' };
  }
}
