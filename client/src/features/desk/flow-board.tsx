import { useEffect, useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import type { AppointmentStatus, BoardItemFragment } from '../../__generated__/graphql';
import { apiProblem } from '../../errors';
import { formatTime } from '../../time';
import { CHECK_IN, MARK_NO_SHOW, PRACTICE_SCHEDULE } from './desk.graphql';

/** The flow of a clinic day, left to right. Cancelled visits are left off the board. */
const COLUMNS: ReadonlyArray<{ status: AppointmentStatus; title: string }> = [
  { status: 'BOOKED', title: 'Booked' },
  { status: 'CHECKED_IN', title: 'Checked in' },
  { status: 'COMPLETED', title: 'Completed' },
  { status: 'NO_SHOW', title: 'No-show' },
];

export interface FlowBoardProps {
  readonly practiceId: string;
  readonly range: { readonly from: string; readonly to: string };
  readonly doctors: ReadonlyArray<{ readonly id: string; readonly name: string }>;
  /** Called when the day's list is (re)loaded: live events seen before are placed on it. */
  readonly onLoaded: () => void;
}

/** Today's appointments of the whole practice, by status, and within each status by doctor. */
export function FlowBoard({ practiceId, range, doctors, onLoaded }: FlowBoardProps) {
  const { data, loading, error, refetch } = useQuery(PRACTICE_SCHEDULE, { variables: { practiceId, ...range } });
  const list = data?.practiceSchedule;
  useEffect(() => {
    if (list) onLoaded();
  }, [list, onLoaded]);
  // Read on every render: a reschedule out of the day leaves the cached list but not the board.
  const today = (data?.practiceSchedule ?? []).filter(
    (item) => Date.parse(item.startsAt) < Date.parse(range.to) && Date.parse(item.endsAt) > Date.parse(range.from),
  );
  return (
    <section className="panel flow-board" aria-labelledby="board-title" aria-busy={loading}>
      <div className="panel__header">
        <h2 id="board-title">Today's flow</h2>
        {data && <span className="muted">{today.filter((item) => item.status !== 'CANCELLED').length} visits</span>}
      </div>
      {loading && !data && <p role="status">Loading today's appointments…</p>}
      {error && (
        <p role="alert" className="error">
          Could not load today's appointments.{' '}
          <button type="button" className="link" onClick={() => void refetch()}>
            Try again
          </button>
        </p>
      )}
      {data && (
        <div className="flow-board__columns">
          {COLUMNS.map((column) => (
            <section key={column.status} className="flow-column" aria-label={column.title} data-status={column.status}>
              <h3>
                {column.title} <span className="badge__count">{today.filter((item) => item.status === column.status).length}</span>
              </h3>
              {doctors.map((doctor) => {
                const items = today.filter((item) => item.status === column.status && item.doctor.id === doctor.id);
                if (items.length === 0) return null;
                return (
                  <div key={doctor.id} className="flow-column__doctor">
                    <h4 className="muted small">{doctor.name}</h4>
                    <ul>
                      {items.map((item) => (
                        <BoardCard key={item.id} item={item} />
                      ))}
                    </ul>
                  </div>
                );
              })}
            </section>
          ))}
        </div>
      )}
    </section>
  );
}

function BoardCard({ item }: { item: BoardItemFragment }) {
  const [checkIn, checkingIn] = useMutation(CHECK_IN);
  const [markNoShow, marking] = useMutation(MARK_NO_SHOW);
  const [problem, setProblem] = useState<string | null>(null);
  const run = async (action: () => Promise<unknown>) => {
    setProblem(null);
    try {
      await action();
    } catch (error) {
      setProblem(apiProblem(error).message);
    }
  };
  const started = Date.parse(item.startsAt) <= Date.now();
  const busy = checkingIn.loading || marking.loading;
  return (
    <li className="flow-card" data-appointment-id={item.id} data-status={item.status}>
      <span className="schedule__when">
        <time dateTime={item.startsAt}>{formatTime(item.startsAt)}</time>
      </span>{' '}
      <span className="schedule__who">{item.patient.name}</span>
      {item.reason && <span className="muted small"> · {item.reason}</span>}
      {item.status === 'BOOKED' && (
        <div className="flow-card__actions">
          <button
            type="button"
            disabled={busy}
            onClick={() => void run(() => checkIn({ variables: { id: item.id } }))}
            aria-label={`Check in ${item.patient.name}`}
          >
            Check in
          </button>
          {started && (
            <button
              type="button"
              className="secondary"
              disabled={busy}
              onClick={() => void run(() => markNoShow({ variables: { id: item.id } }))}
              aria-label={`Mark ${item.patient.name} as a no-show`}
            >
              No-show
            </button>
          )}
        </div>
      )}
      {problem && (
        <p role="alert" className="field-error">
          {problem}
        </p>
      )}
    </li>
  );
}
