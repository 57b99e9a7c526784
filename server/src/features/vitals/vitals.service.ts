import {
  assertCanActForDoctor,
  assertCanReceiveDoctorEvent,
  assertCanReceivePatientEvent,
  assertCanReadPatientChart,
  assertCanTreatPatient,
  requireRole,
  type Viewer,
} from '../../accounts/authorization';
import { WRITE_TRANSACTION_OPTIONS } from '../../platform/database';
import { notFound } from '../../platform/errors';
import type { SubscriberConnection } from '../../context';
import type { EventStreams } from '../../live/event-streams';
import { appendEvent, doctorStream, patientStream, type PendingEvent } from '../../live/outbox';
import type { RelationshipService } from '../care/care.service';
import { Topic } from '../../live/topics';
import type { PrismaClient } from '../../generated/prisma/client';
import { Role } from '../../generated/prisma/enums';
import { PATIENT_SELECT } from '../patients/patients.service';
import type { VitalsRecordedPayload } from './vitals.events';
import { serializeVitals, toVitals, VITALS_SELECT } from './vitals.mapper';
import { validateHistorySize, validateVitals, type VitalsMeasurements } from './vitals.rules';
import type { Vitals } from './vitals.type';

type Pending = PendingEvent<typeof Topic.VitalsRecorded> | PendingEvent<typeof Topic.MyVitalsRecorded>;

/** Vitals taken at the desk: recording them, the patient's history, and their live streams. */
export class VitalsService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly events: EventStreams,
    private readonly relationships: RelationshipService,
  ) {}

  /**
   * A doctor with the patient on their list records measurements. The row and one event per
   * doctor of the patient (so every dashboard listing them updates) plus one for the patient
   * commit together; the events are published after commit.
   */
  async recordVitals(viewer: Viewer | undefined, patientId: string, input: VitalsMeasurements): Promise<Vitals> {
    const doctor = await assertCanTreatPatient(viewer, patientId, this.relationships, 'record vitals');
    const measurements = validateVitals(input);
    const committed = await this.prisma.$transaction(async (tx) => {
      const patient = await tx.patient.findUnique({ where: { id: patientId }, select: PATIENT_SELECT });
      if (!patient) throw notFound('Patient');
      const row = await tx.vitals.create({ data: { patientId, recordedById: doctor.userId, ...measurements }, select: VITALS_SELECT });
      const build = (seq: number): VitalsRecordedPayload => ({
        seq,
        patient: { id: patient.id, name: patient.user.name, dateOfBirth: patient.dateOfBirth?.toISOString() ?? null },
        vitals: serializeVitals(row),
      });
      // Doctors' streams in id order, then the patient's: the same lock order as every other writer.
      const events: Pending[] = [];
      for (const doctorId of await this.relationships.doctorsOfPatient(patientId, tx)) {
        events.push(await appendEvent(tx, { stream: doctorStream(doctorId), topic: Topic.VitalsRecorded, build }));
      }
      events.push(await appendEvent(tx, { stream: patientStream(patientId), topic: Topic.MyVitalsRecorded, build }));
      return { row, events };
    }, WRITE_TRANSACTION_OPTIONS);
    this.events.committed(committed.events);
    return toVitals(committed.row);
  }

  /** The patient's vitals, newest first, `first` at a time before `before`. The patient, or a doctor of theirs. */
  async patientVitals(viewer: Viewer | undefined, patientId: string, first: number, before?: Date | null): Promise<Vitals[]> {
    await assertCanReadPatientChart(viewer, patientId, this.relationships);
    const rows = await this.prisma.vitals.findMany({
      where: { patientId, ...(before ? { recordedAt: { lt: before } } : {}) },
      orderBy: [{ recordedAt: 'desc' }, { id: 'desc' }],
      take: validateHistorySize(first),
      select: VITALS_SELECT,
    });
    return rows.map(toVitals);
  }

  /** Vitals recorded for any patient on the doctor's list; only that doctor. `after` resumes. */
  subscribeVitalsRecorded(
    viewer: Viewer | undefined,
    doctorId: string,
    after?: string | null,
    connection?: SubscriberConnection,
  ): Promise<AsyncIterableIterator<VitalsRecordedPayload>> {
    const signedIn = assertCanActForDoctor(viewer, doctorId);
    return this.events.subscribe({
      stream: doctorStream(doctorId),
      topic: Topic.VitalsRecorded,
      after,
      authorize: () => assertCanReceiveDoctorEvent(signedIn, doctorId),
      connection,
    });
  }

  /** The signed-in patient's own new vitals. `after` resumes. */
  subscribeMyVitalsRecorded(
    viewer: Viewer | undefined,
    after?: string | null,
    connection?: SubscriberConnection,
  ): Promise<AsyncIterableIterator<VitalsRecordedPayload>> {
    const signedIn = requireRole(viewer, Role.PATIENT, 'follow your vitals');
    return this.events.subscribe({
      stream: patientStream(signedIn.userId),
      topic: Topic.MyVitalsRecorded,
      after,
      authorize: () => assertCanReceivePatientEvent(signedIn, signedIn.userId),
      connection,
    });
  }
}
