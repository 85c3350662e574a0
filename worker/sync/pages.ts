/** How a laptop cuts a session's students into the pages it sends (pure, unit-tested). */

/**
 * The largest page body, below the sync API's body limit (worker/index.ts) with room to spare: a
 * student with many long answers is large, and one page must stay a request the cloud takes.
 */
export const MAX_PAGE_BYTES = 192 * 1024;

/**
 * Students after `cursor` (in the order given, ascending id), in pages of at most `size` students
 * and about `maxBytes` of JSON each; a single student larger than that still gets a page of their own.
 */
export function pagesAfter<T extends { id: string }>(
  items: readonly T[],
  cursor: string | null,
  size: number,
  maxBytes = MAX_PAGE_BYTES,
): T[][] {
  const pages: T[][] = [];
  let page: T[] = [];
  let bytes = 0;
  for (const item of items) {
    if (cursor !== null && item.id <= cursor) continue;
    const itemBytes = new TextEncoder().encode(JSON.stringify(item)).length + 1;
    if (page.length && (page.length >= size || bytes + itemBytes > maxBytes)) {
      pages.push(page);
      [page, bytes] = [[], 0];
    }
    page.push(item);
    bytes += itemBytes;
  }
  if (page.length) pages.push(page);
  return pages;
}
