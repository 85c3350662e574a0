/**
 * Asks before the tab is closed or reloaded (the browser's own dialog) while the page holds work
 * that exists nowhere else yet: unsaved changes, reviewed drafts.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Guards its host's unsaved work against closing the tab while `unsaved()` is true. */
export class LeaveGuard implements ReactiveController {
  constructor(
    host: ReactiveControllerHost,
    private readonly unsaved: () => boolean,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('beforeunload', this.onBeforeUnload);
  }

  hostDisconnected(): void {
    window.removeEventListener('beforeunload', this.onBeforeUnload);
  }

  private readonly onBeforeUnload = (e: BeforeUnloadEvent): void => {
    if (this.unsaved()) e.preventDefault();
  };
}
