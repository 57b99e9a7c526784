import { useMemo, useState } from 'react';
import { useQuery } from '@apollo/client/react';
import { MY_AVAILABILITY } from '../availability/availability.graphql';
import { DOCTOR_SCHEDULE } from './schedule.graphql';
import { STATUS_LABEL } from './schedule';
import { addDays, localDate, mondayOf, weekFrom } from './week-days';

/**
 * The doctor's week: seven days from a chosen start (today, or a Monday), in the doctor's own time
 * zone. One `doctorSchedule` query for the whole range; the live feeds place every booking and
 * change into it as into the day's list (live/cached-ranges.ts), so it moves without a reload.
 */
export function WeekSchedule({ doctorId }: { doctorId: string }) {
  const zoneQuery = useQuery(MY_AVAILABILITY, { variables: { doctorId } });
  const zone = zoneQuery.data?.doctorAvailability.timeZone;
  if (!zone) {
    return (
      <section className="panel week" aria-labelledby="week-title">
        <h2 id="week-title">Week</h2>
        {zoneQuery.error ? (
          <p role="alert" className="error">
            Could not load your time zone.
          </p>
        ) : (
          <p role="status">Loading the week…</p>
        )}
      </section>
    );
  }
  return <Week doctorId={doctorId} zone={zone} />;
}

function Week({ doctorId, zone }: { doctorId: string; zone: string }) {
  const today = localDate(new Date(), zone);
  const [start, setStart] = useState(today);
  const days = useMemo(() => weekFrom(start, zone), [start, zone]);
  const range = useMemo(() => ({ from: days[0]!.from.toISOString(), to: days[6]!.to.toISOString() }), [days]);
  const { data, loading, error, refetch } = useQuery(DOCTOR_SCHEDULE, { variables: { doctorId, ...range } });
  const time = useMemo(() => new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', timeZone: zone }), [zone]);
  const dayName = useMemo(
    () => new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }),
    [],
  );
  const items = data?.doctorSchedule ?? [];
  return (
    <section className="panel week" aria-labelledby="week-title" aria-busy={loading}>
      <div className="panel__header">
        <h2 id="week-title">Week</h2>
        <div className="day-nav" role="group" aria-label="Choose the week">
          <button type="button" onClick={() => setStart(addDays(start, -7))} aria-label="Previous week">
            ‹
          </button>
          <button type="button" onClick={() => setStart(today)} disabled={start === today}>
            From today
          </button>
          <button type="button" onClick={() => setStart(mondayOf(today))} disabled={start === mondayOf(today)}>
            This Monday
          </button>
          <button type="button" onClick={() => setStart(addDays(start, 7))} aria-label="Next week">
            ›
          </button>
          <label className="visually-hidden" htmlFor="week-start">
            Week starting
          </label>
          <input
            id="week-start"
            type="date"
            value={start}
            onChange={(e) => /^\d{4}-\d{2}-\d{2}$/.test(e.target.value) && setStart(e.target.value)}
          />
        </div>
      </div>
      <p className="muted small">Times in your zone, {zone}.</p>
      {error && (
        <p role="alert" className="error">
          Could not load the week.{' '}
          <button type="button" className="link" onClick={() => void refetch()}>
            Try again
          </button>
        </p>
      )}
      {data && (
        <ol className="week__days">
          {days.map((day) => {
            const visits = items.filter((item) => {
              const at = Date.parse(item.startsAt);
              return at >= day.from.getTime() && at < day.to.getTime();
            });
            return (
              <li key={day.date} className="week__day" data-date={day.date} aria-labelledby={`week-${day.date}`}>
                <h3 id={`week-${day.date}`} className={day.date === today ? 'is-today' : undefined}>
                  {dayName.format(new Date(`${day.date}T12:00:00Z`))}
                </h3>
                {visits.length === 0 ? (
                  <p className="muted small">No appointments</p>
                ) : (
                  <ul className="week__visits">
                    {visits.map((item) => (
                      <li
                        key={item.id}
                        className={item.status === 'CANCELLED' || item.status === 'NO_SHOW' ? 'is-cancelled' : undefined}
                        data-appointment-id={item.id}
                        data-status={item.status}
                      >
                        <span className="schedule__when">
                          <time dateTime={item.startsAt}>{time.format(new Date(item.startsAt))}</time>
                        </span>
                        <span className="schedule__who">{item.patient.name}</span>
                        {item.status !== 'BOOKED' && <span className="tag">{STATUS_LABEL[item.status]}</span>}
                        {item.status === 'BOOKED' && item.confirmedAt && <span className="tag">Confirmed</span>}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
