/**
 * The clock behind every countdown (the student's bar, the projector's ring): it counts down
 * locally from the server's `remainingMs` (the server's clock decides when a question closes; this
 * only shows it) on a monotonic clock, so changing the device's time cannot stretch it, and tells
 * its element when the whole seconds change and when it reaches zero.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** The last seconds are shown as a warning (and, on the projector with sound on, ticked). */
export const WARN_SECONDS = 5;

export interface CountdownEvents {
  /** The whole seconds left changed (not called for the seconds already gone at a late start). */
  second?(seconds: number): void;
  /** Zero was reached (once). */
  zero?(): void;
}

export class Countdown implements ReactiveController {
  /** Milliseconds left now. */
  leftMs = 0;
  private deadline = 0;
  private lastSecond = -1;
  private reachedZero = false;
  private connected = false;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly tickMs: number,
    private readonly on: CountdownEvents = {},
  ) {
    host.addController(this);
  }

  /** Whole seconds left, rounded up (what a person reads). */
  get seconds(): number {
    return Math.ceil(this.leftMs / 1000);
  }

  /** The share of `limitMs` left, 0–1. */
  fraction(limitMs: number): number {
    return Math.min(1, this.leftMs / Math.max(1, limitMs));
  }

  /** (Re)starts from the server's figure: call it when `remainingMs` changes. */
  restart(remainingMs: number): void {
    this.deadline = performance.now() + remainingMs;
    this.leftMs = remainingMs;
    // A late (re)start says nothing for the seconds already gone.
    this.lastSecond = this.seconds;
    this.reachedZero = false;
    if (this.connected) this.run();
  }

  hostConnected(): void {
    this.connected = true;
    this.run();
  }

  hostDisconnected(): void {
    this.connected = false;
    clearInterval(this.timer);
  }

  private run(): void {
    clearInterval(this.timer);
    if (!this.reachedZero) this.timer = setInterval(() => this.tick(), this.tickMs);
  }

  private tick(): void {
    this.leftMs = Math.max(0, this.deadline - performance.now());
    this.host.requestUpdate();
    const second = this.seconds;
    if (second !== this.lastSecond) {
      this.lastSecond = second;
      this.on.second?.(second);
    }
    if (this.leftMs > 0) return;
    this.reachedZero = true;
    clearInterval(this.timer);
    this.on.zero?.();
  }
}
