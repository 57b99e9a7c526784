import { MAX_RETRY_DELAY_MS, retryDelayMs } from './backoff';

describe('retryDelayMs', () => {
  it('doubles the base with each attempt, between half and all of it', () => {
    expect(retryDelayMs(1, 1000, 0)).toBe(500);
    expect(retryDelayMs(1, 1000, 0.999999)).toBe(1000);
    expect(retryDelayMs(2, 1000, 0)).toBe(1000);
    expect(retryDelayMs(3, 1000, 0.5)).toBe(3000);
  });

  it('never waits longer than an hour, even after many attempts', () => {
    for (const attempt of [12, 30, 1000]) {
      expect(retryDelayMs(attempt, 30_000, 0.999999)).toBeLessThanOrEqual(MAX_RETRY_DELAY_MS);
      expect(retryDelayMs(attempt, 30_000, 0)).toBe(MAX_RETRY_DELAY_MS / 2);
    }
  });

  it('spreads the retries of jobs that failed together', () => {
    const delays = new Set(Array.from({ length: 20 }, () => retryDelayMs(4, 1000)));
    expect(delays.size).toBeGreaterThan(1);
  });
});
