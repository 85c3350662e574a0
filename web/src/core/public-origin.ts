/**
 * The origin to put in links and QR codes that other devices open (students' phones, the
 * teacher's own phone). Usually the page's own; but a laptop serving a classroom (`npm run
 * classroom`) may be showing its pages at 127.0.0.1, which no phone can reach: the server then
 * says its address on the school network (`GET /api/join-origin`).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { call } from './api';
import type { JoinOrigin } from '../../../worker/contract';

let known: string | null = null;
let asking: Promise<void> | null = null;

/** Asks the server once per page load; on any failure the page's own origin stands. */
function ask(): Promise<void> {
  asking ??= call<JoinOrigin>('/api/join-origin').then(
    (r) => void (known = r.origin ?? location.origin),
    () => void (known = location.origin),
  );
  return asking;
}

/** Gives its element {@link PublicOrigin.value} and renders it again once the server has answered. */
export class PublicOrigin implements ReactiveController {
  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    if (known === null) void ask().then(() => this.host.requestUpdate());
  }

  /** The origin other devices reach this server at (the page's own until the server has answered). */
  get value(): string {
    return known ?? location.origin;
  }
}
