import { useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import type { AppointmentStatus, ScheduleItemFragment } from '../../__generated__/graphql';
import { apiProblem } from '../../errors';
import { formatDay, formatTime, fromLocalInputs, toDateInput } from '../../time';
import { RescheduleForm } from '../booking/reschedule-form';
import { FieldError } from './field-error';
import { COMPLETE_APPOINTMENT } from './patient-detail.graphql';
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
              {item.status === 'BOOKED' && item.confirmedAt && <span className="tag">Confirmed</span>}
              <CompleteButton item={item} />
              <RescheduleAction item={item} doctorId={doctorId} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/**
 * "Completed" on a visit that has started and is still open (booked or checked in). The appointment
 * comes back from the mutation into the cache, and reaches every desk's board live.
 */
function CompleteButton({ item }: { item: ScheduleItemFragment }) {
  const [complete, { loading }] = useMutation(COMPLETE_APPOINTMENT);
  const [problem, setProblem] = useState<string | null>(null);
  const open = item.status === 'BOOKED' || item.status === 'CHECKED_IN';
  if (!open || Date.parse(item.startsAt) > Date.now()) return null;
  const run = async () => {
    setProblem(null);
    try {
      await complete({ variables: { id: item.id } });
    } catch (error) {
      setProblem(apiProblem(error).message);
    }
  };
  return (
    <>
      <button
        type="button"
        className="secondary"
        disabled={loading}
        onClick={() => void run()}
        aria-label={`Mark the visit of ${item.patient.name} completed`}
      >
        Completed
      </button>
      <FieldError id={`schedule-${item.id}-error`} message={problem} />
    </>
  );
}

/** "Reschedule" on a booked visit that has not started: the same form as the patient's and the desk's. */
function RescheduleAction({ item, doctorId }: { item: ScheduleItemFragment; doctorId: string }) {
  const [moving, setMoving] = useState(false);
  if (item.status !== 'BOOKED' || Date.parse(item.startsAt) <= Date.now()) return null;
  if (!moving)
    return (
      <button type="button" className="secondary" onClick={() => setMoving(true)} aria-label={`Reschedule ${item.patient.name}`}>
        Reschedule
      </button>
    );
  return <RescheduleForm appointment={{ ...item, doctor: { id: doctorId } }} label={item.patient.name} onDone={() => setMoving(false)} />;
}
