import type { PatientAddedPayload } from '../features/appointments/appointments.events';

/** Every pub/sub topic, and the payload each carries. Call sites use these names, never strings. */
export const Topic = {
  PatientAdded: 'PATIENT_ADDED',
} as const;

export type TopicName = (typeof Topic)[keyof typeof Topic];

export interface TopicPayloads {
  PATIENT_ADDED: PatientAddedPayload;
}

export type TopicPayload<T extends TopicName> = TopicPayloads[T];
