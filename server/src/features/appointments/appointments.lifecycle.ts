import { requireViewer, type Viewer } from '../../accounts/authorization';
import { AuditAction } from '../../audit/audit-entry';
import type { AuditTrail } from '../../audit/audit-trail';
import type { Transactions, Tx } from '../../live/transactions';
import { doctorStream, patientStream, practiceStream } from '../../live/streams';
import type { Clock } from '../../platform/clock';
import type { Sql } from '../../platform/sql';
import { mapDatabaseError, notFound } from '../../platform/errors';
import { isUuid, optionalText } from '../../platform/validation';
import { Role } from '../../generated/prisma/enums';
import { assertWithinWorkingHours } from '../availability/availability.rules';
import { AppointmentTopic, type AppointmentUpdatedPayload } from './appointments.events';
import {
  applyChange,
  lockForChange,
  nextConfirmableAppointment,
  type AppointmentChangeWrite,
  type LockedAppointment,
} from './appointments.changes.sql';
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
    private readonly transactions: Transactions,
    /** Reads outside a change (the next appointment a text reply confirms). */
    private readonly sql: Sql,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  /** The patient, the doctor or the practice's staff cancel a BOOKED (or CHECKED_IN) appointment; its time is free again at once. */
  cancelAppointment(viewer: Viewer | undefined, id: string, reason?: string | null): Promise<Appointment> {
    const cancellationReason = optionalText(reason, 'reason', MAX_REASON_LENGTH);
    return this.change(viewer, id, 'cancel', (_current, signedIn) => ({
      status: OUTCOME.cancel.status,
      cancellation: { reason: cancellationReason, byId: signedIn.userId },
      at: this.clock(),
    }));
  }

  /** The practice's staff or the doctor check in a BOOKED appointment on its local day (practice's zone); it keeps its slot. */
  checkInAppointment(viewer: Viewer | undefined, id: string): Promise<Appointment> {
    return this.change(viewer, id, 'checkIn', () => ({ status: OUTCOME.checkIn.status, at: this.clock() }));
  }

  /**
   * The practice's staff or the doctor undo a check-in (a wrong card clicked) within
   * UNDO_CHECK_IN_MINUTES of it, by the injected clock: BOOKED again, its arrival time cleared, and
   * an event on every stream that shows it, so every board moves it back.
   */
  undoCheckIn(viewer: Viewer | undefined, id: string): Promise<Appointment> {
    return this.change(viewer, id, 'undoCheckIn', () => ({ status: OUTCOME.undoCheckIn.status, at: this.clock() }));
  }

  /** The practice's staff or the doctor mark a BOOKED appointment that has started as a no-show; its slot is free again. */
  markNoShow(viewer: Viewer | undefined, id: string): Promise<Appointment> {
    return this.change(viewer, id, 'noShow', () => ({ status: OUTCOME.noShow.status, at: this.clock() }));
  }

  /**
   * The patient, the doctor or the practice's staff move a BOOKED, not yet started appointment, keeping its length
   * unless `durationMinutes` is given. Same rules as booking: a valid future time, inside the
   * doctor's working hours when they have set some, and the exclusion constraints check the new
   * range atomically in the UPDATE (SLOT_UNAVAILABLE).
   */
  rescheduleAppointment(viewer: Viewer | undefined, id: string, startsAt: Date, durationMinutes?: number | null): Promise<Appointment> {
    const requested = validateBooking({ startsAt, durationMinutes }, this.clock());
    return this.change(viewer, id, 'reschedule', (current) => {
      const endsAt =
        durationMinutes == null
          ? new Date(startsAt.getTime() + (current.row.endsAt.getTime() - current.row.startsAt.getTime()))
          : requested.endsAt;
      assertWithinWorkingHours(current.schedule, { start: startsAt, end: endsAt });
      return { status: OUTCOME.reschedule.status, range: { startsAt, endsAt }, at: this.clock() };
    });
  }

  /** The doctor marks a BOOKED or CHECKED_IN appointment that has started as a completed visit. */
  completeAppointment(viewer: Viewer | undefined, id: string): Promise<Appointment> {
    return this.change(viewer, id, 'complete', () => ({ status: OUTCOME.complete.status, at: this.clock() }));
  }

  /**
   * The patient says "I will come" for their own BOOKED appointment that has not started:
   * confirmedAt is set and the change (CONFIRMED) goes live on the doctor's, the practice's and the
   * patient's streams, and to webhooks (`appointment.confirmed`). Confirming again returns the
   * appointment as it is, with no second event. Only the patient (FORBIDDEN otherwise); nothing is
   * audited, as nobody else touched the patient's data.
   */
  confirmAppointment(viewer: Viewer | undefined, id: string): Promise<Appointment> {
    const signedIn = requireViewer(viewer);
    if (!isUuid(id)) throw notFound('Appointment');
    return this.confirm(id, signedIn.userId, (current) =>
      assertCanChangeAppointment(signedIn, { ...current.row, practiceId: current.practice.id }, 'confirm', null),
    );
  }

  /**
   * A text reply "C" or "YES" from the patient's own number (features/notifications): their next
   * BOOKED appointment that has not started is confirmed as by confirmAppointment; undefined when
   * they have none.
   */
  async confirmNextAppointmentOf(patientId: string): Promise<Appointment | undefined> {
    const id = await nextConfirmableAppointment(this.sql, patientId, this.clock());
    if (id === undefined) return undefined;
    return this.confirm(id, patientId, (current) => {
      if (current.row.patientId !== patientId) throw notFound('Appointment');
    });
  }

  private async confirm(id: string, actorId: string, authorize: (current: LockedAppointment) => void): Promise<Appointment> {
    const row = await this.transactions.run(async (tx) => {
      const current = await lockForChange(tx, id, actorId);
      if (!current) throw notFound('Appointment');
      authorize(current);
      const now = this.clock();
      assertTransition(
        'confirm',
        { ...current.row, timeZone: current.practice.timeZone, checkedInAt: current.row.checkedInAt ?? null },
        now,
      );
      if (current.row.confirmedAt) return current.row;
      const changed = await applyChange(tx, id, { status: OUTCOME.confirm.status, confirm: true, at: now });
      emitChange(tx, changed, 'confirm', current.practice.id);
      return changed;
    });
    return toAppointment(row);
  }

  /**
   * One transaction (appointments.changes.sql.ts): lock and read, check who asks and the
   * transition, write the change, the audit row, the events (doctor, practice, patient) and the
   * jobs.
   */
  private async change(
    viewer: Viewer | undefined,
    id: string,
    action: Exclude<AppointmentAction, 'confirm'>,
    decide: (current: LockedAppointment, signedIn: Viewer) => AppointmentChangeWrite,
  ): Promise<Appointment> {
    const signedIn = requireViewer(viewer);
    if (!isUuid(id)) throw notFound('Appointment');
    try {
      const row = await this.transactions.run(async (tx) => {
        const current = await lockForChange(tx, id, signedIn.userId);
        if (!current) throw notFound('Appointment');
        const { practice } = current;
        const membership = signedIn.role === Role.STAFF ? current.staffMembership : null;
        assertCanChangeAppointment(signedIn, { ...current.row, practiceId: practice.id }, action, membership);
        assertTransition(
          action,
          { ...current.row, timeZone: practice.timeZone, checkedInAt: current.row.checkedInAt ?? null },
          this.clock(),
        );
        const changed = await applyChange(tx, id, decide(current, signedIn));
        emitChange(tx, changed, action, practice.id);
        await this.audit.write(
          tx,
          signedIn,
          [{ action: AUDITED[action], patientId: changed.patientId, objectType: 'appointment', objectId: id }],
          signedIn.role === Role.PATIENT ? null : current.viewerPracticeId,
        );
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
  undoCheckIn: AuditAction.UndoCheckIn,
  noShow: AuditAction.MarkNoShow,
} as const satisfies Record<Exclude<AppointmentAction, 'confirm'>, AuditAction>;

/**
 * One event on the doctor's stream, one on the practice's, then one on the patient's: every
 * writer locks stream counters in this order (doctors, practice, patient), so two never deadlock.
 */
function emitChange(tx: Tx, row: AppointmentRow, action: AppointmentAction, practiceId: string): void {
  const build = (seq: number): AppointmentUpdatedPayload => ({
    seq,
    change: OUTCOME[action].change,
    appointment: serializeAppointment(row),
  });
  tx.emit(doctorStream(row.doctorId), AppointmentTopic.AppointmentUpdated, build);
  tx.emit(practiceStream(practiceId), AppointmentTopic.PracticeAppointmentUpdated, build);
  tx.emit(patientStream(row.patientId), AppointmentTopic.MyAppointmentUpdated, build);
}
