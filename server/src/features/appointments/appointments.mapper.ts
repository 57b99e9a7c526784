import { z } from 'zod';
import { AppointmentStatus } from '../../generated/prisma/enums';
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
  cancellationReason: string | null;
  /** When the patient was checked in; null (or absent: a new booking) when not checked in, or the check-in was undone. */
  checkedInAt?: Date | null;
  /** When the patient confirmed they will come; null (or absent: a new booking) when not confirmed. */
  confirmedAt?: Date | null;
}

/**
 * An appointment as it crosses pub/sub and sits in the outbox: plain JSON, dates as ISO strings.
 * Checked against this schema whenever it is read back (live/topics.ts).
 */
export const AppointmentJson = z.object({
  id: z.string(),
  doctorId: z.string(),
  patientId: z.string(),
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
  status: z.enum(AppointmentStatus),
  reason: z.string().nullable(),
  /** Absent in events stored before cancellation existed. */
  cancellationReason: z.string().nullable().optional(),
  /** Absent in events stored before arrival times were shown. */
  checkedInAt: z.iso.datetime().nullable().optional(),
  /** Absent in events stored before confirmations existed. */
  confirmedAt: z.iso.datetime().nullable().optional(),
});
export type AppointmentJson = z.infer<typeof AppointmentJson>;

export function toAppointment(row: AppointmentRow): Appointment {
  return {
    id: row.id,
    doctorId: row.doctorId,
    patientId: row.patientId,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    status: row.status,
    reason: row.reason,
    cancellationReason: row.cancellationReason,
    checkedInAt: row.checkedInAt ?? null,
    confirmedAt: row.confirmedAt ?? null,
  };
}

export function serializeAppointment(row: AppointmentRow): AppointmentJson {
  return {
    id: row.id,
    doctorId: row.doctorId,
    patientId: row.patientId,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    status: row.status,
    reason: row.reason,
    cancellationReason: row.cancellationReason,
    checkedInAt: row.checkedInAt?.toISOString() ?? null,
    confirmedAt: row.confirmedAt?.toISOString() ?? null,
  };
}

export function deserializeAppointment(json: AppointmentJson): Appointment {
  return toAppointment({
    ...json,
    startsAt: new Date(json.startsAt),
    endsAt: new Date(json.endsAt),
    cancellationReason: json.cancellationReason ?? null,
    checkedInAt: json.checkedInAt ? new Date(json.checkedInAt) : null,
    confirmedAt: json.confirmedAt ? new Date(json.confirmedAt) : null,
  });
}
