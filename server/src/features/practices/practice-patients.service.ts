import type { Viewer } from '../../accounts/authorization';
import { AuditAction } from '../../audit/audit-entry';
import type { AuditTrail } from '../../audit/audit-trail';
import { recordDisclosures } from '../../audit/disclosures';
import type { Prisma } from '../../generated/prisma/client';
import type { PrismaReader } from '../../platform/database';
import { decodeListCursor, encodeListCursor } from '../../live/cursors';
import { badUserInput } from '../../platform/errors';
import { optionalText } from '../../platform/validation';
import { MAX_PAGE_SIZE, PATIENT_SELECT, patientFilter, toPatient, type PatientFilter } from '../patients/patients.service';
import type { PatientConnection } from '../patients/patients.type';
import type { PracticeMembers } from './practices.members';
import { assertPracticeDesk } from './practices.policy';

const MAX_SEARCH_LENGTH = 100;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The Prisma filter of a front-desk search: name or email containing it, or the date of birth it names (YYYY-MM-DD). */
export function searchFilter(search: string | null | undefined): Prisma.PatientWhereInput {
  const text = optionalText(search, 'search', MAX_SEARCH_LENGTH);
  if (text === null) return {};
  const byText: Prisma.PatientWhereInput[] = [
    { user: { name: { contains: text, mode: 'insensitive' } } },
    { user: { email: { contains: text, mode: 'insensitive' } } },
  ];
  const date = ISO_DATE.test(text) ? new Date(`${text}T00:00:00Z`) : undefined;
  if (date && !Number.isNaN(date.getTime())) byText.push({ dateOfBirth: date });
  return { OR: byText };
}

/** A practice's patients for its front desk: everyone who has or had an appointment with one of its doctors. */
export class PracticePatientService {
  constructor(
    private readonly prisma: PrismaReader,
    private readonly members: PracticeMembers,
    private readonly audit: AuditTrail,
  ) {}

  /** Whether the viewer is staff (or an admin) of a practice that has this patient on its list. */
  async deskHasPatient(viewer: Viewer, patientId: string): Promise<boolean> {
    const membership = await this.members.membershipOf(viewer);
    if (!membership || membership.role !== 'STAFF') return false;
    const listed = await this.prisma.practicePatient.findUnique({
      where: { practiceId_patientId: { practiceId: membership.practiceId, patientId } },
      select: { patientId: true },
    });
    return listed !== null;
  }

  /**
   * Newest first (by their first booking with the practice), paged by cursor, optionally
   * searched. Staff of the practice or an admin of it; anyone else FORBIDDEN.
   */
  async listPracticePatients(
    viewer: Viewer | undefined,
    practiceId: string,
    first: number,
    after?: string | null,
    search?: string | null,
    /** FHIR's Patient search: name and birth date, each exactly what it says (search matches either, and emails). */
    filter?: PatientFilter,
  ): Promise<PatientConnection> {
    await assertPracticeDesk(viewer, practiceId, this.members);
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
      throw badUserInput(`first must be a whole number from 1 to ${MAX_PAGE_SIZE}.`, 'first');
    }
    const position = after ? decodeListCursor(after) : undefined;
    const matching: Prisma.PracticePatientWhereInput = {
      practiceId,
      patient: filter ? { AND: [searchFilter(search), patientFilter(filter)] } : searchFilter(search),
    };
    const where: Prisma.PracticePatientWhereInput = position
      ? {
          AND: [
            matching,
            {
              OR: [
                { firstBookedAt: { lt: position.lastBookedAt } },
                { firstBookedAt: position.lastBookedAt, patientId: { lt: position.patientId } },
              ],
            },
          ],
        }
      : matching;
    const [rows, totalCount] = await Promise.all([
      this.prisma.practicePatient.findMany({
        where,
        orderBy: [{ firstBookedAt: 'desc' }, { patientId: 'desc' }],
        take: first + 1,
        select: { firstBookedAt: true, patientId: true, patient: { select: PATIENT_SELECT } },
      }),
      this.prisma.practicePatient.count({ where: matching }),
    ]);
    const page = rows.slice(0, first);
    // Names and dates of birth (and what a search matched): one row per patient on the page, committed before it is sent.
    await recordDisclosures(
      this.audit,
      viewer,
      AuditAction.ListPatients,
      'patient',
      page.map((row) => ({ patientId: row.patientId, objectId: row.patientId })),
    );
    const edges = page.map((row) => ({
      cursor: encodeListCursor({ lastBookedAt: row.firstBookedAt, patientId: row.patientId }),
      node: toPatient(row.patient),
    }));
    return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null }, totalCount };
  }
}

declare module '../../graphql/request-context' {
  interface RequestServices {
    readonly practicePatients: PracticePatientService;
  }
}
