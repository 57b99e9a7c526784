import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import { Role } from '../../generated/prisma/enums';
import { isUuid } from '../../platform/validation';
import type { Viewer } from '../../accounts/authorization';

/** Where a doctor or staff member belongs, and whether they may invite. */
export interface Membership {
  readonly practiceId: string;
  readonly role: 'DOCTOR' | 'STAFF';
  readonly admin: boolean;
}

/** A staff member's membership from the columns a raw-SQL read returns for them (both NULL: not staff). */
export function staffMembership(practiceId: string | null, admin: boolean | null): Membership | null {
  return practiceId === null ? null : { practiceId, role: 'STAFF', admin: admin ?? false };
}

/**
 * Who belongs to which practice, read from the doctors and staff_members tables. Not carried in
 * tokens: a membership read here is current, and the Viewer stays what the token proves.
 */
export class PracticeMembers {
  constructor(private readonly prisma: PrismaClient) {}

  /** The viewer's practice membership, or null for patients, anonymous viewers and unknown accounts. */
  async membershipOf(viewer: Viewer | undefined, db: Prisma.TransactionClient = this.prisma): Promise<Membership | null> {
    if (!viewer || !isUuid(viewer.userId)) return null;
    if (viewer.role === Role.DOCTOR) {
      const row = await db.doctor.findUnique({ where: { id: viewer.userId }, select: { practiceId: true, admin: true } });
      return row ? { practiceId: row.practiceId, role: 'DOCTOR', admin: row.admin } : null;
    }
    if (viewer.role === Role.STAFF) {
      const row = await db.staffMember.findUnique({ where: { id: viewer.userId }, select: { practiceId: true, admin: true } });
      return row ? { practiceId: row.practiceId, role: 'STAFF', admin: row.admin } : null;
    }
    return null;
  }

  /** The practice a doctor belongs to, or null when there is no such doctor. */
  async practiceOfDoctor(doctorId: string, db: Prisma.TransactionClient = this.prisma): Promise<{ id: string; timeZone: string } | null> {
    if (!isUuid(doctorId)) return null;
    const row = await db.doctor.findUnique({ where: { id: doctorId }, select: { practice: { select: { id: true, timeZone: true } } } });
    return row?.practice ?? null;
  }
}

declare module '../../graphql/request-context' {
  interface RequestServices {
    readonly practiceMembers: PracticeMembers;
  }
}
