import type { VitalsReadingFragment } from '../../__generated__/graphql';
import { formatDateTime } from '../../time';

const WIDTH = 360;
const HEIGHT = 170;
/** Room for the value axis on the left, the latest values on the right, the dates below. */
const LEFT = 34;
const RIGHT = 30;
const TOP = 8;
const BOTTOM = 24;
const shortDate = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

/** Three to five round values covering [low, high], for the value axis. */
export function ticksOf(low: number, high: number): number[] {
  const step = [5, 10, 20, 25, 50].find((candidate) => (high - low) / candidate <= 4) ?? 100;
  const ticks: number[] = [];
  for (let value = Math.ceil(low / step) * step; value <= high; value += step) ticks.push(value);
  return ticks;
}

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
 * A small trend of heart rate and blood pressure, oldest on the left, hand-drawn in SVG (a chart
 * library would triple the dashboard's download for three lines): one shared value axis with round
 * ticks (all three are in the same range of numbers), the first and last reading's dates below,
 * each point's value on hover and the latest values at the right. Points are spaced by reading, not
 * by time, so a busy week does not squash the rest. The readings' table beside it has every value.
 */
export function VitalsChart({ readings }: { readings: readonly VitalsReadingFragment[] }) {
  const ordered = [...readings].reverse();
  const values = ordered.flatMap((reading) => SERIES.map((series) => series.value(reading))).filter((v): v is number => v !== null);
  if (ordered.length < 2 || values.length === 0) return <p className="muted">A trend appears after two readings.</p>;
  const low = Math.min(...values) - 5;
  const high = Math.max(...values) + 5;
  const x = (index: number) => LEFT + (index * (WIDTH - LEFT - RIGHT)) / (ordered.length - 1);
  const y = (value: number) => HEIGHT - BOTTOM - ((value - low) * (HEIGHT - TOP - BOTTOM)) / (high - low);
  const first = ordered[0];
  const last = ordered.at(-1);
  return (
    <figure className="trend" data-testid="vitals-trend">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={`Heart rate and blood pressure over the last ${ordered.length} readings`}
      >
        <g className="trend__axis" aria-hidden="true">
          {ticksOf(low, high).map((tick) => (
            <g key={tick}>
              <line x1={LEFT} x2={WIDTH - RIGHT} y1={y(tick)} y2={y(tick)} className="trend__grid" />
              <text x={LEFT - 4} y={y(tick) + 3} textAnchor="end">
                {tick}
              </text>
            </g>
          ))}
          <line x1={LEFT} x2={LEFT} y1={TOP} y2={HEIGHT - BOTTOM} className="trend__baseline" />
          <line x1={LEFT} x2={WIDTH - RIGHT} y1={HEIGHT - BOTTOM} y2={HEIGHT - BOTTOM} className="trend__baseline" />
          {first && (
            <text x={LEFT} y={HEIGHT - 6} textAnchor="start">
              {shortDate.format(new Date(first.recordedAt))}
            </text>
          )}
          {last && (
            <text x={WIDTH - RIGHT} y={HEIGHT - 6} textAnchor="end">
              {shortDate.format(new Date(last.recordedAt))}
            </text>
          )}
        </g>
        {SERIES.map((series) => {
          const points = ordered.flatMap((reading, index) => {
            const value = series.value(reading);
            return value === null ? [] : [{ x: x(index), y: y(value), value, at: reading.recordedAt }];
          });
          const latest = points.at(-1);
          return points.length > 0 ? (
            <g key={series.label} className={series.className}>
              <polyline points={points.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ')} fill="none" />
              {points.map((p) => (
                <circle key={p.at} cx={p.x} cy={p.y} r={2.5}>
                  <title>{`${series.label}: ${p.value}, ${formatDateTime(p.at)}`}</title>
                </circle>
              ))}
              {latest && (
                <text x={latest.x + 4} y={latest.y + 3} className="trend__value">
                  {latest.value}
                </text>
              )}
            </g>
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
