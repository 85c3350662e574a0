/** Bindings the Worker is given (see wrangler.toml). */
export interface Env {
  DB: D1Database;
  ASSETS: Fetcher;
}

/** Hono's environment type for every route of the app. */
export interface AppEnv {
  Bindings: Env;
}
