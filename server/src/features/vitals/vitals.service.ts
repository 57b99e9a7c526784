import {
  appointmentScopeFor,
  assertCanReadPatientChart,
  assertCanTreatPatient,
  requireViewer,
  type Viewer,
} from '../../accounts/authorization';
import { Role } from '../../generated/prisma/enums';
import { isUuid } from '../../platform/validation';
import { AuditAction, isAuditedReader } from '../../audit/audit-entry';
import type { AuditTrail } from '../../audit/audit-trail';
import { recordChartRead } from '../../audit/chart-reads';
import type { DeliveryAudit } from '../../audit/deliveries';
import { recordDisclosures, type Disclosed } from '../../audit/disclosures';
import type { Transactions } from '../../live/transactions';
import { doctorStream, patientStream } from '../../live/streams';
import type { Clock } from '../../platform/clock';
import type { PrismaReader } from '../../platform/database';
import { ErrorCode, forbidden, isPublicError, notFound } from '../../platform/errors';
import type { Sql } from '../../platform/sql';
import type { CareRelationships } from '../care/care-relationships';
import { serializePatient } from '../patients/patients.json';
import { readPatient } from '../patients/patients.sql';
import { VitalsTopic, type VitalsRecordedPayload } from './vitals.events';
import { serializeVitals, toVitals, VITALS_SELECT } from './vitals.mapper';
import { validateHistorySize, validateVitals, type VitalsMeasurements } from './vitals.rules';
import { insertVitals, readLatestVitals } from './vitals.sql';
import type { Vitals } from './vitals.type';

/** A measurement column, to search the sets that have it (blood pressure: systolic, always with diastolic). */
export type MeasuredField = 'heartRate' | 'systolic' | 'temperatureC' | 'spo2Percent' | 'respiratoryRate' | 'weightKg';

/** Vitals taken at the desk: recording them (with their events), the patient's history and latest values. */
export class VitalsService {
  constructor(
    private readonly prisma: PrismaReader,
    private readonly sql: Sql,
    private readonly transactions: Transactions,
    private readonly relationships: CareRelationships,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    private readonly deliveries: DeliveryAudit,
  ) {}

