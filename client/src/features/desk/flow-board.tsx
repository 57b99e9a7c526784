import { useEffect, useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import type { AppointmentStatus, BoardItemFragment } from '../../__generated__/graphql';
import { apiProblem } from '../../errors';
import { formatTime } from '../../time';
import { RescheduleForm } from '../booking/reschedule-form';
import { writeAppointment } from '../../live/appointment-policy';
import { BOARD_ITEM, CHECK_IN, MARK_NO_SHOW, PRACTICE_SCHEDULE, UNDO_CHECK_IN } from './desk.graphql';
import { useMinuteClock } from './use-minute-clock';

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
  /** "Today's flow", or the day shown. */
  readonly title: string;
  /** The doctors whose cards are shown (all of the practice's, or the one filtered on). */
  readonly doctors: ReadonlyArray<{ readonly id: string; readonly name: string }>;
  /** Called when the day's list is (re)loaded: live events seen before are placed on it. */
  readonly onLoaded: () => void;
}

/** Today's appointments of the whole practice, by status, and within each status by doctor. */
export function FlowBoard({ practiceId, range, title, doctors, onLoaded }: FlowBoardProps) {
  const { data, loading, error, refetch } = useQuery(PRACTICE_SCHEDULE, { variables: { practiceId, ...range } });
  const list = data?.practiceSchedule;
  useEffect(() => {
    if (list) onLoaded();
  }, [list, onLoaded]);
  // Read on every render: a reschedule out of the day leaves the cached list but not the board.
  const shown = new Set(doctors.map((doctor) => doctor.id));
  const today = (data?.practiceSchedule ?? []).filter(
    (item) =>
      shown.has(item.doctor.id) && Date.parse(item.startsAt) < Date.parse(range.to) && Date.parse(item.endsAt) > Date.parse(range.from),
  );
  return (
    <section className="panel flow-board" aria-labelledby="board-title" aria-busy={loading}>
      <div className="panel__header">
        <h2 id="board-title">{title}</h2>
        {data && <span className="muted">{today.filter((item) => item.status !== 'CANCELLED').length} visits</span>}
      </div>
      {loading && !data && <p role="status">Loading the day's appointments…</p>}
      {error && (
        <p role="alert" className="error">
          Could not load the day's appointments.{' '}
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

/** How long after a check-in "Undo" is offered (the server's window, undoCheckIn). */
const UNDO_WINDOW_MS = 5 * 60_000;

/**
 * "arrived 09:12 · waiting 14 min", recomputed each minute from this browser's clock, and "Undo"
 * while the check-in is under 5 minutes old (the server decides by its own clock and explains a
 * refusal). The undone appointment comes back BOOKED: written past the forward-only status merge.
 */
function ArrivalLine({ item, checkedInAt }: { item: BoardItemFragment; checkedInAt: string }) {
  const now = useMinuteClock();
  const [undo, undoing] = useMutation(UNDO_CHECK_IN);
  const [problem, setProblem] = useState<string | null>(null);
  const arrived = Date.parse(checkedInAt);
  const waiting = Math.max(0, Math.floor((now - arrived) / 60_000));
  const run = async () => {
    setProblem(null);
    try {
      await undo({
        variables: { id: item.id },
        update: (cache, { data }) => {
          if (data)
            writeAppointment(cache, () => cache.writeFragment({ fragment: BOARD_ITEM, data: data.undoCheckIn }), item, 'CHECK_IN_UNDONE');
        },
      });
    } catch (error) {
      setProblem(apiProblem(error).message);
    }
  };
  return (
    <>
      <p className="flow-card__arrival small" data-testid="arrival">
        arrived <time dateTime={checkedInAt}>{formatTime(checkedInAt)}</time> · waiting {waiting} min
      </p>
      {now - arrived < UNDO_WINDOW_MS && (
        <div className="flow-card__actions">
          <button
            type="button"
            className="secondary"
            disabled={undoing.loading}
            onClick={() => void run()}
            aria-label={`Undo the check-in of ${item.patient.name}`}
          >
            Undo
          </button>
        </div>
      )}
      {problem && (
        <p role="alert" className="field-error">
          {problem}
        </p>
      )}
    </>
  );
}

function BoardCard({ item }: { item: BoardItemFragment }) {
  const [checkIn, checkingIn] = useMutation(CHECK_IN);
  const [markNoShow, marking] = useMutation(MARK_NO_SHOW);
  const [problem, setProblem] = useState<string | null>(null);
  const [moving, setMoving] = useState(false);
  const [confirmingNoShow, setConfirmingNoShow] = useState(false);
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
      {item.status === 'BOOKED' && item.confirmedAt && <span className="tag"> Confirmed</span>}
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
          {started && !confirmingNoShow && (
            <button
              type="button"
              className="secondary"
              disabled={busy}
              onClick={() => setConfirmingNoShow(true)}
              aria-label={`Mark ${item.patient.name} as a no-show`}
            >
              No-show
            </button>
          )}
          {started && confirmingNoShow && (
            // A no-show is final (the server has no way back): asked once more, inline.
            <>
              <span>No-show?</span>
              <button
                type="button"
                disabled={busy}
                onClick={() => void run(() => markNoShow({ variables: { id: item.id } })).then(() => setConfirmingNoShow(false))}
                aria-label={`Yes, ${item.patient.name} did not come`}
              >
                Yes, mark it
              </button>
              <button type="button" className="secondary" onClick={() => setConfirmingNoShow(false)}>
                Keep booked
              </button>
            </>
          )}
          {!started && !moving && (
            <button type="button" className="secondary" onClick={() => setMoving(true)} aria-label={`Reschedule ${item.patient.name}`}>
              Reschedule
            </button>
          )}
        </div>
      )}
      {item.status === 'CHECKED_IN' && item.checkedInAt && <ArrivalLine item={item} checkedInAt={item.checkedInAt} />}
      {item.status === 'BOOKED' && moving && (
        <RescheduleForm appointment={item} label={item.patient.name} onDone={() => setMoving(false)} />
      )}
      {problem && (
        <p role="alert" className="field-error">
          {problem}
        </p>
      )}
    </li>
  );
}
