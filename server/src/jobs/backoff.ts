/** Longest wait between two attempts, whatever the attempt number. */
export const MAX_RETRY_DELAY_MS = 3_600_000;

/**
 * How long to wait after failed attempt number `attempt` (1 = the first try failed): the base
 * doubled per attempt, capped at MAX_RETRY_DELAY_MS, with "equal jitter" (half fixed, half random)
 * so the retries of many jobs that failed together (a relay down) do not come back together.
 * `random` is in [0, 1).
 */
export function retryDelayMs(attempt: number, baseMs: number, random: number = Math.random()): number {
  const exponential = Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 40)));
  return Math.round(exponential / 2 + (exponential / 2) * random);
}
