// The test pool's `env` adds the migrations the setup file applies (the Worker's own bindings are
// generated into worker/worker-configuration.d.ts).
declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
  }
}
