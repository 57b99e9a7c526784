import type { AppointmentUpdatedPayload, PatientAddedPayload } from '../features/appointments/appointments.events';
import type { VitalsRecordedPayload } from '../features/vitals/vitals.events';

/** Every pub/sub topic, and the payload each carries. Call sites use these names, never strings. */
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
