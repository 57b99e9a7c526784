import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import type { AvailabilityFragment } from '../../__generated__/graphql';
import { apiProblem } from '../../errors';
import { formatTime, viewerTimeZone } from '../../time';
import { ADD_DAY_OFF, MY_AVAILABILITY, REMOVE_DAY_OFF, SET_WORKING_HOURS } from './availability.graphql';
import { FormFooter } from '../../forms/form-footer';
import { nextDateOfWeekday, zonedInstant } from './zoned-time';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

interface DayRow {
  readonly works: boolean;
  readonly startTime: string;
  readonly endTime: string;
}

/** One interval per weekday (the first the server has for it); a day without one is off. */
function rowsFrom(availability: AvailabilityFragment): DayRow[] {
  return WEEKDAYS.map((_, index) => {
    const hours = availability.weeklyHours.find((interval) => interval.weekday === index + 1);
    return hours
      ? { works: true, startTime: hours.startTime, endTime: hours.endTime }
      : { works: false, startTime: '09:00', endTime: '17:00' };
  });
}

/**
 * A doctor's weekly working hours and days off, in the doctor's own time zone, with each day's
 * hours also shown in the viewer's zone when it differs. Without hours the doctor accepts any time.
 */
export function WorkingHoursPage({ doctorId, header }: { doctorId: string; header?: ReactNode }) {
  const { data, loading, error, refetch } = useQuery(MY_AVAILABILITY, { variables: { doctorId } });
  useEffect(() => {
    document.title = 'Working hours · CareLine';
    return () => {
      document.title = 'CareLine';
    };
  }, []);
  return (
    <div className="dashboard working-hours">
      <h1>Working hours and days off</h1>
      {header}
      {loading && !data && <p role="status">Loading your hours…</p>}
      {error && !data && (
        <p role="alert" className="error">
          Could not load your hours.{' '}
          <button type="button" className="link" onClick={() => void refetch()}>
            Try again
          </button>
        </p>
      )}
      {data && (
        <>
          <WeeklyHoursForm doctorId={doctorId} availability={data.doctorAvailability} />
          <DaysOff doctorId={doctorId} availability={data.doctorAvailability} />
        </>
      )}
    </div>
  );
}

