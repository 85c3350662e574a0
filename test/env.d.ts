// The test pool's `env` adds the migrations the setup file applies; `exports` is the Worker's.
declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
  }
  interface GlobalProps {
    mainModule: typeof import('../worker/index');
  }
}
