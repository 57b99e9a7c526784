import { assertCanReadPatientChart, assertCanTreatPatient, type AppointmentScope, type Viewer } from '../../accounts/authorization';
import { AuditAction } from '../../audit/audit-entry';
import type { AuditTrail } from '../../audit/audit-trail';
import { recordChartRead } from '../../audit/chart-reads';
import type { EventStreams } from '../../live/event-streams';
import { doctorStream, patientStream } from '../../live/streams';
import { notFound } from '../../platform/errors';
import type { PrismaClient } from '../../generated/prisma/client';
import type { RelationshipService } from '../care/care.service';
import { serializePatient } from '../patients/patients.json';
import { PATIENT_SELECT } from '../patients/patients.service';
import { VitalsTopic, type VitalsRecordedPayload } from './vitals.events';
import { serializeVitals, toVitals, toVitalsFromSql, VITALS_SELECT, type VitalsSqlRow } from './vitals.mapper';
import { validateHistorySize, validateVitals, type VitalsMeasurements } from './vitals.rules';
import type { Vitals } from './vitals.type';

/** Vitals taken at the desk: recording them (with their events), the patient's history and latest values. */
export class VitalsService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly events: EventStreams,
    private readonly relationships: RelationshipService,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * A doctor who treats the patient now records measurements. The row and one event per doctor
   * who treats them now (features/care: not one whose only booking was cancelled) plus one for the
   * patient commit together; the events are published after commit.
   */
  async recordVitals(viewer: Viewer | undefined, patientId: string, input: VitalsMeasurements): Promise<Vitals> {
    const doctor = await assertCanTreatPatient(viewer, patientId, this.relationships, 'record vitals');
    const measurements = validateVitals(input);
    const row = await this.events.transaction(async (tx, emit) => {
      const patient = await tx.patient.findUnique({ where: { id: patientId }, select: PATIENT_SELECT });
      if (!patient) throw notFound('Patient');
      const created = await tx.vitals.create({ data: { patientId, recordedById: doctor.userId, ...measurements }, select: VITALS_SELECT });
      const build = (seq: number): VitalsRecordedPayload => ({ seq, patient: serializePatient(patient), vitals: serializeVitals(created) });
      // Doctors' streams in id order, then the patient's: the same lock order as every other writer.
      for (const doctorId of await this.relationships.doctorsOfPatient(patientId, tx)) {
        emit(doctorStream(doctorId), VitalsTopic.VitalsRecorded, build);
      }
      emit(patientStream(patientId), VitalsTopic.MyVitalsRecorded, build);
      await this.audit.write(tx, doctor, [{ action: AuditAction.RecordVitals, patientId, objectType: 'vitals', objectId: created.id }]);
      return created;
    });
    return toVitals(row);
  }

  /** The patient's vitals, newest first, `first` at a time before `before`. The patient, or a doctor of theirs. */
  async patientVitals(viewer: Viewer | undefined, patientId: string, first: number, before?: Date | null): Promise<Vitals[]> {
    const reader = await recordChartRead(this.audit, AuditAction.ReadVitals, viewer, patientId, () =>
      assertCanReadPatientChart(viewer, patientId, this.relationships),
    );
    const rows = await this.prisma.vitals.findMany({
      where: { patientId, ...(before ? { recordedAt: { lt: before } } : {}) },
      orderBy: [{ recordedAt: 'desc' }, { id: 'desc' }],
      take: validateHistorySize(first),
      select: VITALS_SELECT,
    });
    await reader.recorded('vitals');
    return rows.map(toVitals);
  }

  /**
   * Each patient's most recent vitals in one query. A doctor sees them only for patients they
   * treat now, a patient only their own; anyone else (staff included) sees none.
   */
  async latestVitalsOfPatients(scope: AppointmentScope, patientIds: readonly string[]): Promise<Array<Vitals | null>> {
    // Staff never see vitals: the front desk is no clinical role.
    if (scope === 'none' || 'staffId' in scope) return patientIds.map(() => null);
    // Who treats whom is decided in one place (features/care/care.service.ts), never re-derived here.
    const ids = 'doctorId' in scope
      ? [...(await this.relationships.patientsOfDoctorAmong(scope.doctorId, patientIds))]
      : patientIds.filter((id) => id === scope.patientId);
    if (ids.length === 0) return patientIds.map(() => null);
    const rows = await this.prisma.$queryRaw<VitalsSqlRow[]>`
      SELECT DISTINCT ON (v.patient_id) v.id, v.patient_id, v.recorded_at, v.heart_rate, v.systolic, v.diastolic,
             v.temperature_c, v.spo2_percent, v.respiratory_rate, v.weight_kg
      FROM vitals v
      WHERE v.patient_id = ANY(${ids}::uuid[])
      ORDER BY v.patient_id, v.recorded_at DESC`;
    const byPatient = new Map(rows.map((row) => [row.patient_id, toVitalsFromSql(row)]));
    return patientIds.map((id) => byPatient.get(id) ?? null);
  }
}

declare module '../../graphql/request-context' {
  interface RequestServices {
    readonly vitals: VitalsService;
  }
}
