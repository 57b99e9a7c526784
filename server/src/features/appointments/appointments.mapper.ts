import type { Appointment } from './appointments.type';

/** The columns of an appointment that the API shows. */
export interface AppointmentRow {
  id: string;
  doctorId: string;
  patientId: string;
  startsAt: Date;
  endsAt: Date;
  status: Appointment['status'];
  reason: string | null;
}

export function toAppointment(row: AppointmentRow): Appointment {
  return {
    id: row.id,
    doctorId: row.doctorId,
    patientId: row.patientId,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    status: row.status,
    reason: row.reason,
  };
}
