import { assertCanActForDoctor, type AppointmentScope, type Viewer } from '../../accounts/authorization';
import { decodeListCursor, encodeListCursor } from '../../live/cursors';
import { badUserInput } from '../../platform/errors';
import type { RelationshipService } from '../care/care.service';
import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import type { Appointment } from '../appointments/appointments.type';
import { toAppointment } from '../appointments/appointments.mapper';
import type { Vitals } from '../vitals/vitals.type';
import type { Patient, PatientConnection } from './patients.type';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

export interface PatientRow {
  id: string;
  dateOfBirth: Date | null;
  user: { name: string };
}

export const PATIENT_SELECT = { id: true, dateOfBirth: true, user: { select: { name: true } } } as const;

export function toPatient(row: PatientRow): Patient {
  return { id: row.id, name: row.user.name, dateOfBirth: row.dateOfBirth };
}

/** Patients: a doctor's list, and the per-patient data the list shows (batched for loaders). */
export class PatientService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly relationships: RelationshipService,
  ) {}

  /**
   * The doctor's patients (everyone with at least one appointment with them), newest booking
   * first, paged by cursor. Only the doctor themself may read it.
   */
  async listDoctorPatients(viewer: Viewer | undefined, doctorId: string, first: number, after?: string | null): Promise<PatientConnection> {
    assertCanActForDoctor(viewer, doctorId);
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
      throw badUserInput(`first must be a whole number from 1 to ${MAX_PAGE_SIZE}.`, 'first');
    }
    const position = after ? decodeListCursor(after) : undefined;
    const where: Prisma.DoctorPatientWhereInput = position
      ? {
          doctorId,
          OR: [
            { lastBookedAt: { lt: position.lastBookedAt } },
            { lastBookedAt: position.lastBookedAt, patientId: { lt: position.patientId } },
          ],
        }
      : { doctorId };
    const [rows, totalCount] = await Promise.all([
      this.prisma.doctorPatient.findMany({
        where,
        orderBy: [{ lastBookedAt: 'desc' }, { patientId: 'desc' }],
        take: first + 1,
        select: { lastBookedAt: true, patientId: true, patient: { select: PATIENT_SELECT } },
      }),
      this.prisma.doctorPatient.count({ where: { doctorId } }),
    ]);
    const page = rows.slice(0, first);
    const edges = page.map((row) => ({ cursor: encodeListCursor(row), node: toPatient(row.patient) }));
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount,
    };
  }

  /** Patients by id in one query, in the order asked (null where none): the loader's batch. */
  async patientsByIds(ids: readonly string[]): Promise<Array<Patient | null>> {
    const rows = await this.prisma.patient.findMany({ where: { id: { in: [...ids] } }, select: PATIENT_SELECT });
    const byId = new Map(rows.map((row) => [row.id, toPatient(row)]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** Each patient's appointments visible in `scope`, by start time, in one query. */
  async appointmentsOfPatients(scope: AppointmentScope, patientIds: readonly string[]): Promise<Appointment[][]> {
    if (scope === 'none') return patientIds.map(() => []);
    const rows = await this.prisma.appointment.findMany({
      where: { AND: [{ patientId: { in: [...patientIds] } }, scope] },
      orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
    });
    const byPatient = new Map<string, Appointment[]>();
    for (const row of rows) {
      const list = byPatient.get(row.patientId) ?? [];
      list.push(toAppointment(row));
      byPatient.set(row.patientId, list);
    }
    return patientIds.map((id) => byPatient.get(id) ?? []);
  }

  /**
   * Each patient's most recent vitals in one query. A doctor sees them only for patients on their
   * list, a patient only their own; anyone else sees none.
   */
  async latestVitalsOfPatients(scope: AppointmentScope, patientIds: readonly string[]): Promise<Array<Vitals | null>> {
    if (scope === 'none') return patientIds.map(() => null);
    // Who treats whom is decided in one place (core/relationships.ts), never re-derived here.
    const ids = 'doctorId' in scope
      ? [...(await this.relationships.patientsOfDoctorAmong(scope.doctorId, patientIds))]
      : patientIds.filter((id) => id === scope.patientId);
    if (ids.length === 0) return patientIds.map(() => null);
    const rows = await this.prisma.$queryRaw<VitalsRow[]>`
      SELECT DISTINCT ON (v.patient_id) v.id, v.patient_id, v.recorded_at, v.heart_rate, v.systolic, v.diastolic,
             v.temperature_c, v.spo2_percent, v.respiratory_rate, v.weight_kg
      FROM vitals v
      WHERE v.patient_id = ANY(${ids}::uuid[])
      ORDER BY v.patient_id, v.recorded_at DESC`;
    const byPatient = new Map(rows.map((row) => [row.patient_id, toVitals(row)]));
    return patientIds.map((id) => byPatient.get(id) ?? null);
  }
}

interface VitalsRow {
  id: string;
  patient_id: string;
  recorded_at: Date;
  heart_rate: number | null;
  systolic: number | null;
  diastolic: number | null;
  temperature_c: number | null;
  spo2_percent: number | null;
  respiratory_rate: number | null;
  weight_kg: number | null;
}

function toVitals(row: VitalsRow): Vitals {
  return {
    id: row.id,
    recordedAt: new Date(row.recorded_at),
    heartRate: row.heart_rate,
    systolic: row.systolic,
    diastolic: row.diastolic,
    temperatureC: row.temperature_c,
    spo2Percent: row.spo2_percent,
    respiratoryRate: row.respiratory_rate,
    weightKg: row.weight_kg,
  };
}
