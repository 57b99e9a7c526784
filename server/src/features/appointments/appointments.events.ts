import { Field, ID, ObjectType } from 'type-graphql';
import { encodeEventCursor } from '../../core/cursors';
import type { AppointmentStatus } from '../../generated/prisma/enums';
import { Patient } from '../patients/patients.type';
import { Appointment } from './appointments.type';

/**
 * What crosses pub/sub (and is stored in the outbox) when a booking commits: plain JSON, dates as
 * ISO strings, complete enough that a subscriber resolves the event without asking the database.
 */
export interface PatientAddedPayload {
  /** Position in the doctor's event stream: gap-free, in commit order. */
  readonly seq: number;
  readonly doctorId: string;
  readonly firstVisit: boolean;
  readonly patient: { readonly id: string; readonly name: string; readonly dateOfBirth: string | null };
  readonly appointment: {
    readonly id: string;
    readonly doctorId: string;
    readonly patientId: string;
    readonly startsAt: string;
    readonly endsAt: string;
    readonly status: AppointmentStatus;
    readonly reason: string | null;
  };
}

@ObjectType({ description: "A booking with the doctor, delivered once it is committed. Carries what a dashboard needs to merge it." })
export class PatientAddedEvent {
  @Field({ description: 'Resume point: pass it back as `after` to receive only later events.' })
  cursor!: string;

  @Field(() => ID)
  doctorId!: string;

  @Field(() => Patient)
  patient!: Patient;

  @Field(() => Appointment)
  appointment!: Appointment;

  @Field({ description: "True when this booking put the patient on the doctor's list." })
  firstVisit!: boolean;
}

/** Turns a payload back into the GraphQL object (dates revived). */
export function toPatientAddedEvent(payload: PatientAddedPayload): PatientAddedEvent {
  const { patient, appointment } = payload;
  return {
    cursor: encodeEventCursor(payload.seq),
    doctorId: payload.doctorId,
    firstVisit: payload.firstVisit,
    patient: { id: patient.id, name: patient.name, dateOfBirth: patient.dateOfBirth ? new Date(patient.dateOfBirth) : null },
    appointment: {
      ...appointment,
      startsAt: new Date(appointment.startsAt),
      endsAt: new Date(appointment.endsAt),
    },
  };
}
