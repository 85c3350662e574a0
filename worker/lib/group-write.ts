/**
 * Writes of the same moment, together. A room's storage commits each write on its own, and a class
 * joining at once sends its requests within milliseconds: each request's item waits for the next
 * turn of the event loop, and every item queued by then is written by one call (one commit to disk
 * instead of one each). The caller's reply waits for its item's write, so nothing is acknowledged
 * before it is stored.
 */
export class GroupWrite<T> {
  private items: T[] = [];
  private pending: Promise<void> | null = null;

  constructor(private readonly write: (items: T[]) => void | Promise<void>) {}

  /** Queues `item`; resolves once the write that took it has run (rejects if it threw). */
  add(item: T): Promise<void> {
    this.items.push(item);
    this.pending ??= new Promise<void>((resolve) => setTimeout(resolve, 0)).then(() => {
      this.pending = null;
      return this.write(this.items.splice(0));
    });
    return this.pending;
  }
}
