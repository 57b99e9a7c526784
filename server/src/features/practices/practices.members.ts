import { Role } from '../../generated/prisma/enums';
import type { Sql } from '../../platform/sql';
import { isUuid } from '../../platform/validation';
import type { Viewer } from '../../accounts/authorization';
import { readDoctorPlacement } from '../doctors/doctors.sql';
import { readPracticeOfDoctor, readStaffPlacement, type PracticeOfDoctor } from './practices.sql';

/** Where a doctor or staff member belongs, and whether they may invite. */
export interface Membership {
  readonly practiceId: string;
  readonly role: 'DOCTOR' | 'STAFF';
  readonly admin: boolean;
}

/** A staff member's membership from the columns of staffMemberRow (practices.sql.ts) in a statement's row (both NULL: not staff). */
export function staffMembership(practiceId: string | null, admin: boolean | null): Membership | null {
  return practiceId === null ? null : { practiceId, role: 'STAFF', admin: admin ?? false };
}

/**
 * Who belongs to which practice: a doctor's placement (the doctors' module reads it) or a staff
 * member's. Not carried in tokens: a membership read here is current, and the Viewer stays what
 * the token proves.
 */
export class PracticeMembers {
  private generationNumber = 0;

  constructor(private readonly sql: Sql) {}

  /**
   * A number that moves whenever a membership may have changed, on this instance or another:
   * `changed()` is called by a removal here and (composition root) by every session revocation
   * announced over the revocation channel, which every removal makes on every instance. A
   * subscriber caches its membership decision with the number it was made at (deskRecheck).
   */
  generation(): number {
    return this.generationNumber;
  }

  /** Forgets every cached membership decision (see generation). */
  changed(): void {
    this.generationNumber += 1;
  }

  /**
   * The viewer's practice membership, or null for patients, anonymous viewers and unknown
   * accounts. Read through `sql`: inside a transaction, pass its `tx`.
   */
  async membershipOf(viewer: Viewer | undefined, sql: Sql = this.sql): Promise<Membership | null> {
    if (!viewer || !isUuid(viewer.userId)) return null;
    if (viewer.role === Role.DOCTOR) {
      const row = await readDoctorPlacement(sql, viewer.userId);
      return row ? { practiceId: row.practiceId, role: 'DOCTOR', admin: row.admin } : null;
    }
    if (viewer.role === Role.STAFF) {
      const row = await readStaffPlacement(sql, viewer.userId);
      return row ? { practiceId: row.practiceId, role: 'STAFF', admin: row.admin } : null;
    }
    return null;
  }

  /** The membership of the account `userId` whatever its role (null: none, or removed). Inside a transaction, pass its `tx`. */
  async membershipOfUser(userId: string, sql: Sql = this.sql): Promise<Membership | null> {
    if (!isUuid(userId)) return null;
    const doctor = await readDoctorPlacement(sql, userId);
    if (doctor) return { practiceId: doctor.practiceId, role: 'DOCTOR', admin: doctor.admin };
    const staff = await readStaffPlacement(sql, userId);
    return staff ? { practiceId: staff.practiceId, role: 'STAFF', admin: staff.admin } : null;
  }

  /** The practice a doctor belongs to, or null when there is no such doctor. Inside a transaction, pass its `tx`. */
  async practiceOfDoctor(doctorId: string, sql: Sql = this.sql): Promise<PracticeOfDoctor | null> {
    if (!isUuid(doctorId)) return null;
    return readPracticeOfDoctor(sql, doctorId);
  }
}

declare module '../../graphql/request-context' {
  interface RequestServices {
    readonly practiceMembers: PracticeMembers;
  }
}
