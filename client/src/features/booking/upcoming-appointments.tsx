import { useRef, useState } from 'react';
import { useMutation } from '@apollo/client/react';
import type { MyAppointmentFragment } from '../../__generated__/graphql';
import { apiProblem } from '../../errors';
import { keepFocusNear } from '../../focus';
import { formatDateTime } from '../../time';
import { AVAILABLE_SLOTS, CANCEL_MY_APPOINTMENT, CONFIRM_MY_APPOINTMENT } from './booking.graphql';
import { RescheduleForm } from './reschedule-form';

/** The patient's appointments that have not ended, soonest first, each with a cancel button. */
export function UpcomingAppointments({ appointments }: { appointments: readonly MyAppointmentFragment[] }) {
  const now = Date.now();
  const upcoming = appointments
    .filter((appointment) => appointment.status === 'BOOKED' && Date.parse(appointment.endsAt) > now)
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  if (upcoming.length === 0) return <p className="muted">No upcoming appointments.</p>;
  return (
    <ul className="upcoming" data-testid="upcoming-appointments">
      {upcoming.map((appointment) => (
        <UpcomingItem key={appointment.id} appointment={appointment} />
      ))}
    </ul>
  );
}

/**
 * One appointment. Cancelling asks once more inline (no browser dialog); the cancelled appointment
 * comes back from the mutation (and from myAppointmentUpdated) and leaves the list by its status.
 */
function UpcomingItem({ appointment }: { appointment: MyAppointmentFragment }) {
  const [confirming, setConfirming] = useState(false);
  const [moving, setMoving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  // The freed time shows up again in an open slot picker.
  const [cancel, { loading }] = useMutation(CANCEL_MY_APPOINTMENT, { refetchQueries: [AVAILABLE_SLOTS] });
  const [confirmComing, confirmingComing] = useMutation(CONFIRM_MY_APPOINTMENT);
  const started = Date.parse(appointment.startsAt) <= Date.now();
  const sayComing = async () => {
    setProblem(null);
    try {
      await confirmComing({ variables: { id: appointment.id } });
    } catch (error) {
      setProblem(apiProblem(error).message);
    }
  };
  const when = formatDateTime(appointment.startsAt);
  const item = useRef<HTMLLIElement>(null);
  const confirm = async () => {
    if (loading) return;
    setProblem(null);
    // The cancelled appointment leaves the list: focus goes to the next one's Cancel, or the heading.
    const refocus = keepFocusNear(item.current, () => document.getElementById('upcoming-title'));
    try {
      await cancel({ variables: { id: appointment.id } });
      refocus();
    } catch (error) {
      setProblem(apiProblem(error).message);
    }
  };
  return (
    <li data-appointment-id={appointment.id} ref={item}>
      <time dateTime={appointment.startsAt}>{when}</time>
      <span>
        {appointment.doctor.name} <span className="muted">· {appointment.doctor.specialty}</span>
      </span>
      {appointment.reason && <span className="muted">{appointment.reason}</span>}
      {appointment.confirmedAt && (
        <span className="tag" data-testid="confirmed-tag">
          Confirmed
        </span>
      )}
      <div className="upcoming__actions">
        {!confirming && !moving && (
          <>
            {!appointment.confirmedAt && !started && (
              <button
                type="button"
                disabled={confirmingComing.loading}
                onClick={() => void sayComing()}
                aria-label={`I will come to the appointment with ${appointment.doctor.name} on ${when}`}
              >
                I will come
              </button>
            )}
            <button
              type="button"
              className="secondary"
              onClick={() => setMoving(true)}
              aria-label={`Reschedule the appointment with ${appointment.doctor.name} on ${when}`}
            >
              Reschedule
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => setConfirming(true)}
              aria-label={`Cancel the appointment with ${appointment.doctor.name} on ${when}`}
            >
              Cancel
            </button>
          </>
        )}
        {confirming && (
          <>
            <span>Cancel this appointment?</span>
            <button type="button" onClick={() => void confirm()} aria-disabled={loading}>
              {loading ? 'Cancelling…' : 'Yes, cancel it'}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)} disabled={loading}>
              Keep it
            </button>
          </>
        )}
      </div>
      {moving && (
        <RescheduleForm
          appointment={appointment}
          label={`the appointment with ${appointment.doctor.name}`}
          onDone={() => setMoving(false)}
        />
      )}
      {problem && (
        <p role="alert" className="field-error">
          {problem}
        </p>
      )}
    </li>
  );
}
