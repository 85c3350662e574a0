/**
 * The service worker (scope `/`): keeps the app shell on the phone, so that a page still opens when
 * the connection drops (a school Wi-Fi that comes and goes, a laptop server restarting). Built by
 * the `service-worker` plugin of vite.config.ts, which replaces the two constants below with the
 * build's id and the files of the student's pages; any other hashed asset (teacher, projector) is
 * kept the first time it is fetched.
 *
 * - `/assets/*` (named by a hash of their content, so never stale): from the cache, else the network.
 * - Pages (navigations): from the network, so a new version shows at once; the cached index.html
 *   when the network fails or is too slow (every path is the same single-page app).
 * - `/api/*` and anything else: never touched; answers are never cached here (offline answers are
 *   the page's to keep, web/src/core/store.ts).
 *
 * A new build is a new cache: it installs beside the old one and waits; the page offers a reload
 * (web/src/app/updates.ts), which tells it to take over; the old caches are deleted then.
 */
const BUILD = '__BUILD__';
const SHELL = ['__SHELL__'];
const PREFIX = 'pomegranate-';
const CACHE = PREFIX + BUILD;
/** How long a page request may take before the cached shell is shown instead. */
const NAVIGATION_TIMEOUT_MS = 4000;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(['/', ...SHELL])));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate') event.respondWith(page(request));
  else if (url.pathname.startsWith('/assets/')) event.respondWith(asset(request));
});

/** A page from the network, or the cached shell when the network fails or hangs. */
async function page(request) {
  try {
    return await fetch(request, { signal: AbortSignal.timeout(NAVIGATION_TIMEOUT_MS) });
  } catch (err) {
    const shell = await caches.match('/', { cacheName: CACHE });
    if (shell) return shell;
    throw err;
  }
}

/** A hashed asset from the cache, else from the network (and kept). */
async function asset(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  if (kept) return kept;
  const res = await fetch(request);
  if (res.ok) await cache.put(request, res.clone());
  return res;
}
