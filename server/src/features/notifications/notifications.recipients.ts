import type { PrismaClient } from '../../generated/prisma/client';
import { PermanentJobError } from '../../jobs/job-types';

/** Who an appointment's mail goes to, and the names and zone it is written with. */
export interface AppointmentParties {
  readonly appointmentId: string;
  readonly status: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly patient: { readonly id: string; readonly name: string; readonly email: string };
  readonly doctor: { readonly id: string; readonly name: string; readonly email: string };
  /** The zone times are written in for the patient: the practice's (API.md). */
  readonly timeZone: string;
  readonly preferences: { readonly confirmations: boolean; readonly reminders: boolean };
}

/** Reads an appointment with its parties; a missing one is permanent (nothing to mail about). */
export async function loadAppointmentParties(prisma: PrismaClient, appointmentId: string): Promise<AppointmentParties> {
  const row = await prisma.appointment.findUnique({
    where: { id: appointmentId },
    select: {
      id: true,
      status: true,
      startsAt: true,
      endsAt: true,
      patient: { select: { id: true, user: { select: { name: true, email: true } }, notificationPreferences: true } },
      doctor: { select: { id: true, user: { select: { name: true, email: true } }, practice: { select: { timeZone: true } } } },
    },
  });
  if (!row) throw new PermanentJobError('the appointment does not exist');
  return {
    appointmentId: row.id,
    status: row.status,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    patient: { id: row.patient.id, name: row.patient.user.name, email: row.patient.user.email },
    doctor: { id: row.doctor.id, name: row.doctor.user.name, email: row.doctor.user.email },
    timeZone: row.doctor.practice.timeZone,
    preferences: {
      confirmations: row.patient.notificationPreferences?.confirmations ?? true,
      reminders: row.patient.notificationPreferences?.reminders ?? true,
    },
  };
}
