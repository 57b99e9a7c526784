// The analytics page's three charts, drawn in SVG with visx (@visx/scale for the scales, @visx/shape
// for the bars: React elements, so the SVG carries its own role, name and description, and no
// script writes style attributes behind React's back). Each chart has a text alternative: an
// accessible name that summarises it, and a table of every value beside it (docs/analytics.md).
import { scaleBand, scaleLinear } from '@visx/scale';
import { Bar, BarStack } from '@visx/shape';
import type { PracticeAnalyticsQuery } from '../../__generated__/graphql';
import { formatFigure, leadTimeLabel } from './figures';

type Analytics = PracticeAnalyticsQuery['practiceAnalytics'];
type DayStats = Analytics['byDay'][number];
type DoctorStats = Analytics['byDoctor'][number];
type LeadTimeBucket = Analytics['leadTimes'][number];

const WIDTH = 640;
const HEIGHT = 220;
const LEFT = 36;
const RIGHT = 8;
const TOP = 8;
const BOTTOM = 26;

/** The vertical scale of a bar chart of counts up to `top` (at least 1). */
function countScale(top: number) {
  return scaleLinear<number>({ domain: [0, top], range: [HEIGHT - BOTTOM, TOP], nice: true });
}

/**
 * The horizontal grid lines of a count chart at whole numbers, with their labels; hidden from
 * assistive technology (the table beside the chart holds every value).
 */
function CountGrid({ yScale, top }: { yScale: ReturnType<typeof countScale>; top: number }) {
  return yScale
    .ticks(Math.min(4, top))
    .filter(Number.isInteger)
    .map((tick) => (
      <g key={tick} aria-hidden="true">
        <line x1={LEFT} x2={WIDTH - RIGHT} y1={yScale(tick)} y2={yScale(tick)} className="chart__grid" />
        <text x={LEFT - 6} y={yScale(tick)} dy="0.32em" textAnchor="end" className="chart__tick">
          {tick}
        </text>
      </g>
    ));
}

/** A day's appointments split so the parts add up to the bar: the open part is still booked or checked in. */
interface DayParts {
  readonly date: string;
  readonly completed: number;
  readonly open: number;
  readonly noShows: number;
  readonly cancelled: number;
}
type Part = Exclude<keyof DayParts, 'date'>;
const PARTS: readonly { key: Part; label: string }[] = [
  { key: 'completed', label: 'Completed' },
  { key: 'open', label: 'Booked or checked in' },
  { key: 'noShows', label: 'No-shows' },
  { key: 'cancelled', label: 'Cancelled' },
];

const dayLabel = new Intl.DateTimeFormat('en-US', { day: 'numeric', month: 'short', timeZone: 'UTC' });
/** "3 Dec" for a "YYYY-MM-DD" date (a calendar date of the practice's zone, so formatted as UTC). */
const shortDate = (date: string) => dayLabel.format(new Date(`${date}T00:00:00Z`));

