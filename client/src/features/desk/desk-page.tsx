import { useEffect, useMemo, useState } from 'react';
import { useApolloClient, useQuery } from '@apollo/client/react';
import type { Client } from 'graphql-ws';
import { useConnectionTracker, type ConnectionStatus } from '../../connection-status';
import { formatDay, localDayRange, viewerTimeZone } from '../../time';
import { ConnectionIndicator } from '../dashboard/connection-indicator';
import { DESK_CONTEXT } from './desk.graphql';
import { FlowBoard } from './flow-board';
import { PatientSearch } from './patient-search';
import { usePracticeFeed } from './use-practice-feed';

/** The front desk: today's flow for the whole practice (live), and booking for patients. */
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
  readonly doctors: ReadonlyArray<{ readonly id: string; readonly name: string }>;
}

function DeskForPractice({ practice, wsClient, status }: { practice: DeskPractice; wsClient: Client; status: ConnectionStatus | null }) {
  const client = useApolloClient();
  const [today] = useState(() => new Date());
  const range = useMemo(() => localDayRange(today), [today]);
  const [feedError, setFeedError] = useState<string | null>(null);
  const feed = usePracticeFeed({ client, wsClient, practiceId: practice.id, onError: setFeedError });
  return (
    <div className="dashboard desk">
      <div className="toolbar">
        <h1 className="desk__title">{practice.name}</h1>
        {status && <ConnectionIndicator status={status} synced={feed.synced} />}
        <span className="muted small">
          {formatDay(today)} · times in {viewerTimeZone}
        </span>
      </div>
      {feedError && (
        <p role="alert" className="error">
          Live updates stopped: {feedError}
        </p>
      )}
      <FlowBoard practiceId={practice.id} range={range} doctors={practice.doctors} onLoaded={feed.replay} />
      <PatientSearch practiceId={practice.id} doctors={practice.doctors} />
    </div>
  );
}
