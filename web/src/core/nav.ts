/**
 * Client-side navigation and the join codes that travel in paths: `pg-app` renders the route for
 * `location.pathname` and listens for `popstate`, which this module also fires after a push.
 */

/** Shows `path` (may include a query or `#fragment`) without reloading the page. */
export function navigate(path: string, { replace = false } = {}): void {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

/** Join codes are typed by children: fold width and case, drop spaces and punctuation. */
export const normalizeCode = (raw: string): string =>
  raw
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .slice(0, 6);

/** A well-formed join code: 6 letters or digits. */
export const isCode = (code: string): boolean => /^[A-Z0-9]{6}$/.test(code);

/** A path segment as text; a malformed escape (typed by hand) is kept as typed rather than throwing. */
export function segment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
