/**
 * Milliseconds since the epoch with sub-millisecond precision. The server stamps `committedAtMs`
 * the same way, and every process of the bench runs on one machine, so differences between
 * processes are meaningful to a few microseconds.
 */
export function epochNowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Resolves when `probe` returns true, polling every `intervalMs`; throws after `timeoutMs`. */
export async function waitUntil(what: string, probe: () => Promise<boolean> | boolean, timeoutMs: number, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
