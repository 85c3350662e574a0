/**
 * Work of the same moment, together. A room's storage commits the writes of each event on their
 * own, and a class joining at once sends its requests within milliseconds: one commit to disk
 * each, and one call between rooms each. Requests that wait for the event loop's next turn
 * ({@link NextTurn}) resume together, and what they write then is one transaction (one commit);
 * a {@link Batch} hands their items to one call. Replies still leave only once what they wrote is
 * durable (the output gate), so nothing is acknowledged before it is stored.
 */

/** The event loop's next turn: one promise for every caller until then, so that they resume together. */
export class NextTurn {
  private turn: Promise<void> | null = null;

  wait(): Promise<void> {
    return (this.turn ??= new Promise<void>((resolve) => setTimeout(resolve, 0)).then(() => {
      this.turn = null;
    }));
  }
}

/** Items queued until the next turn, then handed to one call, which answers each in its order. */
export class Batch<T, R = void> {
  private items: T[] = [];
  private pending: Promise<readonly R[] | void> | null = null;
  private readonly turn = new NextTurn();

  constructor(private readonly run: (items: T[]) => readonly R[] | void | Promise<readonly R[] | void>) {}

  /** Queues `item`; resolves with its answer once the call that took it has run (rejects if it threw). */
  async add(item: T): Promise<R> {
    const index = this.items.push(item) - 1;
    this.pending ??= this.turn.wait().then(() => {
      this.pending = null;
      return this.run(this.items.splice(0));
    });
    const answers = await this.pending;
    return answers?.[index] as R;
  }
}
