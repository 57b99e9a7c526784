import type { PatientRowFragment } from '../../__generated__/graphql';
import { formatDateTime } from '../../time';

/** Age in whole years, from an ISO date of birth. */
function age(dateOfBirth: string, now: Date): number {
  const born = new Date(dateOfBirth);
  let years = now.getFullYear() - born.getFullYear();
  if (now.getMonth() < born.getMonth() || (now.getMonth() === born.getMonth() && now.getDate() < born.getDate())) years -= 1;
  return years;
}

function nextAppointment(patient: PatientRowFragment, now: Date) {
  // The soonest, not the first: a live reschedule changes a time without reordering the list.
  return patient.appointments
    .filter((appointment) => appointment.status === 'BOOKED' && Date.parse(appointment.endsAt) > now.getTime())
    .reduce<PatientRowFragment['appointments'][number] | undefined>(
      (soonest, a) => (!soonest || Date.parse(a.startsAt) < Date.parse(soonest.startsAt) ? a : soonest),
      undefined,
    );
}

function Vitals({ vitals }: { vitals: PatientRowFragment['latestVitals'] }) {
  if (!vitals) return <span className="muted">None recorded</span>;
  const parts = [
    vitals.heartRate != null && `HR ${vitals.heartRate}`,
    vitals.systolic != null && vitals.diastolic != null && `BP ${vitals.systolic}/${vitals.diastolic}`,
    vitals.temperatureC != null && `${vitals.temperatureC.toFixed(1)}\u00a0°C`,
    vitals.spo2Percent != null && `SpO₂ ${vitals.spo2Percent}%`,
  ].filter(Boolean);
  return <span title={`Recorded ${formatDateTime(vitals.recordedAt)}`}>{parts.join(' · ')}</span>;
}

export interface PatientListProps {
  readonly patients: readonly PatientRowFragment[];
  /** Patients just added or moved up live: highlighted briefly. */
  readonly highlighted: ReadonlySet<string>;
  /** Opens the patient's detail panel. */
  readonly onOpen: (patientId: string) => void;
}

/** The doctor's patients, newest booking first: a table on wide screens, stacked cards on a phone. */
export function PatientList({ patients, highlighted, onOpen }: PatientListProps) {
  const now = new Date();
  return (
    <table className="patients">
      <caption className="visually-hidden">Your patients, most recent booking first</caption>
      <thead>
        <tr>
          <th scope="col">Patient</th>
          <th scope="col">Next appointment</th>
          <th scope="col">Reason</th>
          <th scope="col">Latest vitals</th>
        </tr>
      </thead>
      <tbody>
        {patients.map((patient) => {
          const next = nextAppointment(patient, now);
          const last = patient.appointments.at(-1);
          return (
            <tr key={patient.id} className={highlighted.has(patient.id) ? 'is-new' : undefined} data-patient-id={patient.id}>
              <th scope="row" data-label="Patient">
                <button type="button" className="link patient-name" onClick={() => onOpen(patient.id)} aria-haspopup="dialog">
                  {patient.name}
                </button>
                {patient.dateOfBirth && <span className="muted"> · {age(patient.dateOfBirth, now)} y</span>}
                {highlighted.has(patient.id) && <span className="tag">New booking</span>}
              </th>
              <td data-label="Next appointment">
                {next ? (
                  <time dateTime={next.startsAt}>{formatDateTime(next.startsAt)}</time>
                ) : (
                  <span className="muted">None upcoming</span>
                )}
              </td>
              <td data-label="Reason">{(next ?? last)?.reason ?? <span className="muted">Not given</span>}</td>
              <td data-label="Latest vitals">
                <Vitals vitals={patient.latestVitals} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
