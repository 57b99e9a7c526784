/**
 * When each live event committed, by the server clock, kept beside the payload object rather than
 * in it: the public schema carries no timing field, yet delivery latency can still be measured
 * (the debug-only `extensions.committedAtMs`, later the metrics). Pub/sub hands one payload
 * object to every local subscriber of a message, so one entry serves them all, and it disappears
 * with the object. Replayed events (read back from the outbox) have none.
 */
const commitTimes = new WeakMap<object, number>();

/** Records that this payload's event committed at `atMs` (epoch milliseconds, fractional). */
export function markCommitted(payload: object, atMs: number): void {
  commitTimes.set(payload, atMs);
}

/** The commit time of a live payload, or undefined for a replayed one. */
export function commitTimeOf(payload: unknown): number | undefined {
  return typeof payload === 'object' && payload !== null ? commitTimes.get(payload) : undefined;
}

/** Epoch milliseconds with sub-millisecond precision. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
