import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { encodeEventCursor } from '../../live/cursors';
import { Patient } from '../patients/patients.type';
import { deserializeAppointment, type AppointmentJson } from './appointments.mapper';
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
  readonly appointment: AppointmentJson;
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
    appointment: deserializeAppointment(appointment),
  };
}

/** What happened to an existing appointment. */
export enum AppointmentChange {
  CANCELLED = 'CANCELLED',
  RESCHEDULED = 'RESCHEDULED',
  COMPLETED = 'COMPLETED',
}
registerEnumType(AppointmentChange, { name: 'AppointmentChange', description: 'What happened to an existing appointment.' });

/** Stored and published for every cancel, reschedule and completion, once on each party's stream. */
export interface AppointmentUpdatedPayload {
  /** Position in the stream it was written to (the doctor's or the patient's). */
  readonly seq: number;
  readonly change: AppointmentChange;
  /** The appointment after the change. */
  readonly appointment: AppointmentJson;
}

@ObjectType({ description: 'An appointment after a change, delivered once the change is committed. Merge it by id.' })
export class AppointmentUpdatedEvent {
  @Field({ description: 'Resume point: pass it back as `after` to receive only later events.' })
  cursor!: string;

  @Field(() => AppointmentChange)
  change!: AppointmentChange;

  @Field(() => Appointment, { description: 'The whole appointment as it is now.' })
  appointment!: Appointment;
}

export function toAppointmentUpdatedEvent(payload: AppointmentUpdatedPayload): AppointmentUpdatedEvent {
  return { cursor: encodeEventCursor(payload.seq), change: payload.change, appointment: deserializeAppointment(payload.appointment) };
}
