import { useQuery } from '@apollo/client/react';
import { formatTime, localDayRange } from '../../time';
import { AVAILABLE_SLOTS } from './booking.graphql';

export interface SlotPickerProps {
  readonly doctorId: string;
  /** The local day, `yyyy-mm-dd`. */
  readonly date: string;
  readonly durationMinutes: number;
  /** The chosen start time (ISO), if any. */
  readonly value: string | null;
  readonly onChange: (startsAt: string) => void;
  readonly errorId?: string;
}

/**
 * The doctor's free start times on one day of the viewer's calendar, as a radio group (arrow keys
 * move between them). Always fetched fresh: another patient may have taken a slot a moment ago.
 */
export function SlotPicker({ doctorId, date, durationMinutes, value, onChange, errorId }: SlotPickerProps) {
  const day = new Date(`${date}T00:00`);
  const range = Number.isNaN(day.getTime()) ? null : localDayRange(day);
  const { data, loading, error, refetch } = useQuery(AVAILABLE_SLOTS, {
    variables: { doctorId, durationMinutes, from: range?.from ?? '', to: range?.to ?? '' },
    skip: !range,
    fetchPolicy: 'cache-and-network',
  });
  const slots = data?.availableSlots ?? [];
  return (
    <fieldset className="slots" aria-describedby={errorId} aria-busy={loading}>
      <legend>Time</legend>
      {!range && <p className="muted">Choose a date first.</p>}
      {loading && !data && <p role="status">Loading free times…</p>}
      {error && (
        <p role="alert" className="error">
          Could not load the free times.{' '}
          <button type="button" className="link" onClick={() => void refetch()}>
            Try again
          </button>
        </p>
      )}
      {data && slots.length === 0 && (
        <p className="muted" data-testid="no-slots">
          No free times on this day. Try another date.
        </p>
      )}
      {slots.length > 0 && (
        <div className="slots__list" data-testid="slot-picker">
          {slots.map((startsAt) => (
            <label key={startsAt} className={`slot${startsAt === value ? ' is-selected' : ''}`}>
              <input type="radio" name="slot" value={startsAt} checked={startsAt === value} onChange={() => onChange(startsAt)} />
              <time dateTime={startsAt}>{formatTime(startsAt)}</time>
            </label>
          ))}
        </div>
      )}
    </fieldset>
  );
}
