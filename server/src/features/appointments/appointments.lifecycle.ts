import {
  assertCanActForDoctor,
  assertCanChangeAppointment,
  assertCanReceiveDoctorEvent,
  assertCanReceivePatientEvent,
  requireRole,
  requireViewer,
  type AppointmentAction,
  type Viewer,
} from '../../accounts/authorization';
import type { SubscriberConnection } from '../../context';
import { WRITE_TRANSACTION_OPTIONS } from '../../platform/database';
import { mapDatabaseError, notFound } from '../../platform/errors';
import type { EventStreams } from '../../live/event-streams';
import { appendEvent, doctorStream, patientStream, type PendingEvent } from '../../live/outbox';
import { Topic } from '../../live/topics';
import { isUuid, optionalText } from '../../platform/validation';
import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import { Role } from '../../generated/prisma/enums';
import type { AvailabilityService } from '../availability/availability.service';
import type { AppointmentUpdatedPayload } from './appointments.events';
import { serializeAppointment, toAppointment, type AppointmentRow } from './appointments.mapper';
import { MAX_REASON_LENGTH, validateBooking } from './appointments.rules';
import { assertTransition, OUTCOME } from './appointments.transitions';
import type { Appointment } from './appointments.type';

type Pending = PendingEvent<typeof Topic.AppointmentUpdated> | PendingEvent<typeof Topic.MyAppointmentUpdated>;

/**
 * What happens to an appointment after it is booked: cancel, reschedule, complete. Each change
 * locks the row, checks who asks and the transition table (appointments.transitions.ts), writes
 * the change and its events in one transaction, and publishes the events after commit.
 */
export class AppointmentLifecycleService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly events: EventStreams,
    private readonly availability: AvailabilityService,
  ) {}

  /** The patient or the doctor of a BOOKED appointment cancels it; its time is free again at once. */
  cancelAppointment(viewer: Viewer | undefined, id: string, reason?: string | null): Promise<Appointment> {
    const cancellationReason = optionalText(reason, 'reason', MAX_REASON_LENGTH);
    return this.change(viewer, id, 'cancel', (tx) =>
      tx.appointment.update({
        where: { id },
        data: { status: OUTCOME.cancel.status, cancellationReason, cancelledAt: new Date() },
      }),
    );
  }

  /**
   * The patient or the doctor moves a BOOKED, not yet started appointment, keeping its length
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

  /** The doctor marks a BOOKED appointment that has started as a completed visit. */
  completeAppointment(viewer: Viewer | undefined, id: string): Promise<Appointment> {
    return this.change(viewer, id, 'complete', (tx) =>
      tx.appointment.update({ where: { id }, data: { status: OUTCOME.complete.status, completedAt: new Date() } }),
    );
  }

  /** The doctor's stream of changes to their appointments; only that doctor. `after` resumes. */
  subscribeAppointmentUpdated(
    viewer: Viewer | undefined,
    doctorId: string,
    after?: string | null,
    connection?: SubscriberConnection,
  ): Promise<AsyncIterableIterator<AppointmentUpdatedPayload>> {
    const signedIn = assertCanActForDoctor(viewer, doctorId, 'You can only follow your own appointments.');
    return this.events.subscribe({
      stream: doctorStream(doctorId),
      topic: Topic.AppointmentUpdated,
      after,
      authorize: () => assertCanReceiveDoctorEvent(signedIn, doctorId),
      connection,
    });
  }

  /** The signed-in patient's stream of changes to their own appointments. `after` resumes. */
  subscribeMyAppointmentUpdated(
    viewer: Viewer | undefined,
    after?: string | null,
    connection?: SubscriberConnection,
  ): Promise<AsyncIterableIterator<AppointmentUpdatedPayload>> {
    const signedIn = requireRole(viewer, Role.PATIENT, 'follow your appointments');
    return this.events.subscribe({
      stream: patientStream(signedIn.userId),
      topic: Topic.MyAppointmentUpdated,
      after,
      authorize: () => assertCanReceivePatientEvent(signedIn, signedIn.userId),
      connection,
    });
  }

  private async change(
    viewer: Viewer | undefined,
    id: string,
    action: AppointmentAction,
    apply: (tx: Prisma.TransactionClient, current: AppointmentRow) => Promise<AppointmentRow>,
  ): Promise<Appointment> {
    requireViewer(viewer);
    if (!isUuid(id)) throw notFound('Appointment');
    let committed: { row: AppointmentRow; events: Pending[] };
    try {
      committed = await this.prisma.$transaction(async (tx) => {
        // The row lock makes concurrent changes of one appointment take turns, so the second sees
        // the first's outcome and the transition table answers it.
        await tx.$queryRaw`SELECT id FROM appointments WHERE id = ${id}::uuid FOR UPDATE`;
        const current = await tx.appointment.findUnique({ where: { id } });
        if (!current) throw notFound('Appointment');
        assertCanChangeAppointment(viewer, current, action);
        assertTransition(action, current, new Date());
        const row = await apply(tx, current);
        return { row, events: await appendChangeEvents(tx, row, action) };
      }, WRITE_TRANSACTION_OPTIONS);
    } catch (error) {
      throw mapDatabaseError(error) ?? error;
    }
    this.events.committed(committed.events);
    return toAppointment(committed.row);
  }
}

/** One event on the doctor's stream, then one on the patient's (doctors' streams are always locked first). */
async function appendChangeEvents(tx: Prisma.TransactionClient, row: AppointmentRow, action: AppointmentAction): Promise<Pending[]> {
  const build = (seq: number): AppointmentUpdatedPayload => ({ seq, change: OUTCOME[action].change, appointment: serializeAppointment(row) });
  const forDoctor = await appendEvent(tx, { stream: doctorStream(row.doctorId), topic: Topic.AppointmentUpdated, build });
  const forPatient = await appendEvent(tx, { stream: patientStream(row.patientId), topic: Topic.MyAppointmentUpdated, build });
  return [forDoctor, forPatient];
}
