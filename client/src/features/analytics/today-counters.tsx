import type { Client } from 'graphql-ws';
import { usePracticeToday } from './use-practice-today';

const TODAY_COUNTERS = [
  { key: 'booked', label: 'Booked' },
  { key: 'checkedIn', label: 'Checked in' },
  { key: 'completed', label: 'Completed' },
  { key: 'noShows', label: 'No-shows' },
  { key: 'cancelled', label: 'Cancelled' },
  { key: 'openSlots', label: 'Open 30-min slots' },
] as const;

/**
 * practiceToday's counters under a heading: live over the socket, the board at once and after
 * every committed change. On the analytics page and the front desk's.
 */
export function TodayCounters({
  wsClient,
  practiceId,
  timeZone,
  headingId,
}: {
  wsClient: Client;
  practiceId: string;
  timeZone: string;
  headingId: string;
}) {
  const { board, problem } = usePracticeToday(wsClient, practiceId);
  return (
    <>
      <h2 id={headingId}>Today{board ? ` · ${board.date}` : ''}</h2>
      <p className="muted small">Live: each booking, check-in or change updates these at once (days in {timeZone}).</p>
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      {!board && !problem && <p role="status">Connecting…</p>}
      {board && (
        <dl className="kpis kpis--today">
          {TODAY_COUNTERS.map((counter) => (
            <div key={counter.key} className="kpi" data-today={counter.key}>
              <dt>{counter.label}</dt>
              <dd className="kpi__value">{board[counter.key]}</dd>
            </div>
          ))}
        </dl>
      )}
    </>
  );
}
