import { useEffect, useMemo, useRef, useState } from 'react';
import { useApolloClient, useQuery } from '@apollo/client/react';
import type { Client } from 'graphql-ws';
import { useConnectionTracker } from '../../connection-status';
import type { Session } from '../../session';
import { localDayRange, viewerTimeZone } from '../../time';
import { ConnectionIndicator } from './connection-indicator';
import { DOCTOR_PATIENTS, PAGE_SIZE } from './patient-list.graphql';
import { PatientDetail } from './patient-detail';
import { PatientList } from './patient-list';
import { Schedule } from './schedule';
import { usePatientFeed } from './use-patient-feed';
import { useClinicFeed } from './use-clinic-feed';
import { WeekSchedule } from './week-schedule';

/** How long a row added or moved up live stays highlighted. */
const HIGHLIGHT_MS = 6000;

export function DashboardPage({ session, wsClient }: { session: Session; wsClient: Client }) {
  const client = useApolloClient();
  const doctorId = session.userId;
  const [day, setDay] = useState(() => new Date());
  const range = useMemo(() => localDayRange(day), [day]);
  const status = useConnectionTracker(wsClient);

  const { data, loading, error, refetch, fetchMore } = useQuery(DOCTOR_PATIENTS, { variables: { doctorId, first: PAGE_SIZE } });
  const [loadingMore, setLoadingMore] = useState(false);
  const [unseen, setUnseen] = useState(0);
  const [highlighted, setHighlighted] = useState<ReadonlySet<string>>(new Set());
  const [feedError, setFeedError] = useState<string | null>(null);
  const [openPatientId, setOpenPatientId] = useState<string | null>(null);
  const highlightTimers = useRef(new Set<ReturnType<typeof setTimeout>>());
  useEffect(() => {
    const timers = highlightTimers.current;
    return () => timers.forEach(clearTimeout);
  }, []);

  usePatientFeed({
    client,
    wsClient,
    doctorId,
    listLoaded: Boolean(data),
    list: data?.doctorPatients,
    onChange: (event) => {
      setUnseen((count) => count + 1);
      const id = event.patient.id;
      setHighlighted((ids) => new Set(ids).add(id));
      const timer = setTimeout(() => {
        highlightTimers.current.delete(timer);
        setHighlighted((ids) => {
          const next = new Set(ids);
          next.delete(id);
          return next;
        });
      }, HIGHLIGHT_MS);
      highlightTimers.current.add(timer);
    },
    onError: setFeedError,
  });

  useClinicFeed({ client, wsClient, doctorId, onError: setFeedError });

  useEffect(() => {
    document.title = unseen > 0 ? `(${unseen}) Dashboard · CareLine` : 'Dashboard · CareLine';
    return () => {
      document.title = 'CareLine';
    };
  }, [unseen]);

  const connection = data?.doctorPatients;
  // Read from the list on every render, so live changes show in the open panel too.
  const openPatient = connection?.edges.find((edge) => edge.node.id === openPatientId)?.node;
  const loadMore = async () => {
    if (!connection?.pageInfo.endCursor) return;
    setLoadingMore(true);
    try {
      await fetchMore({ variables: { after: connection.pageInfo.endCursor } });
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <div className="dashboard">
      <div className="toolbar">
        {status && <ConnectionIndicator status={status} />}
        <button
          type="button"
          className={`badge${unseen > 0 ? ' badge--active' : ''}`}
          onClick={() => setUnseen(0)}
          data-testid="new-bookings-badge"
        >
          {/* The visible words start the accessible name (axe: label-content-name-mismatch); the rest is for screen readers. */}
          New bookings <span className="badge__count">{unseen}</span>
          <span className="visually-hidden">{unseen > 0 ? ' since you last looked: mark as seen' : ''}</span>
        </button>
        <span className="muted small">Times in {viewerTimeZone}</span>
      </div>
      {feedError && (
        <p role="alert" className="error">
          Live updates stopped: {feedError}
        </p>
      )}
      <div className="dashboard__grid">
        <section className="panel" aria-labelledby="patients-title" aria-busy={loading}>
          <div className="panel__header">
            <h2 id="patients-title">Patients</h2>
            {connection && <span className="muted">{connection.totalCount} in total</span>}
          </div>
          {loading && !data && <p role="status">Loading your patients…</p>}
          {error && !data && (
            <p role="alert" className="error">
              Could not load your patients.{' '}
              <button type="button" className="link" onClick={() => void refetch()}>
                Try again
              </button>
            </p>
          )}
          {connection && connection.edges.length === 0 && (
            <p className="muted">No patients yet. New bookings appear here as they are made.</p>
          )}
          {connection && connection.edges.length > 0 && (
            <PatientList patients={connection.edges.map((edge) => edge.node)} highlighted={highlighted} onOpen={setOpenPatientId} />
          )}
          {connection?.pageInfo.hasNextPage && (
            <button type="button" className="secondary" onClick={() => void loadMore()} disabled={loadingMore}>
              {loadingMore ? 'Loading…' : 'Load more patients'}
            </button>
          )}
        </section>
        <Schedule doctorId={doctorId} day={day} range={range} onDayChange={setDay} />
      </div>
      <WeekSchedule doctorId={doctorId} />
      {openPatient && (
        <PatientDetail key={openPatient.id} patient={openPatient} doctorId={doctorId} onClose={() => setOpenPatientId(null)} />
      )}
    </div>
  );
}
