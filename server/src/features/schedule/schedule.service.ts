import { assertCanActForDoctor, type Viewer } from '../../accounts/authorization';
import { AuditAction } from '../../audit/audit-entry';
import type { AuditTrail } from '../../audit/audit-trail';
import { recordDisclosures } from '../../audit/disclosures';
import { badUserInput } from '../../platform/errors';
import type { PrismaReader } from '../../platform/database';
import type { PracticeMembers } from '../practices/practices.members';
import { assertPracticeDesk } from '../practices/practices.policy';
import { appointmentsOverlapping } from '../appointments/appointments.reads';
import type { Appointment } from '../appointments/appointments.type';

/** A schedule covers at most this many days: enough for a week or month view, bounded for the database. */
export const MAX_SCHEDULE_DAYS = 31;

function assertRange(from: Date, to: Date): void {
  if (!(to.getTime() > from.getTime())) throw badUserInput('to must be after from.', 'to');
  if (to.getTime() - from.getTime() > MAX_SCHEDULE_DAYS * 86_400_000) {
    throw badUserInput(`A schedule covers at most ${MAX_SCHEDULE_DAYS} days.`, 'to');
  }
}

/** Calendars: a doctor's own, and a whole practice's for its front desk (the flow board). */
export class ScheduleService {
  constructor(
    private readonly prisma: PrismaReader,
    private readonly members: PracticeMembers,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * Every appointment of the practice's doctors overlapping [from, to), every status, in time
   * order: the front desk's flow board. Its staff and admins only; the same range rules.
   */
  async practiceSchedule(viewer: Viewer | undefined, practiceId: string, from: Date, to: Date): Promise<Appointment[]> {
    await assertPracticeDesk(viewer, practiceId, this.members);
    assertRange(from, to);
    return this.disclosed(viewer, await appointmentsOverlapping(this.prisma, { practiceId }, from, to));
  }

  /**
   * The doctor's appointments that overlap [from, to), every status, in time order. Only the
   * doctor themself may read it; the range must be forward and at most MAX_SCHEDULE_DAYS long.
   */
  async doctorSchedule(viewer: Viewer | undefined, doctorId: string, from: Date, to: Date): Promise<Appointment[]> {
    assertCanActForDoctor(viewer, doctorId, 'You can only see your own schedule.');
    assertRange(from, to);
    return this.disclosed(viewer, await appointmentsOverlapping(this.prisma, { doctorId }, from, to));
  }

  /** A calendar names its patients and their reasons: one `schedule.read` row per patient in it, committed before it is sent. */
  private async disclosed(viewer: Viewer | undefined, appointments: Appointment[]): Promise<Appointment[]> {
    await recordDisclosures(
      this.audit,
      viewer,
      AuditAction.ReadSchedule,
      'appointment',
      appointments.map((appointment) => ({ patientId: appointment.patientId })),
    );
    return appointments;
  }
}

declare module '../../graphql/request-context' {
  interface RequestServices {
    readonly schedule: ScheduleService;
  }
}
