import { requireViewer, type Viewer } from '../../accounts/authorization';
import { AuditAction } from '../../audit/audit-entry';
import type { AuditTrail } from '../../audit/audit-trail';
import type { Emit, EventStreams } from '../../live/event-streams';
import { doctorStream, patientStream, practiceStream } from '../../live/streams';
import { mapDatabaseError, notFound } from '../../platform/errors';
import { isUuid, optionalText } from '../../platform/validation';
import type { Prisma } from '../../generated/prisma/client';
import type { AvailabilityService } from '../availability/availability.service';
import type { PracticeMembers } from '../practices/practices.members';
import { AppointmentTopic, type AppointmentUpdatedPayload } from './appointments.events';
import { serializeAppointment, toAppointment, type AppointmentRow } from './appointments.mapper';
import { assertCanChangeAppointment, type AppointmentAction } from './appointments.policy';
import { MAX_REASON_LENGTH, validateBooking } from './appointments.rules';
import { assertTransition, OUTCOME } from './appointments.transitions';
import type { Appointment } from './appointments.type';

/**
 * What happens to an appointment after it is booked: cancel, reschedule, complete, check in,
 * no-show. Each change locks the row, checks who asks (appointments.policy.ts) and the transition
 * table (appointments.transitions.ts), writes the change and its events in one transaction, and
 * publishes the events after commit.
 */
export class AppointmentLifecycleService {
  constructor(
    private readonly events: EventStreams,
    private readonly availability: AvailabilityService,
    private readonly audit: AuditTrail,
    private readonly members: PracticeMembers,
  ) {}

  /** The patient, the doctor or the practice's staff cancel a BOOKED (or CHECKED_IN) appointment; its time is free again at once. */
  cancelAppointment(viewer: Viewer | undefined, id: string, reason?: string | null): Promise<Appointment> {
    const cancellationReason = optionalText(reason, 'reason', MAX_REASON_LENGTH);
    return this.change(viewer, id, 'cancel', (tx) =>
      tx.appointment.update({
        where: { id },
        data: { status: OUTCOME.cancel.status, cancellationReason, cancelledAt: new Date(), cancelledById: viewer?.userId ?? null },
      }),
    );
  }

  /** The practice's staff or the doctor check in a BOOKED appointment on its local day (practice's zone); it keeps its slot. */
  checkInAppointment(viewer: Viewer | undefined, id: string): Promise<Appointment> {
    return this.change(viewer, id, 'checkIn', (tx) =>
      tx.appointment.update({ where: { id }, data: { status: OUTCOME.checkIn.status, checkedInAt: new Date() } }),
    );
  }

  /** The practice's staff or the doctor mark a BOOKED appointment that has started as a no-show; its slot is free again. */
  markNoShow(viewer: Viewer | undefined, id: string): Promise<Appointment> {
    return this.change(viewer, id, 'noShow', (tx) =>
      tx.appointment.update({ where: { id }, data: { status: OUTCOME.noShow.status, noShowAt: new Date() } }),
    );
  }

  /**
   * The patient, the doctor or the practice's staff move a BOOKED, not yet started appointment, keeping its length
   * unless `durationMinutes` is given. Same rules as booking: a valid future time, inside the
   * doctor's working hours when they have set some, and the exclusion constraints check the new
   * range atomically in the UPDATE (SLOT_UNAVAILABLE).
   */
  rescheduleAppointment(viewer: Viewer | undefined, id: string, startsAt: Date, durationMinutes?: number | null): Promise<Appointment> {
    const requested = validateBooking({ startsAt, durationMinutes }, new Date());
    return this.change(viewer, id, 'reschedule', async (tx, current) => {
      const endsAt = durationMinutes == null ? new Date(startsAt.getTime() + (current.endsAt.getTime() - current.startsAt.getTime())) : requested.endsAt;
      await this.availability.assertWithinWorkingHours(tx, current.doctorId, { start: startsAt, end: endsAt });
      return tx.appointment.update({ where: { id }, data: { startsAt, endsAt } });
    });
  }

  /** The doctor marks a BOOKED or CHECKED_IN appointment that has started as a completed visit. */
  completeAppointment(viewer: Viewer | undefined, id: string): Promise<Appointment> {
    return this.change(viewer, id, 'complete', (tx) =>
      tx.appointment.update({ where: { id }, data: { status: OUTCOME.complete.status, completedAt: new Date() } }),
    );
  }

  private async change(
    viewer: Viewer | undefined,
    id: string,
    action: AppointmentAction,
    apply: (tx: Prisma.TransactionClient, current: AppointmentRow) => Promise<AppointmentRow>,
  ): Promise<Appointment> {
    const signedIn = requireViewer(viewer);
    if (!isUuid(id)) throw notFound('Appointment');
    try {
      const row = await this.events.transaction(async (tx, emit) => {
        // The row lock makes concurrent changes of one appointment take turns, so the second sees
        // the first's outcome and the transition table answers it.
        await tx.$queryRaw`SELECT id FROM appointments WHERE id = ${id}::uuid FOR UPDATE`;
        const current = await tx.appointment.findUnique({ where: { id }, include: { doctor: { select: { practice: { select: { id: true, timeZone: true } } } } } });
        if (!current) throw notFound('Appointment');
        const practice = current.doctor.practice;
        assertCanChangeAppointment(viewer, { ...current, practiceId: practice.id }, action, await this.members.membershipOf(viewer, tx));
        assertTransition(action, { ...current, timeZone: practice.timeZone }, new Date());
        const changed = await apply(tx, current);
        emitChange(emit, changed, action, practice.id);
        await this.audit.write(tx, signedIn, [{ action: AUDITED[action], patientId: changed.patientId, objectType: 'appointment', objectId: id }]);
        return changed;
      });
      return toAppointment(row);
    } catch (error) {
      throw mapDatabaseError(error) ?? error;
    }
  }
}

const AUDITED = {
  cancel: AuditAction.CancelAppointment,
  reschedule: AuditAction.RescheduleAppointment,
  complete: AuditAction.CompleteAppointment,
  checkIn: AuditAction.CheckInAppointment,
  noShow: AuditAction.MarkNoShow,
} as const satisfies Record<AppointmentAction, AuditAction>;

/**
 * One event on the doctor's stream, one on the practice's, then one on the patient's: every
 * writer locks stream counters in this order (doctors, practice, patient), so two never deadlock.
 */
function emitChange(emit: Emit, row: AppointmentRow, action: AppointmentAction, practiceId: string): void {
  const build = (seq: number): AppointmentUpdatedPayload => ({ seq, change: OUTCOME[action].change, appointment: serializeAppointment(row) });
  emit(doctorStream(row.doctorId), AppointmentTopic.AppointmentUpdated, build);
  emit(practiceStream(practiceId), AppointmentTopic.PracticeAppointmentUpdated, build);
  emit(patientStream(row.patientId), AppointmentTopic.MyAppointmentUpdated, build);
}
