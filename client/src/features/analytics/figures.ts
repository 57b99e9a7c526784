// How the analytics page writes each figure, and its change against the previous period: one
// place, so the tiles, the tables and the tests read the same words.
import type { PeriodFiguresFragment } from '../../__generated__/graphql';

export type FigureKind = 'count' | 'share' | 'days' | 'minutes';

export interface Kpi {
  readonly key: keyof Omit<PeriodFiguresFragment, '__typename'>;
  readonly label: string;
  readonly kind: FigureKind;
  /** What the figure counts, for the tile's description (docs/analytics.md has the full definitions). */
  readonly hint: string;
  /** Whether a rise is good news (shown in the change's words, never by colour alone). */
  readonly higherIsBetter: boolean | null;
}

export const KPIS: readonly Kpi[] = [
  { key: 'appointments', label: 'Appointments', kind: 'count', hint: 'Every status, by start', higherIsBetter: null },
  { key: 'completed', label: 'Completed', kind: 'count', hint: 'Visits that took place', higherIsBetter: true },
  { key: 'noShows', label: 'No-shows', kind: 'count', hint: 'Marked as not come', higherIsBetter: false },
  { key: 'noShowRate', label: 'No-show rate', kind: 'share', hint: 'Of booked visits that have started', higherIsBetter: false },
  { key: 'cancelled', label: 'Cancelled', kind: 'count', hint: 'By anyone', higherIsBetter: false },
  { key: 'lateCancellationRate', label: 'Late cancellations', kind: 'share', hint: 'Under 24 h before, of all', higherIsBetter: false },
  { key: 'utilization', label: 'Utilization', kind: 'share', hint: 'Booked of working-hour minutes', higherIsBetter: true },
  { key: 'medianLeadTimeDays', label: 'Median lead time', kind: 'days', hint: 'Booking to visit', higherIsBetter: false },
  { key: 'thirdNextAvailableDays', label: 'Third next available', kind: 'days', hint: 'From now, mean of doctors', higherIsBetter: false },
  { key: 'newPatientShare', label: 'New patients', kind: 'share', hint: 'First booking with the practice', higherIsBetter: null },
  { key: 'selfBookedShare', label: 'Self-booked', kind: 'share', hint: 'Booked by the patient', higherIsBetter: null },
  { key: 'confirmedShare', label: 'Confirmed', kind: 'share', hint: 'By the patient, before the visit', higherIsBetter: true },
  { key: 'medianCycleMinutes', label: 'Median visit cycle', kind: 'minutes', hint: 'Check-in to completion', higherIsBetter: false },
];

// A fixed locale: the figures read the same on every machine (and in the tests that compare them).
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** A figure as the page shows it: counts whole, shares as percentages, days and minutes with one decimal; a dash for null. */
export function formatFigure(value: number | null, kind: FigureKind): string {
  if (value === null) return '—';
  switch (kind) {
    case 'count':
      return integer.format(value);
    case 'share':
      return `${oneDecimal.format(value * 100)}%`;
    case 'days':
      return `${oneDecimal.format(value)} d`;
    case 'minutes':
      return `${oneDecimal.format(value)} min`;
  }
}

/**
 * The change against the previous period in words ("up 3", "down 1.5 points", "no change"), or
 * null when either side is missing. Shares change by percentage points, not by a percent of a percent.
 */
export function formatChange(value: number | null, previous: number | null | undefined, kind: FigureKind): string | null {
  if (value === null || previous === null || previous === undefined) return null;
  const delta = value - previous;
  const size = kind === 'share' ? Math.abs(delta) * 100 : Math.abs(delta);
  const shown = kind === 'count' ? integer.format(size) : oneDecimal.format(size);
  if (Number(shown) === 0) return 'no change';
  const unit = kind === 'share' ? ' points' : kind === 'days' ? ' d' : kind === 'minutes' ? ' min' : '';
  return `${delta > 0 ? 'up' : 'down'} ${shown}${unit}`;
}

/** A lead-time bucket [fromDays, toDays) in words: "under 1 day", "1 day", "2–3 days", "31+ days". */
export function leadTimeLabel(bucket: { readonly fromDays: number; readonly toDays: number | null }): string {
  if (bucket.toDays === null) return `${bucket.fromDays}+ days`;
  if (bucket.fromDays === 0 && bucket.toDays === 1) return 'under 1 day';
  if (bucket.toDays - bucket.fromDays === 1) return bucket.fromDays === 1 ? '1 day' : `${bucket.fromDays} days`;
  return `${bucket.fromDays}–${bucket.toDays - 1} days`;
}