  /**
   * A doctor who treats the patient now records measurements. The row and one event per doctor
   * who treats them now (features/care: not one whose only booking was cancelled) plus one for the
   * patient commit together; the events are published after commit.
   */
  async recordVitals(viewer: Viewer | undefined, patientId: string, input: VitalsMeasurements): Promise<Vitals> {
    const doctor = await assertCanTreatPatient(viewer, patientId, this.relationships, 'record vitals');
    const measurements = validateVitals(input);
    const row = await this.transactions.run(async (tx) => {
      const patient = await readPatient(tx, patientId);
      if (!patient) throw notFound('Patient');
      const [created] = await insertVitals(tx, [{ patientId, recordedById: doctor.userId, recordedAt: this.clock(), ...measurements }]);
      if (!created) throw new Error('the vitals were not stored');
      const build = (seq: number): VitalsRecordedPayload => ({ seq, patient: serializePatient(patient), vitals: serializeVitals(created) });
      // Doctors' streams in id order, then the patient's: the same lock order as every other writer.
      for (const doctorId of await this.relationships.doctorsOfPatient(tx, patientId)) {
        tx.emit(doctorStream(doctorId), VitalsTopic.VitalsRecorded, build);
      }
      tx.emit(patientStream(patientId), VitalsTopic.MyVitalsRecorded, build);
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
   * A patient's latest vitals read inside a live event (`eventKey`: graphql/live-subscription.ts
   * liveEventKeyOf): the same rule as latestVitalsOfPatients, but its audit row is a delivery of
   * that event, written once per (event, user, patient) however many sockets or replays execute it.
   */
  async latestVitalsDelivered(viewer: Viewer | undefined, patientId: string, eventKey: string): Promise<Vitals | null> {
    return (await this.readLatest(viewer, [patientId], (disclosed) => this.recordDelivered(viewer, disclosed, eventKey)))[0] ?? null;
  }

  /**
   * One set of vitals by id: the patient, or a doctor who treats them now (audited as
   * `vitals.read`). Staff are FORBIDDEN (the desk never sees clinical data); anyone else, and an
   * unknown id, NOT_FOUND: nobody learns whose vitals an id holds.
   */
  async readVitals(viewer: Viewer | undefined, id: string): Promise<{ vitals: Vitals; patientId: string }> {
    const reader = requireViewer(viewer);
    if (reader.role === Role.STAFF) throw forbidden('The front desk does not see clinical data.');
    if (!isUuid(id)) throw notFound('Vitals');
    const row = await this.prisma.vitals.findUnique({ where: { id }, select: { ...VITALS_SELECT, patientId: true } });
    if (!row) throw notFound('Vitals');
    try {
      await assertCanReadPatientChart(reader, row.patientId, this.relationships);
    } catch (error) {
      throw isPublicError(error) && error.extensions['code'] === ErrorCode.Forbidden ? notFound('Vitals') : error;
    }
    if (reader.userId !== row.patientId) {
      await this.audit.record(reader, [
        { action: AuditAction.ReadVitals, patientId: row.patientId, objectType: 'vitals', objectId: row.id },
      ]);
    }
    return { vitals: toVitals(row), patientId: row.patientId };
  }

  /**
   * The patient's vitals, newest first, `first` from `offset`, and how many there are: the same
   * rule and audit row as patientVitals (FORBIDDEN for staff and for doctors who do not treat them).
   */
  async searchVitals(
    viewer: Viewer | undefined,
    patientId: string,
    first: number,
    offset: number,
    measured?: MeasuredField,
  ): Promise<{ vitals: Vitals[]; total: number; measurements: number }> {
    const reader = await recordChartRead(this.audit, AuditAction.ReadVitals, viewer, patientId, () =>
      assertCanReadPatientChart(viewer, patientId, this.relationships),
    );
    const where = measured ? { patientId, [measured]: { not: null } } : { patientId };
    const [rows, total, counted] = await Promise.all([
      this.prisma.vitals.findMany({
        where,
        orderBy: [{ recordedAt: 'desc' }, { id: 'desc' }],
        take: first,
        skip: offset,
        select: VITALS_SELECT,
      }),
      this.prisma.vitals.count({ where }),
      // Non-null values per column: how many single measurements (FHIR Observations) there are.
      this.prisma.vitals.count({
        where,
        select: { heartRate: true, systolic: true, temperatureC: true, spo2Percent: true, respiratoryRate: true, weightKg: true },
      }),
    ]);
    await reader.recorded('vitals');
    const measurements = measured
      ? total
      : counted.heartRate + counted.systolic + counted.temperatureC + counted.spo2Percent + counted.respiratoryRate + counted.weightKg;
    return { vitals: rows.map(toVitals), total, measurements };
  }

  /**
   * Each patient's most recent vitals in one query. A doctor sees them only for patients they
   * treat now, a patient only their own; anyone else (staff included) sees none. A doctor's are
   * audited before they are returned: one `vitals.read` row per patient whose vitals are sent.
   */
  async latestVitalsOfPatients(viewer: Viewer | undefined, patientIds: readonly string[]): Promise<Array<Vitals | null>> {
    return this.readLatest(viewer, patientIds, (disclosed) =>
      recordDisclosures(this.audit, viewer, AuditAction.ReadVitals, 'vitals', disclosed),
    );
  }

  /** One delivery row per patient whose vitals are sent in the live event `eventKey` (none for the patient's own). */
  private async recordDelivered(viewer: Viewer | undefined, disclosed: readonly Disclosed[], eventKey: string): Promise<void> {
    if (!viewer) return;
    const others = disclosed.filter((item) => isAuditedReader(viewer, item.patientId));
    if (others.length === 0) return;
    const practiceId = await this.audit.actorPracticeOf(viewer);
    await Promise.all(
      others.map((item) =>
        this.deliveries.record(
          viewer,
          `${eventKey} ${item.patientId}`,
          {
            action: AuditAction.ReadVitals,
            patientId: item.patientId,
            objectType: 'vitals',
            ...(item.objectId ? { objectId: item.objectId } : {}),
          },
          practiceId,
        ),
      ),
    );
  }

  /** The read rule of latestVitalsOfPatients, with its audit as `record` (committed before the data is returned). */
  private async readLatest(
    viewer: Viewer | undefined,
    patientIds: readonly string[],
    record: (disclosed: readonly Disclosed[]) => Promise<void>,
  ): Promise<Array<Vitals | null>> {
    const scope = appointmentScopeFor(viewer);
    // Staff never see vitals: the front desk is no clinical role.
    if (scope === 'none' || 'staffId' in scope) return patientIds.map(() => null);
    // Who treats whom is decided in one place (features/care/care-relationships.ts), never re-derived here.
    const ids =
      'doctorId' in scope
        ? [...(await this.relationships.patientsOfDoctorAmong(scope.doctorId, patientIds))]
        : patientIds.filter((id) => id === scope.patientId);
    if (ids.length === 0) return patientIds.map(() => null);
    const byPatient = await readLatestVitals(this.sql, ids);
    await record([...byPatient].map(([patientId, row]) => ({ patientId, objectId: row.id })));
    return patientIds.map((id) => {
      const row = byPatient.get(id);
      return row ? toVitals(row) : null;
    });
  }
}

declare module '../../graphql/request-context' {
  interface RequestServices {
    readonly vitals: VitalsService;
  }
}
