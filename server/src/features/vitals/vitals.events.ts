import { Field, ObjectType } from 'type-graphql';
import { z } from 'zod';
import { encodeEventCursor } from '../../live/cursors';
import { defineTopic } from '../../live/topics';
import { PatientJson, toPatientFromJson } from '../patients/patients.json';
import { Patient } from '../patients/patients.type';
import { deserializeVitals, VitalsJson } from './vitals.mapper';
import { Vitals } from './vitals.type';

/** Stored and published for every recording: once per doctor with the patient on their list, once for the patient. */
export const VitalsRecordedPayload = z.object({
  /** Position in the stream it was written to (a doctor's or the patient's). */
  seq: z.number().int().positive(),
  patient: PatientJson,
  vitals: VitalsJson,
});
export type VitalsRecordedPayload = z.infer<typeof VitalsRecordedPayload>;

declare module '../../live/topics' {
  interface TopicPayloads {
    VITALS_RECORDED: VitalsRecordedPayload;
    MY_VITALS_RECORDED: VitalsRecordedPayload;
  }
}

/** The vitals feature's topics. */
export const VitalsTopic = {
  /** On the stream of each doctor who has the patient on their list. */
  VitalsRecorded: defineTopic('VITALS_RECORDED', VitalsRecordedPayload),
  /** On the patient's own stream. */
  MyVitalsRecorded: defineTopic('MY_VITALS_RECORDED', VitalsRecordedPayload),
} as const;

@ObjectType({ description: "New vitals of a patient, delivered once committed. The patient's latestVitals is now these." })
export class VitalsRecordedEvent {
  @Field({ description: 'Resume point: pass it back as `after` to receive only later events.' })
  cursor!: string;

  @Field(() => Patient)
  patient!: Patient;

  @Field(() => Vitals)
  vitals!: Vitals;
}

export function toVitalsRecordedEvent(payload: VitalsRecordedPayload): VitalsRecordedEvent {
  return { cursor: encodeEventCursor(payload.seq), patient: toPatientFromJson(payload.patient), vitals: deserializeVitals(payload.vitals) };
}
