/** Latency summary in milliseconds. */
export interface Percentiles {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

export function sorted(values: readonly number[]): Float64Array {
  return Float64Array.from(values).sort();
}

/** Nearest-rank percentile of an ascending array (NaN when empty). */
export function percentile(ascending: Float64Array, q: number): number {
  if (ascending.length === 0) return Number.NaN;
  return ascending[Math.min(ascending.length - 1, Math.max(0, Math.ceil(q * ascending.length) - 1))]!;
}

export function percentiles(values: readonly number[]): Percentiles {
  const s = sorted(values);
  return {
    count: s.length,
    p50: percentile(s, 0.5),
    p90: percentile(s, 0.9),
    p99: percentile(s, 0.99),
    p999: percentile(s, 0.999),
    max: s.length ? s[s.length - 1]! : Number.NaN,
  };
}

/** The latency curve for the distribution chart: [quantile, ms] at quantiles spread towards the tail. */
export function curve(values: readonly number[]): Array<[number, number]> {
  const s = sorted(values);
  if (s.length === 0) return [];
  const points: Array<[number, number]> = [];
  for (let i = 0; i <= 60; i++) {
    // 0 .. 0.999 with more points near the tail: q = 1 - 10^(-3 i / 60)
    const q = 1 - 10 ** ((-3 * i) / 60);
    points.push([q, percentile(s, Math.max(q, 1 / s.length))]);
  }
  points.push([1, s[s.length - 1]!]);
  return points;
}

export const round = (value: number, digits = 2) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : null);
