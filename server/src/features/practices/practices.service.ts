import type { PasswordRule } from '../../accounts/password-rule';
import type { Viewer } from '../../accounts/authorization';
import { Role } from '../../generated/prisma/enums';
import type { PasswordHasher } from '../../accounts/passwords';
import { insertUser } from '../../accounts/users.sql';
import type { Transactions } from '../../live/transactions';
import type { PrismaReader } from '../../platform/database';
import { badUserInput, conflict, isUniqueViolation } from '../../platform/errors';
import type { Sql } from '../../platform/sql';
import { isTimeZone } from '../../platform/time-zones';
import { requiredText } from '../../platform/validation';
import { doctorMembersOf, doctorsOfPractice } from '../doctors/doctors.reads';
import type { Doctor } from '../doctors/doctors.type';
import type { PracticeMembers } from './practices.members';
import { assertPracticeAdmin, assertPracticeMember } from './practices.policy';
import { insertPractice, insertStaffMember, setBookableWithoutHours } from './practices.sql';
import type { Practice, PracticeMember, StaffMember } from './practices.type';

const PRACTICE_SELECT = { id: true, name: true, timeZone: true, bookableWithoutHours: true } as const;
const MAX_PRACTICE_NAME_LENGTH = 200;

/** A new practice's name and zone, checked; BAD_USER_INPUT names the field. */
export function validatePractice(name: string, timeZone: string): { name: string; timeZone: string } {
  const checkedName = requiredText(name, 'name', MAX_PRACTICE_NAME_LENGTH);
  if (!isTimeZone(timeZone)) throw badUserInput(`timeZone "${timeZone}" is not an IANA time zone.`, 'timeZone');
  return { name: checkedName, timeZone };
}

/** A practice and what is known of its members, for the operator's list. */
export interface PracticeSummary extends Practice {
  readonly doctors: number;
  readonly staff: number;
  readonly admins: readonly string[];
}

/** Practices: reading them as a member, their members, and creating them (self-registration, the operator, the bootstrap). */
export class PracticeService {
  constructor(
    private readonly prisma: PrismaReader,
    private readonly transactions: Transactions,
    private readonly members: PracticeMembers,
    private readonly passwordRule: PasswordRule,
    private readonly passwords: PasswordHasher,
  ) {}

  /** `practice(id)`: members of that practice only (FORBIDDEN otherwise, also for an unknown id). */
  async practice(viewer: Viewer | undefined, id: string): Promise<Practice> {
    await assertPracticeMember(viewer, id, this.members);
    const row = await this.prisma.practice.findUniqueOrThrow({ where: { id }, select: PRACTICE_SELECT });
    return row;
  }

  /**
   * An admin of the practice decides whether its doctors without working hours are offered for
   * booking (at any time) or not (the default).
   */
  async setBookableWithoutHours(viewer: Viewer | undefined, practiceId: string, allowed: boolean): Promise<Practice> {
    await assertPracticeAdmin(viewer, practiceId, this.members);
    await this.transactions.run((tx) => setBookableWithoutHours(tx, practiceId, allowed));
    return this.prisma.practice.findUniqueOrThrow({ where: { id: practiceId }, select: PRACTICE_SELECT });
  }

