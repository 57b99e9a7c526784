import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { z } from 'zod';
import { encodeEventCursor } from '../../live/cursors';
import { defineTopic } from '../../live/topics';
import { Patient } from '../patients/patients.type';
import { PatientJson, toPatientFromJson } from '../patients/patients.json';
import { AppointmentJson, deserializeAppointment } from './appointments.mapper';
import { Appointment } from './appointments.type';

/**
 * What is stored in the outbox and crosses pub/sub when a booking commits: plain JSON, dates as
 * ISO strings, complete enough that a subscriber resolves the event without asking the database.
 */
export const PatientAddedPayload = z.object({
  /** Position in the doctor's event stream: gap-free, in commit order. */
  seq: z.number().int().positive(),
  doctorId: z.string(),
  firstVisit: z.boolean(),
  patient: PatientJson,
  appointment: AppointmentJson,
});
export type PatientAddedPayload = z.infer<typeof PatientAddedPayload>;

/** What happened to an existing appointment. */
export enum AppointmentChange {
  CANCELLED = 'CANCELLED',
  RESCHEDULED = 'RESCHEDULED',
  COMPLETED = 'COMPLETED',
  CHECKED_IN = 'CHECKED_IN',
  /** A check-in undone within its window: BOOKED again. */
  CHECK_IN_UNDONE = 'CHECK_IN_UNDONE',
  NO_SHOW = 'NO_SHOW',
  /** The patient confirmed they will come (still BOOKED; confirmedAt set). */
  CONFIRMED = 'CONFIRMED',
}
registerEnumType(AppointmentChange, { name: 'AppointmentChange', description: 'What happened to an existing appointment.' });

/** Stored and published for every cancel, reschedule, completion, check-in (and its undo), no-show and confirmation, once on each party's stream (doctor, practice, patient). */
export const AppointmentUpdatedPayload = z.object({
  /** Position in the stream it was written to (the doctor's or the patient's). */
  seq: z.number().int().positive(),
  change: z.enum(AppointmentChange),
  /** The appointment after the change. */
  appointment: AppointmentJson,
});
export type AppointmentUpdatedPayload = z.infer<typeof AppointmentUpdatedPayload>;

declare module '../../live/topics' {
  interface TopicPayloads {
    PATIENT_ADDED: PatientAddedPayload;
    APPOINTMENT_UPDATED: AppointmentUpdatedPayload;
    MY_APPOINTMENT_UPDATED: AppointmentUpdatedPayload;
    PRACTICE_PATIENT_ADDED: PatientAddedPayload;
    PRACTICE_APPOINTMENT_UPDATED: AppointmentUpdatedPayload;
  }
}

/** The appointments feature's topics. Events travel on their stream's channel; a subscription picks its topic. */
export const AppointmentTopic = {
  /** On the doctor's stream: every booking with them. */
  PatientAdded: defineTopic('PATIENT_ADDED', PatientAddedPayload),
  /** On the doctor's stream, ordered with PatientAdded: every change to their appointments. */
  AppointmentUpdated: defineTopic('APPOINTMENT_UPDATED', AppointmentUpdatedPayload),
  /** On the patient's stream: every change to their own appointments. */
  MyAppointmentUpdated: defineTopic('MY_APPOINTMENT_UPDATED', AppointmentUpdatedPayload),
  /** On the practice's stream: every booking with one of its doctors (firstVisit: first with the practice). */
  PracticePatientAdded: defineTopic('PRACTICE_PATIENT_ADDED', PatientAddedPayload),
  /** On the practice's stream, ordered with PracticePatientAdded: every change to its appointments. */
  PracticeAppointmentUpdated: defineTopic('PRACTICE_APPOINTMENT_UPDATED', AppointmentUpdatedPayload),
} as const;

@ObjectType({ description: 'A booking with the doctor, delivered once it is committed. Carries what a dashboard needs to merge it.' })
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
  return {
    cursor: encodeEventCursor(payload.seq),
    doctorId: payload.doctorId,
    firstVisit: payload.firstVisit,
    patient: toPatientFromJson(payload.patient),
    appointment: deserializeAppointment(payload.appointment),
  };
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
