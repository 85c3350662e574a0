/**
 * The state of a teacher page's server calls: `busy` while one runs (its buttons are disabled and
 * a second click does nothing), the failure to show, and a notice after a success. Render
 * {@link ActionController.message} in the page's `role="alert"` line and
 * {@link ActionController.notice} in its `role="status"` line.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { errorMessage } from '../../core/api';

/** Options of {@link ActionController.run}. */
export interface RunOptions<T> {
  /** What to say after a success (a text, or made from the result). */
  notice?: string | ((result: T) => string);
  /**
   * Runs even while another call is running, and the newest call wins: an older one's result,
   * failure and notice are dropped (searching and loading, where the last request counts).
   */
  latest?: boolean;
}

/** Busy, error and notice of a page's calls to the server. */
export class ActionController implements ReactiveController {
  /** True while a call runs. */
  busy = false;
  /** The last call's failure (or a failure given to {@link fail}); null once a call starts again. */
  error: unknown = null;
  /** What the last success said; empty once a call starts again. */
  notice = '';
  /** Counts calls, so that a `latest` call can tell whether a newer one started meanwhile. */
  private calls = 0;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** Nothing to start: the controller only re-renders its host when its state changes. */
  hostConnected(): void {}

  /** The failure as text for people, in the interface language; empty when none. */
  get message(): string {
    return this.error ? errorMessage(this.error) : '';
  }

  /**
   * Runs `work` (unless a call is running and this one is not `latest`), with `busy` set and the
   * last error and notice cleared. Resolves to its result, or to undefined when it failed, did
   * not run, or a newer `latest` call overtook it.
   */
  async run<T>(work: () => Promise<T>, { notice, latest = false }: RunOptions<T> = {}): Promise<T | undefined> {
    if (this.busy && !latest) return undefined;
    const call = ++this.calls;
    this.set({ busy: true, error: null, notice: '' });
    try {
      const result = await work();
      if (call !== this.calls) return undefined;
      if (notice !== undefined) this.set({ notice: typeof notice === 'string' ? notice : notice(result) });
      return result;
    } catch (err) {
      if (call === this.calls) this.set({ error: err });
      return undefined;
    } finally {
      if (call === this.calls) this.set({ busy: false });
    }
  }

  /**
   * Shows a failure that happened outside {@link run} (loading or refreshing the page's data), or
   * with null that it is over.
   */
  fail(error: unknown): void {
    this.set({ error });
  }

  /** Shows a notice that needed no call (a change made on the page). */
  say(notice: string): void {
    this.set({ notice });
  }

  /**
   * Forgets the error and the notice, and the calls still running: another record or form is
   * shown, which their results, failures and notices are not about.
   */
  reset(): void {
    this.calls++;
    this.set({ busy: false, error: null, notice: '' });
  }

  private set(patch: Partial<Pick<ActionController, 'busy' | 'error' | 'notice'>>): void {
    Object.assign(this, patch);
    this.host.requestUpdate();
  }
}
