import { z } from 'zod';
import { AppointmentStatus } from '../../generated/prisma/enums';
import { timestamp } from '../../platform/sql-values';
import type { AppointmentRow } from './appointments.mapper';

/**
 * The columns of an appointment that raw-SQL reads return (appointments.sql.ts,
 * appointments.changes.sql.ts), named once: as a select list, as a JSON object (for a row that
 * may not exist beside others that do), and decoded into an AppointmentRow.
 */
const COLUMNS = [
  'id',
  'doctor_id',
  'patient_id',
  'starts_at',
  'ends_at',
  'status',
  'reason',
  'cancellation_reason',
  'checked_in_at',
  'confirmed_at',
] as const;

/** `a.id, a.doctor_id, ...` for the table aliased `alias`. */
export function appointmentColumns(alias: string): string {
  return COLUMNS.map((column) => `${alias}.${column}`).join(', ');
}

/** The same columns as one JSON object, NULL when the row `alias` is missing (a LEFT JOIN found none). */
export function appointmentColumnsJson(alias: string): string {
  const pairs = COLUMNS.map((column) => `'${column}', ${alias}.${column}`).join(', ');
  return `CASE WHEN ${alias}.id IS NULL THEN NULL ELSE json_build_object(${pairs}) END`;
}

export const AppointmentColumns = z.object({
  id: z.string(),
  doctor_id: z.string(),
  patient_id: z.string(),
  starts_at: timestamp,
  ends_at: timestamp,
  status: z.enum(AppointmentStatus),
  reason: z.string().nullable(),
  cancellation_reason: z.string().nullable(),
  checked_in_at: timestamp.nullable(),
  confirmed_at: timestamp.nullable(),
} satisfies Record<(typeof COLUMNS)[number], z.ZodType>);

export function toAppointmentRow(row: z.infer<typeof AppointmentColumns>): AppointmentRow {
  return {
    id: row.id,
    doctorId: row.doctor_id,
    patientId: row.patient_id,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    status: row.status,
    reason: row.reason,
    cancellationReason: row.cancellation_reason,
    checkedInAt: row.checked_in_at,
    confirmedAt: row.confirmed_at,
  };
}
