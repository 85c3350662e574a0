import type { Teacher } from './api-types';

// Bindings the Worker is given (see wrangler.toml), declared on Cloudflare's global `Env` so that
// `env` from `cloudflare:workers` is typed too.
declare global {
  namespace Cloudflare {
    interface Env {
      DB: D1Database;
      ASSETS: Fetcher;
      /** Live games: one Durable Object per live session (worker/rooms/live-room.ts). */
      LIVE_ROOM: DurableObjectNamespace<import('./rooms/live-room').LiveRoom>;
      /** Self-paced play: one Durable Object per session (worker/rooms/play-room.ts). */
      PLAY_ROOM: DurableObjectNamespace<import('./rooms/play-room').PlayRoom>;
      /** Sign-in attempts, keyed per IP and per account. */
      SIGNIN_LIMITER: RateLimit;
      /** Wrong join codes, keyed per client address. */
      JOIN_FAIL_LIMITER: RateLimit;
      /** Joins, keyed per session. */
      SESSION_JOIN_LIMITER: RateLimit;
    }
  }
}

/** The Worker's bindings. */
export type Env = Cloudflare.Env;

/** A signed-in teacher, as routes see them. */
export type { Teacher };

/** Hono's environment type for every route of the app. */
export interface AppEnv {
  Bindings: Env;
  Variables: { teacher: Teacher };
}
