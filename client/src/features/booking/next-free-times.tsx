import { useQuery } from '@apollo/client/react';
import { formatDateTime, localDayRange, toDateInput } from '../../time';
import { AVAILABLE_SLOTS } from './booking.graphql';

const DAYS = 7;
const dayName = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric' });

export interface NextFreeTimesProps {
  readonly doctorId: string;
  readonly durationMinutes: number;
  /** The local day shown by the slot picker, `yyyy-mm-dd`. */
  readonly date: string;
  readonly onDate: (date: string) => void;
  readonly onSlot: (date: string, startsAt: string) => void;
}

/**
 * The doctor's next free times across the coming week (so nobody guesses dates), and a week strip
 * with each day's number of free times; picking either fills the date and the slot below.
 */
export function NextFreeTimes({ doctorId, durationMinutes, date, onDate, onSlot }: NextFreeTimesProps) {
  const start = new Date();
  const days = Array.from({ length: DAYS }, (_, i) => new Date(start.getFullYear(), start.getMonth(), start.getDate() + i));
  const from = localDayRange(days[0]!).from;
  const to = localDayRange(days[DAYS - 1]!).to;
  const { data } = useQuery(AVAILABLE_SLOTS, { variables: { doctorId, durationMinutes, from, to }, fetchPolicy: 'cache-and-network' });
  if (!data) return null;
  const slots = data.availableSlots;
  const countOn = (day: Date) => slots.filter((slot) => toDateInput(new Date(slot)) === toDateInput(day)).length;
  return (
    <div className="next-free" data-testid="next-free-times">
      <div className="week-strip" role="group" aria-label="Free times this week">
        {days.map((day) => {
          const value = toDateInput(day);
          const count = countOn(day);
          return (
            <button
              key={value}
              type="button"
              className={`secondary${value === date ? ' is-selected' : ''}`}
              aria-pressed={value === date}
              onClick={() => onDate(value)}
              aria-label={`${dayName.format(day)}: ${count} free ${count === 1 ? 'time' : 'times'}`}
            >
              {dayName.format(day)} <span className="muted small">({count})</span>
            </button>
          );
        })}
      </div>
      {slots.length === 0 ? (
        <p className="muted">No free times in the next {DAYS} days.</p>
      ) : (
        <p className="next-free__list">
          Next free:{' '}
          {slots.slice(0, 4).map((slot) => (
            <button key={slot} type="button" className="link" onClick={() => onSlot(toDateInput(new Date(slot)), slot)}>
              {formatDateTime(slot)}
            </button>
          ))}
        </p>
      )}
    </div>
  );
}
