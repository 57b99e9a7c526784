import type { AppointmentUpdatedPayload, PatientAddedPayload } from '../features/appointments/appointments.events';
import type { VitalsRecordedPayload } from '../features/vitals/vitals.events';

/**
 * Every kind of event, and the payload each carries. Call sites use these names, never strings.
 * Events travel on their outbox stream's channel (doctor:<id> or patient:<id>); a subscription
 * picks its topic out of the stream.
 */
export const Topic = {
  PatientAdded: 'PATIENT_ADDED',
  /** Channel id: the doctor. Stored on the doctor's stream, ordered with PatientAdded. */
  AppointmentUpdated: 'APPOINTMENT_UPDATED',
  /** Channel id: the patient. Stored on the patient's stream. */
  MyAppointmentUpdated: 'MY_APPOINTMENT_UPDATED',
  /** Channel id: a doctor who has the patient on their list. Stored on that doctor's stream. */
  VitalsRecorded: 'VITALS_RECORDED',
  /** Channel id: the patient. Stored on the patient's stream. */
  MyVitalsRecorded: 'MY_VITALS_RECORDED',
} as const;

export type TopicName = (typeof Topic)[keyof typeof Topic];

export interface TopicPayloads {
  PATIENT_ADDED: PatientAddedPayload;
  APPOINTMENT_UPDATED: AppointmentUpdatedPayload;
  MY_APPOINTMENT_UPDATED: AppointmentUpdatedPayload;
  VITALS_RECORDED: VitalsRecordedPayload;
  MY_VITALS_RECORDED: VitalsRecordedPayload;
}

export type TopicPayload<T extends TopicName> = TopicPayloads[T];

/**
 * One event of an outbox stream, as it crosses pub/sub and as it is read back from the outbox:
 * its position in the stream, its topic, and the topic's payload.
 */
export type StreamMessage = {
  [T in TopicName]: { readonly seq: number; readonly topic: T; readonly payload: TopicPayload<T> };
}[TopicName];
