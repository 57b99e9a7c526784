/** Node fires a timer longer than this (about 24.8 days) at once. */
const MAX_TIMER_MS = 2_147_483_647;

/** A cancellable timer for any delay (a session may last up to 365 days): re-armed in steps Node accepts. */
export function setLongTimeout(run: () => void, atMs: number, now: () => number): { clear(): void } {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const wait = atMs - now();
    if (wait <= 0) {
      run();
      return;
    }
    timer = setTimeout(arm, Math.min(wait, MAX_TIMER_MS));
    timer.unref();
  };
  arm();
  return { clear: () => clearTimeout(timer) };
}
