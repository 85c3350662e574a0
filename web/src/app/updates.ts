/**
 * Registers the service worker (web/sw.js, built with the app) and reports a new version that is
 * installed and waiting, so that the page can offer a reload: the new worker takes over only when
 * the student or teacher says so, never in the middle of an answer, and the page reloads once it
 * has. Until then pages still come from the network first, so an ignored offer never keeps anyone
 * on an old version for long.
 */

/**
 * Starts the service worker; `onUpdate` gets the function that switches to a waiting new version.
 * Browsers run service workers only in a secure context (https, or the laptop's own 127.0.0.1);
 * elsewhere (a classroom server's plain http address) nothing happens and the app works as before.
 */
export function registerServiceWorker(onUpdate: (apply: () => void) => void): void {
  if (!('serviceWorker' in navigator) || !isSecureContext) return;
  const sw = navigator.serviceWorker;
  let asked = false;
  // The first install also takes control of the page (clients.claim): only a switch asked for reloads.
  sw.addEventListener('controllerchange', () => {
    if (asked) location.reload();
  });
  const offer = (worker: ServiceWorker | null) => {
    // Without a controller this is the first install, not an update: nothing to offer.
    if (worker && sw.controller)
      onUpdate(() => {
        asked = true;
        worker.postMessage('skip-waiting');
      });
  };
  sw.register('/sw.js', { scope: '/' }).then(
    (reg) => {
      offer(reg.waiting);
      reg.addEventListener('updatefound', () => {
        const installing = reg.installing;
        installing?.addEventListener('statechange', () => {
          if (installing.state === 'installed') offer(installing);
        });
      });
    },
    // No service worker (a development server without sw.js, storage refused): the app runs without it.
    () => undefined,
  );
}
