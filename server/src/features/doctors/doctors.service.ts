import { requireViewer, type Viewer } from '../../accounts/authorization';
import type { PrismaReader } from '../../platform/database';
import type { Doctor } from './doctors.type';

/** A doctor row with its user's name, as every doctor query selects it. */
export interface DoctorRow {
  id: string;
  specialty: string;
  timeZone: string;
  practiceId: string;
  user: { name: string };
}

export const DOCTOR_SELECT = { id: true, specialty: true, timeZone: true, practiceId: true, user: { select: { name: true } } } as const;

export function toDoctor(row: DoctorRow): Doctor {
  return { id: row.id, name: row.user.name, specialty: row.specialty, timeZone: row.timeZone, practiceId: row.practiceId };
}

/** The directory of doctors. */
export class DoctorService {
  constructor(private readonly prisma: PrismaReader) {}

  /** Every doctor, by name; any signed-in viewer may list them. */
  async listDoctors(viewer: Viewer | undefined): Promise<Doctor[]> {
    requireViewer(viewer);
    const rows = await this.prisma.doctor.findMany({
      where: { user: { deactivatedAt: null } },
      select: DOCTOR_SELECT,
      orderBy: [{ user: { name: 'asc' } }, { id: 'asc' }],
    });
    return rows.map(toDoctor);
  }

  /**
   * The doctor a patient may book or see the hours of: null when there is none or they were removed
   * from their practice (account deactivated; the loader below still names them on past appointments).
   */
  async activeDoctor(id: string): Promise<Doctor | null> {
    const row = await this.prisma.doctor.findFirst({ where: { id, user: { deactivatedAt: null } }, select: DOCTOR_SELECT });
    return row ? toDoctor(row) : null;
  }

  /** Doctors by id in one query, in the order asked (null where none), removed ones included: the loader's batch. */
  async doctorsByIds(ids: readonly string[]): Promise<Array<Doctor | null>> {
    const rows = await this.prisma.doctor.findMany({ where: { id: { in: [...ids] } }, select: DOCTOR_SELECT });
    const byId = new Map(rows.map((row) => [row.id, toDoctor(row)]));
    return ids.map((id) => byId.get(id) ?? null);
  }
}

declare module '../../graphql/request-context' {
  interface RequestServices {
    readonly doctors: DoctorService;
  }
}
