/**
 * A display update sent at most once per interval: at once when the last one is older, else once at the
 * end of the interval, with what is true then. A burst of 500 answers then costs the projector about
 * ten answer counts, not 500. The timer only delays a display update and carries no state worth
 * keeping: after hibernation a screen gets the current figure in its snapshot.
 */
export function throttle(update: () => void, intervalMs: number): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastAt = -Infinity;
  const run = () => {
    lastAt = Date.now();
    update();
  };
  return () => {
    if (timer) return;
    const wait = lastAt + intervalMs - Date.now();
    if (wait <= 0) return run();
    timer = setTimeout(() => {
      timer = null;
      run();
    }, wait);
  };
}
