import { useRef, useState } from 'react';
import { useMutation } from '@apollo/client/react';
import type { PatientRowFragment } from '../../__generated__/graphql';
import { apiProblem } from '../../errors';
import { keepFocusNear } from '../../focus';
import { formatDateTime } from '../../time';
import { FieldError } from './field-error';
import { STATUS_LABEL } from './schedule';
import { CANCEL_APPOINTMENT, COMPLETE_APPOINTMENT } from './patient-detail.graphql';

type Appointment = PatientRowFragment['appointments'][number];

/** The patient's appointments with this doctor, newest first, with cancel and complete. */
export function AppointmentsSection({ appointments }: { appointments: readonly Appointment[] }) {
  const ordered = [...appointments].sort((a, b) => Date.parse(b.startsAt) - Date.parse(a.startsAt));
  return (
    <section aria-labelledby="detail-appointments-title" className="detail__section">
      <h3 id="detail-appointments-title" tabIndex={-1}>
        Appointments with you
      </h3>
      {ordered.length === 0 && <p className="muted">None.</p>}
      <ul className="detail-appointments" data-testid="detail-appointments">
        {ordered.map((appointment) => (
          <AppointmentItem key={appointment.id} appointment={appointment} />
        ))}
      </ul>
    </section>
  );
}

function AppointmentItem({ appointment }: { appointment: Appointment }) {
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  // Both return the appointment: the normalized cache updates the row, the schedule and this list.
  const [cancel, cancelState] = useMutation(CANCEL_APPOINTMENT);
  const [complete, completeState] = useMutation(COMPLETE_APPOINTMENT);
  const started = Date.parse(appointment.startsAt) <= Date.now();
  // A checked-in patient is still to be seen: the doctor may complete or cancel the visit.
  const open = appointment.status === 'BOOKED' || appointment.status === 'CHECKED_IN';
  const item = useRef<HTMLLIElement>(null);
  const run = async (action: () => Promise<unknown>) => {
    setProblem(null);
    // A cancelled or completed visit loses its buttons: focus goes to the next visit's, or the heading.
    const refocus = keepFocusNear(item.current, () => document.getElementById('detail-appointments-title'));
    try {
      await action();
      setCancelling(false);
      refocus();
    } catch (error) {
      setProblem(apiProblem(error).message);
    }
  };
  const reasonId = `cancel-reason-${appointment.id}`;
  const errorId = `appointment-${appointment.id}-error`;
  return (
    <li ref={item} data-appointment-id={appointment.id} className={appointment.status === 'CANCELLED' ? 'is-cancelled' : undefined}>
      <span>
        <time dateTime={appointment.startsAt}>{formatDateTime(appointment.startsAt)}</time>
        {appointment.status !== 'BOOKED' && <span className="tag">{STATUS_LABEL[appointment.status]}</span>}
      </span>
      <span className="muted">{appointment.reason ?? 'No reason given'}</span>
      {open && !cancelling && (
        <div className="actions">
          <button type="button" className="secondary" onClick={() => setCancelling(true)}>
            Cancel…
          </button>
          {started && (
            <button
              type="button"
              onClick={() => void run(() => complete({ variables: { id: appointment.id } }))}
              disabled={completeState.loading}
            >
              Mark completed
            </button>
          )}
        </div>
      )}
      {open && cancelling && (
        <div className="actions">
          <label htmlFor={reasonId} className="visually-hidden">
            Reason for cancelling (optional)
          </label>
          <input
            id={reasonId}
            placeholder="Reason (optional)"
            maxLength={500}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            aria-describedby={problem ? errorId : undefined}
          />
          <button
            type="button"
            onClick={() => void run(() => cancel({ variables: { id: appointment.id, reason: reason.trim() || null } }))}
            disabled={cancelState.loading}
          >
            Cancel appointment
          </button>
          <button type="button" className="secondary" onClick={() => setCancelling(false)}>
            Keep
          </button>
        </div>
      )}
      <FieldError id={errorId} message={problem} />
    </li>
  );
}
