// Bindings the Worker is given (see wrangler.toml), declared on Cloudflare's global `Env` so that
// `env` from `cloudflare:workers` is typed too.
declare global {
  namespace Cloudflare {
    interface Env {
      DB: D1Database;
      ASSETS: Fetcher;
    }
  }
}

/** The Worker's bindings. */
export type Env = Cloudflare.Env;

/** Hono's environment type for every route of the app. */
export interface AppEnv {
  Bindings: Env;
}
