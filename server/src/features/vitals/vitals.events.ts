import { Field, ObjectType } from 'type-graphql';
import { encodeEventCursor } from '../../live/cursors';
import { Patient } from '../patients/patients.type';
import { deserializeVitals, type VitalsJson } from './vitals.mapper';
import { Vitals } from './vitals.type';

/** Stored and published for every recording: once per doctor with the patient on their list, once for the patient. */
export interface VitalsRecordedPayload {
  /** Position in the stream it was written to (a doctor's or the patient's). */
  readonly seq: number;
  readonly patient: { readonly id: string; readonly name: string; readonly dateOfBirth: string | null };
  readonly vitals: VitalsJson;
}

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
  const { patient } = payload;
  return {
    cursor: encodeEventCursor(payload.seq),
    patient: { id: patient.id, name: patient.name, dateOfBirth: patient.dateOfBirth ? new Date(patient.dateOfBirth) : null },
    vitals: deserializeVitals(payload.vitals),
  };
}
