import type { MyAppointmentFragment } from '../../__generated__/graphql';
import { formatDateTime } from '../../time';

/** The patient's appointments that have not ended, soonest first. */
export function UpcomingAppointments({ appointments }: { appointments: readonly MyAppointmentFragment[] }) {
  const now = Date.now();
  const upcoming = appointments
    .filter((appointment) => appointment.status === 'BOOKED' && Date.parse(appointment.endsAt) > now)
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  if (upcoming.length === 0) return <p className="muted">No upcoming appointments.</p>;
  return (
    <ul className="upcoming" data-testid="upcoming-appointments">
      {upcoming.map((appointment) => (
        <li key={appointment.id}>
          <time dateTime={appointment.startsAt}>{formatDateTime(appointment.startsAt)}</time>
          <span>{appointment.doctor.name} <span className="muted">· {appointment.doctor.specialty}</span></span>
          {appointment.reason && <span className="muted">{appointment.reason}</span>}
        </li>
      ))}
    </ul>
  );
}
