import type { VitalsReadingFragment } from '../../__generated__/graphql';
import { formatDateTime } from '../../time';

const WIDTH = 320;
const HEIGHT = 120;
const PAD = 8;

interface Series {
  readonly label: string;
  readonly className: string;
  readonly value: (reading: VitalsReadingFragment) => number | null;
}

const SERIES: readonly Series[] = [
  { label: 'Heart rate (beats/min)', className: 'trend--hr', value: (r) => r.heartRate },
  { label: 'Systolic (mmHg)', className: 'trend--sys', value: (r) => r.systolic },
  { label: 'Diastolic (mmHg)', className: 'trend--dia', value: (r) => r.diastolic },
];

/**
 * A small trend of heart rate and blood pressure, oldest on the left, hand-drawn in SVG: one shared
 * vertical scale (all three are in the same range of numbers), points spaced by reading, not by time,
 * so a busy week does not squash the rest. The readings' table next to it carries the exact values.
 */
export function VitalsChart({ readings }: { readings: readonly VitalsReadingFragment[] }) {
  const ordered = [...readings].reverse();
  const values = ordered.flatMap((reading) => SERIES.map((series) => series.value(reading))).filter((v): v is number => v !== null);
  if (ordered.length < 2 || values.length === 0) return <p className="muted">A trend appears after two readings.</p>;
  const low = Math.min(...values) - 5;
  const high = Math.max(...values) + 5;
  const x = (index: number) => PAD + (index * (WIDTH - 2 * PAD)) / (ordered.length - 1);
  const y = (value: number) => HEIGHT - PAD - ((value - low) * (HEIGHT - 2 * PAD)) / (high - low);
  const first = ordered[0];
  const last = ordered.at(-1);
  return (
    <figure className="trend" data-testid="vitals-trend">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={`Heart rate and blood pressure over the last ${ordered.length} readings`}
      >
        {SERIES.map((series) => {
          const points = ordered.flatMap((reading, index) => {
            const value = series.value(reading);
            return value === null ? [] : [`${x(index).toFixed(1)},${y(value).toFixed(1)}`];
          });
          return points.length > 0 ? (
            <polyline key={series.label} className={series.className} points={points.join(' ')} fill="none" />
          ) : null;
        })}
      </svg>
      <figcaption className="small">
        {SERIES.map((series) => (
          <span key={series.label} className={`trend__key ${series.className}`}>
            {series.label}
          </span>
        ))}
        {first && last && (
          <span className="muted">
            {' '}
            · {formatDateTime(first.recordedAt)} to {formatDateTime(last.recordedAt)}
          </span>
        )}
      </figcaption>
    </figure>
  );
}
