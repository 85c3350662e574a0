import type { Teacher } from './contract';

// The bindings (`Cloudflare.Env`) are generated from wrangler.toml by `npm run cf-typegen` into
// ./worker-configuration.d.ts; `npm test` fails when that file is stale.

/**
 * The Worker's bindings, and the secrets that may be set with `wrangler secret put` (not in
 * wrangler.toml, so not generated).
 */
export type Env = Cloudflare.Env & {
  /** Key for hashing client addresses and accounts (./lib/server-secret.ts); made and kept in D1 when unset. */
  ADDRESS_KEY?: string;
};

/** Hono's environment type for every route of the app. */
export interface AppEnv {
  Bindings: Env;
  Variables: { teacher: Teacher };
}