  /** Practices by id in one query (the loader's batch). */
  async practicesByIds(ids: readonly string[]): Promise<Array<Practice | null>> {
    const rows = await this.prisma.practice.findMany({ where: { id: { in: [...ids] } }, select: PRACTICE_SELECT });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** The practice's doctors by name (public, like the doctors directory). */
  async doctorsOf(practiceId: string): Promise<Doctor[]> {
    return doctorsOfPractice(this.prisma, practiceId);
  }

  /** Its doctors and staff with their admin flag: members of the practice only. */
  async membersOf(viewer: Viewer | undefined, practiceId: string): Promise<PracticeMember[]> {
    await assertPracticeMember(viewer, practiceId, this.members);
    const [doctors, staff] = await Promise.all([
      doctorMembersOf(this.prisma, practiceId),
      this.prisma.staffMember.findMany({
        where: { practiceId },
        select: { id: true, admin: true, user: { select: { name: true, email: true } } },
      }),
    ]);
    const members = [
      ...doctors.map((row) => ({ ...row, role: Role.DOCTOR })),
      ...staff.map((row) => ({ id: row.id, name: row.user.name, email: row.user.email, role: Role.STAFF, admin: row.admin })),
    ];
    return members.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  }

  /** Its front-desk accounts: members of the practice only. */
  async staffOf(viewer: Viewer | undefined, practiceId: string): Promise<StaffMember[]> {
    await assertPracticeMember(viewer, practiceId, this.members);
    const rows = await this.prisma.staffMember.findMany({
      where: { practiceId },
      select: STAFF_SELECT,
      orderBy: [{ user: { name: 'asc' } }, { id: 'asc' }],
    });
    return rows.map(toStaffMember);
  }

  /** The viewer's staff profile, or null for anyone who is not staff. */
  async staffProfile(userId: string): Promise<StaffMember | null> {
    const row = await this.prisma.staffMember.findUnique({ where: { id: userId }, select: STAFF_SELECT });
    return row ? toStaffMember(row) : null;
  }

  /** The practices this user is an admin of (one at most today: a member belongs to one practice). */
  async adminOf(userId: string): Promise<Practice[]> {
    return this.prisma.practice.findMany({
      where: { OR: [{ doctors: { some: { id: userId, admin: true } } }, { staff: { some: { id: userId, admin: true } } }] },
      select: PRACTICE_SELECT,
      orderBy: { name: 'asc' },
    });
  }

  /** Creates a practice inside a running transaction (a self-registered doctor's one-doctor practice). */
  async createPractice(tx: Sql, name: string, timeZone: string): Promise<Practice> {
    return insertPractice(tx, validatePractice(name, timeZone));
  }

  /**
   * The operator's way in (bootstrap, `npm run admin -- create-practice`): a practice and its
   * STAFF admin account in one transaction. CONFLICT when the email is registered already.
   */
  async createPracticeWithAdmin(input: {
    name: string;
    timeZone: string;
    adminEmail: string;
    adminName?: string;
    adminPassword: string;
  }): Promise<{ practice: Practice; adminId: string }> {
    const practiceData = validatePractice(input.name, input.timeZone);
    this.passwordRule.check(input.adminPassword, { email: input.adminEmail, name: input.adminName });
    const passwordHash = await this.passwords.hash(input.adminPassword);
    const email = input.adminEmail.trim().toLowerCase();
    try {
      return await this.transactions.run(async (tx) => {
        const practice = await insertPractice(tx, practiceData);
        const adminId = await insertUser(tx, { email, passwordHash, name: input.adminName ?? `${practice.name} admin`, role: Role.STAFF });
        await insertStaffMember(tx, { id: adminId, practiceId: practice.id, admin: true });
        return { practice, adminId };
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('An account with this email already exists.');
      throw error;
    }
  }

  /** A practice with no members yet (the operator then invites its admin). */
  async createPracticeAlone(name: string, timeZone: string): Promise<Practice> {
    const practice = validatePractice(name, timeZone);
    return this.transactions.run((tx) => insertPractice(tx, practice));
  }

  /** Every practice with its head counts and admins' emails (the operator's list). */
  async listPractices(): Promise<PracticeSummary[]> {
    const rows = await this.prisma.practice.findMany({
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
      select: {
        ...PRACTICE_SELECT,
        doctors: { select: { admin: true, user: { select: { email: true } } } },
        staff: { select: { admin: true, user: { select: { email: true } } } },
      },
    });
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      timeZone: row.timeZone,
      bookableWithoutHours: row.bookableWithoutHours,
      doctors: row.doctors.length,
      staff: row.staff.length,
      admins: [...row.doctors, ...row.staff].filter((member) => member.admin).map((member) => member.user.email),
    }));
  }
}

const STAFF_SELECT = { id: true, practiceId: true, admin: true, user: { select: { name: true } } } as const;

function toStaffMember(row: { id: string; practiceId: string; admin: boolean; user: { name: string } }): StaffMember {
  return { id: row.id, name: row.user.name, admin: row.admin, practiceId: row.practiceId };
}

declare module '../../graphql/request-context' {
  interface RequestServices {
    readonly practices: PracticeService;
  }
}
