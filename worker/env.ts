import type { Teacher } from './contract';

// The bindings (`Cloudflare.Env`) are generated from wrangler.toml by `npm run cf-typegen` into
// ./worker-configuration.d.ts; `npm test` fails when that file is stale.

/** The Worker's bindings. */
export type Env = Cloudflare.Env;

/** Hono's environment type for every route of the app. */
export interface AppEnv {
  Bindings: Env;
  Variables: { teacher: Teacher };
}