function WeeklyHoursForm({ doctorId, availability }: { doctorId: string; availability: AvailabilityFragment }) {
  const [rows, setRows] = useState(() => rowsFrom(availability));
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  // DoctorAvailability has no id to normalize by: the page's query is read again.
  const [save, { loading }] = useMutation(SET_WORKING_HOURS, { refetchQueries: [MY_AVAILABILITY], awaitRefetchQueries: true });
  const zone = availability.timeZone;
  const sameZone = zone === viewerTimeZone;
  const update = (index: number, change: Partial<DayRow>) => {
    setSaved(null);
    setProblem(null);
    setRows((current) => current.map((row, i) => (i === index ? { ...row, ...change } : row)));
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const wrong = rows.findIndex((row) => row.works && row.endTime !== '00:00' && row.endTime <= row.startTime);
    if (wrong >= 0) return setProblem(`${WEEKDAYS[wrong]}: the end must be after the start.`);
    const hours = rows.flatMap((row, index) =>
      row.works ? [{ weekday: index + 1, startTime: row.startTime, endTime: row.endTime === '00:00' ? '24:00' : row.endTime }] : [],
    );
    try {
      await save({ variables: { doctorId, hours } });
      setSaved(hours.length === 0 ? 'Saved: no working hours, so patients can book you at any time.' : 'Saved your working hours.');
    } catch (error) {
      setProblem(apiProblem(error).message);
    }
  };
  return (
    <form className="panel" onSubmit={(event) => void submit(event)} aria-labelledby="hours-title" noValidate>
      <div className="panel__header">
        <h2 id="hours-title">Weekly hours</h2>
      </div>
      <p className="muted">
        In your time zone, <strong>{zone}</strong>
        {!sameZone && <> (this browser is in {viewerTimeZone}: the times there are shown beside each day)</>}. A day that is not ticked is
        not bookable; with no day ticked, patients can book you at any time.
      </p>
      {/* Scrolls on its own on a phone (the zone column makes it wider than the screen), not the page. */}
      <div className="table-scroll">
        <table className="hours-table">
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
              {!sameZone && <th scope="col">In {viewerTimeZone}</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => {
              const day = WEEKDAYS[index]!;
              const date = nextDateOfWeekday(index + 1, zone);
              return (
                <tr key={day} data-weekday={index + 1}>
                  <td>
                    <label>
                      <input type="checkbox" checked={row.works} onChange={(e) => update(index, { works: e.target.checked })} /> {day}
                    </label>
                  </td>
                  <td>
                    <label className="visually-hidden" htmlFor={`hours-${index}-start`}>
                      {day} from
                    </label>
                    <input
                      id={`hours-${index}-start`}
                      type="time"
                      step={900}
                      value={row.startTime}
                      disabled={!row.works}
                      onChange={(e) => update(index, { startTime: e.target.value })}
                    />
                  </td>
                  <td>
                    <label className="visually-hidden" htmlFor={`hours-${index}-end`}>
                      {day} to
                    </label>
                    <input
                      id={`hours-${index}-end`}
                      type="time"
                      step={900}
                      value={row.endTime === '24:00' ? '00:00' : row.endTime}
                      disabled={!row.works}
                      onChange={(e) => update(index, { endTime: e.target.value })}
                    />
                  </td>
                  {!sameZone && (
                    <td className="muted small">
                      {row.works
                        ? `${formatTime(zonedInstant(date, row.startTime, zone).toISOString())}–${formatTime(
                            zonedInstant(date, row.endTime === '00:00' ? '24:00' : row.endTime, zone).toISOString(),
                          )}`
                        : '—'}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <FormFooter problem={problem} busy={loading} submitLabel="Save hours" busyLabel="Saving…" />
      {saved && (
        <p role="status" className="success" data-testid="hours-saved">
          {saved}
        </p>
      )}
    </form>
  );
}

function DaysOff({ doctorId, availability }: { doctorId: string; availability: AvailabilityFragment }) {
  const [date, setDate] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [add, adding] = useMutation(ADD_DAY_OFF, { refetchQueries: [MY_AVAILABILITY], awaitRefetchQueries: true });
  const [remove, removing] = useMutation(REMOVE_DAY_OFF, { refetchQueries: [MY_AVAILABILITY], awaitRefetchQueries: true });
  const run = async (action: () => Promise<unknown>) => {
    setProblem(null);
    try {
      await action();
      return true;
    } catch (error) {
      setProblem(apiProblem(error).message);
      return false;
    }
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return setProblem('Choose a date.');
    if (await run(() => add({ variables: { doctorId, date } }))) setDate('');
  };
  return (
    <section className="panel" aria-labelledby="days-off-title">
      <div className="panel__header">
        <h2 id="days-off-title">Days off</h2>
      </div>
      <p className="muted">Dates in {availability.timeZone}. Appointments already booked that day stay; nobody can book a new one.</p>
      {availability.daysOff.length === 0 && <p className="muted">No days off planned.</p>}
      {availability.daysOff.length > 0 && (
        <ul className="days-off" data-testid="days-off">
          {availability.daysOff.map((day) => (
            <li key={day} data-date={day}>
              <time dateTime={day}>{day}</time>{' '}
              <button
                type="button"
                className="secondary"
                disabled={removing.loading}
                onClick={() => void run(() => remove({ variables: { doctorId, date: day } }))}
                aria-label={`Work on ${day} again`}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="row" onSubmit={(event) => void submit(event)} noValidate aria-label="Add a day off">
        <label htmlFor="day-off-date">Date</label>
        <input id="day-off-date" type="date" value={date} onChange={(e) => setDate(e.target.value)} />
        <button type="submit" disabled={adding.loading}>
          Add day off
        </button>
      </form>
      {problem && (
        <p role="alert" className="field-error">
          {problem}
        </p>
      )}
    </section>
  );
}
