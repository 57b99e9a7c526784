import { Field, Float, ID, ObjectType } from 'type-graphql';
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
  /**
   * Server clock when the booking committed, in milliseconds since the epoch with sub-millisecond
   * precision. Stamped on the live event only (after commit, so it is not in the stored outbox row);
   * absent on replayed events. The benchmark measures commit -> dashboard latency with it.
   */
  readonly committedAtMs?: number;
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

  @Field(() => Float, {
    nullable: true,
    description: 'When the booking committed, by the server clock: milliseconds since the epoch, fractional. Null on events replayed with `after`. For latency measurement.',
  })
  committedAtMs!: number | null;
}

/** Turns a payload back into the GraphQL object (dates revived). */
export function toPatientAddedEvent(payload: PatientAddedPayload): PatientAddedEvent {
  const { patient, appointment } = payload;
  return {
    cursor: encodeEventCursor(payload.seq),
    doctorId: payload.doctorId,
    firstVisit: payload.firstVisit,
    committedAtMs: payload.committedAtMs ?? null,
    patient: { id: patient.id, name: patient.name, dateOfBirth: patient.dateOfBirth ? new Date(patient.dateOfBirth) : null },
    appointment: {
      ...appointment,
      startsAt: new Date(appointment.startsAt),
      endsAt: new Date(appointment.endsAt),
    },
  };
}