/** Bookings by day, stacked by what became of them, one bar per day of the practice's zone. */
export function BookingsByDayChart({ days }: { days: readonly DayStats[] }) {
  const rows: DayParts[] = days.map((day) => ({
    date: day.date,
    completed: day.completed,
    noShows: day.noShows,
    cancelled: day.cancelled,
    open: Math.max(0, day.appointments - day.completed - day.noShows - day.cancelled),
  }));
  const top = Math.max(1, ...days.map((day) => day.appointments));
  const xScale = scaleBand<string>({ domain: rows.map((row) => row.date), range: [LEFT, WIDTH - RIGHT], padding: 0.2 });
  const yScale = countScale(top);
  const busiest = days.reduce<DayStats | null>((best, day) => (best === null || day.appointments > best.appointments ? day : best), null);
  const total = days.reduce((sum, day) => sum + day.appointments, 0);
  const summary =
    days.length === 0
      ? 'Bookings by day: no days in the period.'
      : `Bookings by day from ${shortDate(days[0]!.date)} to ${shortDate(days[days.length - 1]!.date)}: ${total} appointments` +
        (busiest && busiest.appointments > 0 ? `, the busiest day ${shortDate(busiest.date)} with ${busiest.appointments}.` : '.') +
        ' The table below lists every day.';
  const labelled = rows.length <= 1 ? rows : [rows[0]!, rows[Math.floor((rows.length - 1) / 2)]!, rows[rows.length - 1]!];
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary} className="chart__svg" data-testid="bookings-chart">
        <CountGrid yScale={yScale} top={top} />
        <BarStack<DayParts, Part>
          data={rows}
          keys={PARTS.map((part) => part.key)}
          x={(row) => row.date}
          xScale={xScale}
          yScale={yScale}
          color={() => ''}
        >
          {(stacks) =>
            stacks.map((stack) =>
              stack.bars
                .filter((bar) => bar.height > 0)
                .map((bar) => (
                  <rect
                    key={`${stack.key}-${bar.index}`}
                    x={bar.x}
                    y={bar.y}
                    width={bar.width}
                    height={bar.height}
                    className={`chart__bar chart__bar--${stack.key}`}
                    data-date={bar.bar.data.date}
                    data-part={stack.key}
                    data-value={bar.bar.data[stack.key]}
                  >
                    <title>{`${shortDate(bar.bar.data.date)}: ${bar.bar.data[stack.key]} ${PARTS.find((part) => part.key === stack.key)?.label.toLowerCase()}`}</title>
                  </rect>
                )),
            )
          }
        </BarStack>
        {labelled.map((row) => (
          <text
            key={row.date}
            x={(xScale(row.date) ?? 0) + xScale.bandwidth() / 2}
            y={HEIGHT - 8}
            textAnchor="middle"
            className="chart__tick"
            aria-hidden="true"
          >
            {shortDate(row.date)}
          </text>
        ))}
      </svg>
      <figcaption>
        <ul className="chart__legend" aria-label="Legend">
          {PARTS.map((part) => (
            <li key={part.key}>
              <span className={`chart__swatch chart__bar--${part.key}`} aria-hidden="true" /> {part.label}
            </li>
          ))}
        </ul>
      </figcaption>
      <details className="chart__data">
        <summary>Bookings by day as a table</summary>
        {/* Focusable: a keyboard can scroll it on a narrow screen. */}
        <div className="table-scroll" role="region" aria-label="Days table" tabIndex={0}>
          <table data-testid="by-day-table">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Appointments</th>
                <th scope="col">Completed</th>
                <th scope="col">No-shows</th>
                <th scope="col">Cancelled</th>
              </tr>
            </thead>
            <tbody>
              {days.map((day) => (
                <tr key={day.date}>
                  <th scope="row">{day.date}</th>
                  <td>{day.appointments}</td>
                  <td>{day.completed}</td>
                  <td>{day.noShows}</td>
                  <td>{day.cancelled}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

const ROW = 30;
const NAME_WIDTH = 150;

/** Utilization by doctor as horizontal bars (a doctor without working hours has none), with the doctors' table. */
export function UtilizationByDoctorChart({ doctors }: { doctors: readonly DoctorStats[] }) {
  const height = Math.max(1, doctors.length) * ROW + 20;
  const top = Math.max(1, ...doctors.map((row) => row.utilization ?? 0));
  const yScale = scaleBand<string>({ domain: doctors.map((row) => row.doctor.id), range: [0, doctors.length * ROW], padding: 0.25 });
  const xScale = scaleLinear<number>({ domain: [0, top], range: [NAME_WIDTH, WIDTH - 60] });
  const summary =
    doctors.length === 0
      ? 'Utilization by doctor: no doctors.'
      : `Utilization by doctor: ${doctors
          .map((row) => `${row.doctor.name} ${row.utilization === null ? 'no working hours' : formatFigure(row.utilization, 'share')}`)
          .join(', ')}.`;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={summary} className="chart__svg" data-testid="utilization-chart">
        <line x1={xScale(1)} x2={xScale(1)} y1={0} y2={doctors.length * ROW} className="chart__grid" aria-hidden="true" />
        <text x={xScale(1)} y={doctors.length * ROW + 14} textAnchor="middle" className="chart__tick" aria-hidden="true">
          100%
        </text>
        {doctors.map((row) => {
          const y = yScale(row.doctor.id) ?? 0;
          return (
            <g key={row.doctor.id} aria-hidden="true">
              <text x={NAME_WIDTH - 8} y={y + yScale.bandwidth() / 2} dy="0.32em" textAnchor="end" className="chart__tick">
                {row.doctor.name.length > 20 ? `${row.doctor.name.slice(0, 19)}…` : row.doctor.name}
              </text>
              {row.utilization !== null && (
                <Bar
                  x={NAME_WIDTH}
                  y={y}
                  width={Math.max(0, xScale(row.utilization) - NAME_WIDTH)}
                  height={yScale.bandwidth()}
                  className="chart__bar chart__bar--utilization"
                  data-value={row.utilization}
                />
              )}
              <text
                x={row.utilization === null ? NAME_WIDTH : xScale(row.utilization) + 6}
                y={y + yScale.bandwidth() / 2}
                dy="0.32em"
                className="chart__tick"
              >
                {row.utilization === null ? 'no working hours' : formatFigure(row.utilization, 'share')}
              </text>
            </g>
          );
        })}
      </svg>
      <div className="table-scroll" role="region" aria-label="Doctors table" tabIndex={0}>
        <table data-testid="by-doctor-table">
          <caption className="visually-hidden">Each doctor in the period</caption>
          <thead>
            <tr>
              <th scope="col">Doctor</th>
              <th scope="col">Appointments</th>
              <th scope="col">No-show rate</th>
              <th scope="col">Utilization</th>
            </tr>
          </thead>
          <tbody>
            {doctors.map((row) => (
              <tr key={row.doctor.id}>
                <th scope="row">{row.doctor.name}</th>
                <td>{row.appointments}</td>
                <td>{formatFigure(row.noShowRate, 'share')}</td>
                <td>{formatFigure(row.utilization, 'share')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

/** How far ahead booked appointments were made: one bar per lead-time bucket, with the buckets' table. */
export function LeadTimeChart({ buckets }: { buckets: readonly LeadTimeBucket[] }) {
  const rows = buckets.map((bucket) => ({ ...bucket, label: leadTimeLabel(bucket) }));
  const top = Math.max(1, ...rows.map((row) => row.booked));
  const total = rows.reduce((sum, row) => sum + row.booked, 0);
  const xScale = scaleBand<string>({ domain: rows.map((row) => row.label), range: [LEFT, WIDTH - RIGHT], padding: 0.2 });
  const yScale = countScale(top);
  const summary =
    total === 0
      ? 'Lead time: no booked appointments in the period.'
      : `Lead time of ${total} booked appointments: ${rows
          .filter((row) => row.booked > 0)
          .map((row) => `${row.booked} booked ${row.label} ahead`)
          .join(', ')}.`;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary} className="chart__svg" data-testid="lead-time-chart">
        <CountGrid yScale={yScale} top={top} />
        {rows.map((row) => {
          const x = xScale(row.label) ?? 0;
          return (
            <g key={row.fromDays} aria-hidden="true">
              {row.booked > 0 && (
                <Bar
                  x={x}
                  y={yScale(row.booked)}
                  width={xScale.bandwidth()}
                  height={HEIGHT - BOTTOM - yScale(row.booked)}
                  className="chart__bar chart__bar--lead-time"
                  data-from-days={row.fromDays}
                  data-value={row.booked}
                />
              )}
              <text x={x + xScale.bandwidth() / 2} y={HEIGHT - 8} textAnchor="middle" className="chart__tick">
                {row.label}
              </text>
            </g>
          );
        })}
      </svg>
      <div className="table-scroll" role="region" aria-label="Lead times table" tabIndex={0}>
        <table data-testid="lead-time-table">
          <caption className="visually-hidden">Booked appointments by how far ahead they were made</caption>
          <thead>
            <tr>
              <th scope="col">Booked ahead</th>
              <th scope="col">Appointments</th>
              <th scope="col">Share</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.fromDays}>
                <th scope="row">{row.label}</th>
                <td>{row.booked}</td>
                <td>{formatFigure(total === 0 ? null : row.booked / total, 'share')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
