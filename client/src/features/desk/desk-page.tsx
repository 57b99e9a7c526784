import { useEffect, useMemo, useState } from 'react';
import { useApolloClient, useQuery } from '@apollo/client/react';
import type { Client } from 'graphql-ws';
import { useConnectionTracker, type ConnectionStatus } from '../../connection-status';
import { formatDay, fromLocalInputs, localDayRange, toDateInput, viewerTimeZone } from '../../time';
import { TodayCounters } from '../analytics/today-counters';
import { ConnectionIndicator } from '../dashboard/connection-indicator';
import { DESK_CONTEXT } from './desk.graphql';
import { FlowBoard } from './flow-board';
import { PatientSearch } from './patient-search';
import { usePracticeFeed } from './use-practice-feed';

/** The front desk: today's counters and flow for the whole practice (live), and booking for patients. */
export function DeskPage({ wsClient }: { wsClient: Client }) {
  const context = useQuery(DESK_CONTEXT);
  const practice = context.data?.me.staff?.practice;
  const status = useConnectionTracker(wsClient);
  useEffect(() => {
    document.title = 'Front desk · CareLine';
    return () => {
      document.title = 'CareLine';
    };
  }, []);

  if (context.loading && !context.data) return <p role="status">Loading your practice…</p>;
  if (!practice)
    return (
      <p role="alert" className="error">
        This account is not the front desk of a practice.
      </p>
    );
  return <DeskForPractice practice={practice} wsClient={wsClient} status={status} />;
}

interface DeskPractice {
  readonly id: string;
  readonly name: string;
  readonly timeZone: string;
  readonly doctors: ReadonlyArray<{ readonly id: string; readonly name: string; readonly bookable: boolean }>;
}

const shift = (day: Date, days: number) => new Date(day.getFullYear(), day.getMonth(), day.getDate() + days);

function DeskForPractice({ practice, wsClient, status }: { practice: DeskPractice; wsClient: Client; status: ConnectionStatus | null }) {
  const client = useApolloClient();
  const [day, setDay] = useState(() => shift(new Date(), 0));
  const [doctorId, setDoctorId] = useState('');
  const range = useMemo(() => localDayRange(day), [day]);
  const isToday = day.getTime() === shift(new Date(), 0).getTime();
  const shown = doctorId ? practice.doctors.filter((doctor) => doctor.id === doctorId) : practice.doctors;
  const [feedError, setFeedError] = useState<string | null>(null);
  // One subscription per practice, whatever the day on screen: every cached day stays current.
  const feed = usePracticeFeed({ client, wsClient, practiceId: practice.id, onError: setFeedError });
  return (
    <div className="dashboard desk">
      <div className="toolbar">
        <h1 className="desk__title">{practice.name}</h1>
        {status && <ConnectionIndicator status={status} synced={feed.synced} />}
        <span className="muted small">
          {formatDay(day)} · times in {viewerTimeZone}
        </span>
      </div>
      <div className="toolbar desk__filters">
        <div className="day-nav" role="group" aria-label="Choose the day">
          <button type="button" onClick={() => setDay(shift(day, -1))} aria-label="Previous day">
            ‹
          </button>
          <button type="button" onClick={() => setDay(shift(new Date(), 0))} disabled={isToday}>
            Today
          </button>
          <button type="button" onClick={() => setDay(shift(day, 1))} aria-label="Next day">
            ›
          </button>
          <label className="visually-hidden" htmlFor="desk-day">
            Board day
          </label>
          <input
            id="desk-day"
            type="date"
            value={toDateInput(day)}
            onChange={(e) => {
              const picked = fromLocalInputs(e.target.value, '00:00');
              if (picked) setDay(picked);
            }}
          />
        </div>
        <label htmlFor="desk-doctor-filter">Doctor</label>
        <select id="desk-doctor-filter" value={doctorId} onChange={(e) => setDoctorId(e.target.value)}>
          <option value="">All doctors</option>
          {practice.doctors.map((doctor) => (
            <option key={doctor.id} value={doctor.id}>
              {doctor.name}
            </option>
          ))}
        </select>
      </div>
      {feedError && (
        <p role="alert" className="error">
          Live updates stopped: {feedError}
        </p>
      )}
      {/* The practice's live counters of today (practiceToday), whatever day the board shows. */}
      <section className="panel" aria-labelledby="desk-today-title" data-testid="today-board">
        <TodayCounters wsClient={wsClient} practiceId={practice.id} timeZone={practice.timeZone} headingId="desk-today-title" />
      </section>
      <FlowBoard
        practiceId={practice.id}
        range={range}
        title={isToday ? "Today's flow" : `Flow of ${formatDay(day)}`}
        doctors={shown}
        onLoaded={feed.replay}
      />
      {/* A doctor without hours is offered only when the practice allows it (Doctor.bookable). */}
      <PatientSearch practiceId={practice.id} doctors={practice.doctors.filter((doctor) => doctor.bookable)} />
    </div>
  );
}
