import { useQuery } from '@apollo/client/react';
import type { AppointmentStatus } from '../../__generated__/graphql';
import { formatDay, formatTime, fromLocalInputs, toDateInput } from '../../time';
import { DOCTOR_SCHEDULE } from './schedule.graphql';

export interface ScheduleProps {
  readonly doctorId: string;
  readonly day: Date;
  readonly range: { from: string; to: string };
  readonly onDayChange: (day: Date) => void;
}

const STATUS_CLASS: Readonly<Record<AppointmentStatus, string | undefined>> = {
  BOOKED: undefined,
  CHECKED_IN: 'is-checked-in',
  CANCELLED: 'is-cancelled',
  COMPLETED: undefined,
  NO_SHOW: 'is-cancelled',
};
export const STATUS_LABEL: Readonly<Record<AppointmentStatus, string>> = {
  BOOKED: 'booked',
  CHECKED_IN: 'checked in',
  CANCELLED: 'cancelled',
  COMPLETED: 'completed',
  NO_SHOW: 'no-show',
};

const shift = (day: Date, days: number) => new Date(day.getFullYear(), day.getMonth(), day.getDate() + days);

/** The appointments of one day (today by default), in time order; live bookings are merged in. */
export function Schedule({ doctorId, day, range, onDayChange }: ScheduleProps) {
  const { data, loading, error, refetch } = useQuery(DOCTOR_SCHEDULE, { variables: { doctorId, ...range } });
  const isToday = shift(day, 0).getTime() === shift(new Date(), 0).getTime();
  return (
    <section className="panel" aria-labelledby="schedule-title">
      <div className="panel__header">
        <h2 id="schedule-title">{isToday ? "Today's schedule" : 'Schedule'}</h2>
        <div className="day-nav" role="group" aria-label="Choose the day">
          <button type="button" onClick={() => onDayChange(shift(day, -1))} aria-label="Previous day">
            ‹
          </button>
          <button type="button" onClick={() => onDayChange(new Date())} disabled={isToday}>
            Today
          </button>
          <button type="button" onClick={() => onDayChange(shift(day, 1))} aria-label="Next day">
            ›
          </button>
          <label className="visually-hidden" htmlFor="schedule-day">
            Schedule day
          </label>
          <input
            id="schedule-day"
            type="date"
            value={toDateInput(day)}
            onChange={(e) => {
              const picked = fromLocalInputs(e.target.value, '00:00');
              if (picked) onDayChange(picked);
            }}
          />
        </div>
      </div>
      <p className="muted">{formatDay(day)}</p>
      {loading && !data && <p role="status">Loading the schedule…</p>}
      {error && (
        <p role="alert" className="error">
          Could not load the schedule.{' '}
          <button type="button" className="link" onClick={() => void refetch()}>
            Try again
          </button>
        </p>
      )}
      {data && data.doctorSchedule.length === 0 && <p className="muted">No appointments on this day.</p>}
      {data && data.doctorSchedule.length > 0 && (
        <ol className="schedule">
          {data.doctorSchedule.map((item) => (
            <li key={item.id} className={STATUS_CLASS[item.status]} data-appointment-id={item.id} data-status={item.status}>
              <span className="schedule__when">
                <time dateTime={item.startsAt}>{formatTime(item.startsAt)}</time> –{' '}
                <time dateTime={item.endsAt}>{formatTime(item.endsAt)}</time>
              </span>
              <span className="schedule__who">{item.patient.name}</span>
              <span className="muted">{item.reason ?? 'No reason given'}</span>
              {item.status !== 'BOOKED' && <span className="tag">{STATUS_LABEL[item.status]}</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
