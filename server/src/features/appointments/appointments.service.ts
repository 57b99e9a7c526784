import { randomUUID } from 'node:crypto';
import { appointmentScopeFor, requireViewer, type AppointmentScope, type Viewer } from '../../accounts/authorization';
import { AuditAction } from '../../audit/audit-entry';
import type { AuditTrail } from '../../audit/audit-trail';
import { recordDisclosures } from '../../audit/disclosures';
import type { Transactions } from '../../live/transactions';
import { doctorStream, practiceStream } from '../../live/streams';
import type { Clock } from '../../platform/clock';
import { conflict, forbidden, holdExpired, mapDatabaseError, notFound } from '../../platform/errors';
import { isUuid } from '../../platform/validation';
import { AppointmentStatus, Role } from '../../generated/prisma/enums';
import type { Prisma } from '../../generated/prisma/client';
import type { PrismaReader } from '../../platform/database';
import type { Sql } from '../../platform/sql';
import { isStaffOf } from '../practices/practices.policy';
import { serializePatient } from '../patients/patients.json';
import { assertWithinWorkingHours } from '../availability/availability.rules';
import type { AppointmentLifecycleService } from './appointments.lifecycle';
import { serializeAppointment, toAppointment, type AppointmentRow } from './appointments.mapper';
import { NOT_A_HOLD } from './appointments.reads';
import { convertHold, insertBooking, insertHold, readBookingContext, readRepeat, type BookingContext } from './appointments.sql';
import { AppointmentTopic } from './appointments.events';
import { bookingFingerprint, validateBooking, type BookingRequest } from './appointments.rules';
import type { Appointment } from './appointments.type';
import { checkHoldForBooking, holdExpiry } from './holds.rules';
import type { Hold } from './holds.type';

/**
 * Staff asking for a patient who is not one of their practice's: the same answer whether the id
 * is unknown, malformed or another practice's patient, so it tells nothing about that patient.
 */
const NOT_A_PATIENT_OF_THE_PRACTICE = 'Staff can only book patients of their practice (who booked with it or accepted its invitation).';

export interface BookAppointmentRequest extends BookingRequest {
  readonly doctorId: string;
  /** Set when staff book on a patient's behalf; a patient booking for themself leaves it unset. */
  readonly patientId?: string | null;
  /** A hold of the patient's for this doctor and time (holdSlot): the booking converts it. */
  readonly holdId?: string | null;
}

/** What holdSlot asks for: the booking's doctor, time and patient, without reason or key. */
export interface HoldSlotRequest {
  readonly doctorId: string;
  readonly startsAt: Date;
  readonly durationMinutes?: number | null;
  readonly patientId?: string | null;
}

/** What an appointment search may ask for (FHIR's Appointment search); every part optional, ids already checked as UUIDs. */
export interface AppointmentFilter {
  readonly patientId?: string;
  readonly doctorId?: string;
  readonly statuses?: readonly AppointmentStatus[];
  /** Starts at or after. */
  readonly startsFrom?: Date;
  /** Starts before. */
  readonly startsBefore?: Date;
}

/** Booking appointments (the doctor's stream carries each booking as `patientAdded`), and patients' appointments as a viewer may see them. */
export class AppointmentService {
  constructor(
    private readonly prisma: PrismaReader,
    private readonly sql: Sql,
    private readonly transactions: Transactions,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    /** HOLD_TTL: how long a hold keeps its time. */
    private readonly holdTtlMs: number,
  ) {}

  /**
   * A patient books themself with a doctor, or staff of the doctor's practice book for a patient
   * of that practice (`patientId`: someone who booked with it or accepted its invitation; anyone
   * else, known or not, is the same FORBIDDEN). The database refuses an overlap for the doctor or the
   * patient (exclusion constraints), so of any number of concurrent requests for one slot exactly
   * one commits and the others get SLOT_UNAVAILABLE. A doctor who set working hours is
   * SLOT_UNAVAILABLE outside them. The appointment (with who booked it), the doctor's and the
   * practice's patient-list entries, the `patientAdded` events on the doctor's and the practice's
   * streams, the audit row and the patient's mail jobs commit together; the events are published
   * after commit. Idempotency keys belong to the patient, whoever books.
   *
   * The hot path of the product (appointments.sql.ts): one read of everything the checks need,
   * then one transaction of five statements (the booking, the audit row, the events, the mail
   * jobs, the webhook fan-out) in three round trips: BEGIN with the booking, the audit row with
   * the events, the jobs with COMMIT (platform/sql.ts, live/transactions.ts).
   *
   * With `holdId` (a hold of this patient's, holdSlot) the booking converts the hold in place of
   * the insert (the same number of statements; the time stays taken throughout): NOT_FOUND for no
   * such hold of the patient's, HOLD_EXPIRED once it expired, BAD_USER_INPUT for another doctor or
   * time. Without it, the insert first deletes any expired hold in its way, so an expired hold
   * never blocks a booking.
   */
  async bookAppointment(viewer: Viewer | undefined, request: BookAppointmentRequest): Promise<Appointment> {
    const booker = requireViewer(viewer);
    // Who may book comes before what they sent: a doctor is FORBIDDEN, whatever the input.
    const patientId = this.patientBookedFor(booker, request);
    const now = this.clock();
    const booking = validateBooking(request, now);
    const { doctorId } = request;
    if (!isUuid(doctorId)) throw notFound('Doctor');
    const holdId = request.holdId ?? null;
    if (holdId !== null && !isUuid(holdId)) throw notFound('Hold');
    const fingerprint = booking.idempotencyKey ? bookingFingerprint(doctorId, booking) : null;

    const context = await readBookingContext(this.sql, {
      doctorId,
      patientId,
      bookerId: booker.userId,
      idempotencyKey: booking.idempotencyKey,
      holdId,
    });
    const { doctor, patient, staff } = checkBookingParties(booker, context);
    // After the staff check: another practice's desk must not learn of a booking through its key.
    if (context.repeat && fingerprint) return sameBooking(context.repeat, fingerprint);
    const hold =
      holdId === null
        ? null
        : checkHoldForBooking(
            context.hold,
            { doctorId, patientId, startsAt: booking.startsAt, endsAt: request.durationMinutes == null ? null : booking.endsAt },
            now,
          );
    const endsAt = hold?.endsAt ?? booking.endsAt;
    // A held time passed this check when it was held; the hours may have changed since.
    assertWithinWorkingHours(doctor.schedule, { start: booking.startsAt, end: endsAt });

    const row: AppointmentRow = {
      id: hold?.id ?? randomUUID(),
      doctorId,
      patientId,
      startsAt: booking.startsAt,
      endsAt,
      status: AppointmentStatus.BOOKED,
      reason: booking.reason,
      cancellationReason: null,
    };
    const { practiceId } = doctor;
    try {
      await this.transactions.run(async (tx) => {
        const write = {
          ...row,
          practiceId,
          idempotencyKey: booking.idempotencyKey,
          fingerprint,
          createdById: booker.userId,
          createdAt: this.clock(),
        };
        let visits: { firstVisit: boolean; practiceFirstVisit: boolean };
        if (hold) {
          const converted = await convertHold(tx, write);
          // It expired (or was booked by a concurrent request) since it was read: nothing was written.
          if (!converted.converted) throw write.createdAt >= hold.expiresAt ? holdExpired(hold.expiresAt) : notFound('Hold');
          visits = converted;
        } else {
          visits = await insertBooking(tx, write);
        }
        const event = { doctorId, patient: serializePatient(patient), appointment: serializeAppointment(row) };
        tx.emit(doctorStream(doctorId), AppointmentTopic.PatientAdded, (seq) => ({ seq, firstVisit: visits.firstVisit, ...event }));
        tx.emit(practiceStream(practiceId), AppointmentTopic.PracticePatientAdded, (seq) => ({
          seq,
          firstVisit: visits.practiceFirstVisit,
          ...event,
        }));
        // Not awaited: its statement leaves with the events' (Tx.alongside); it commits with them or nothing does.
        tx.alongside(
          this.audit.write(
            tx,
            booker,
            [{ action: AuditAction.BookAppointment, patientId, objectType: 'appointment', objectId: row.id }],
            staff?.practiceId ?? null,
          ),
        );
      });
      return toAppointment(row);
    } catch (error) {
      const mapped = mapDatabaseError(error);
      if (booking.idempotencyKey && fingerprint && mapped) {
        // A repeat of this request raced us and committed first. Depending on which constraint
        // PostgreSQL checks first we lose on the key (CONFLICT) or on the overlap with that very
        // booking (SLOT_UNAVAILABLE); either way the answer is the first booking.
        const earlier = await this.findRepeat(patientId, booking.idempotencyKey, fingerprint);
        if (earlier) return earlier;
      }
      throw mapped ?? error;
    }
  }

  /**
   * Holds a time for HOLD_TTL: who may, and when, exactly as for bookAppointment (a patient for
   * themself, staff for their practice's patient with its doctor; within working hours; in the
   * future). The hold is an appointments row with status HELD (appointments.sql.ts, INSERT_HOLD),
   * so the exclusion constraints that refuse double booking refuse an overlapping booking or hold
   * of the doctor or the patient too (SLOT_UNAVAILABLE), whatever races; an expired hold in its
   * way is deleted in the same statement. Audited (`appointment.hold`); no event, no mail: a
   * hold is not a visit, and it shows to others only as a busy time.
   */
  async holdSlot(viewer: Viewer | undefined, request: HoldSlotRequest): Promise<Hold> {
    const holder = requireViewer(viewer);
    const patientId = this.patientBookedFor(holder, request);
    const now = this.clock();
    const time = validateBooking({ startsAt: request.startsAt, durationMinutes: request.durationMinutes ?? null }, now);
    const { doctorId } = request;
    if (!isUuid(doctorId)) throw notFound('Doctor');
    const context = await readBookingContext(this.sql, { doctorId, patientId, bookerId: holder.userId, idempotencyKey: null });
    const { doctor, staff } = checkBookingParties(holder, context);
    assertWithinWorkingHours(doctor.schedule, { start: time.startsAt, end: time.endsAt });
    const hold: Hold = {
      id: randomUUID(),
      doctorId,
      patientId,
      startsAt: time.startsAt,
      endsAt: time.endsAt,
      expiresAt: holdExpiry(now, this.holdTtlMs),
    };
    try {
      await this.transactions.run(async (tx) => {
        await insertHold(tx, { ...hold, createdById: holder.userId, createdAt: now });
        await this.audit.write(
          tx,
          holder,
          [{ action: AuditAction.HoldSlot, patientId, objectType: 'appointment', objectId: hold.id }],
          staff?.practiceId ?? null,
        );
      });
    } catch (error) {
      throw mapDatabaseError(error) ?? error;
    }
    return hold;
  }

  /**
   * Whom the booking is for: a patient books for themself (a `patientId` other than their own is
   * FORBIDDEN), staff for the patient they name (their practice is checked against the doctor's,
   * the patient against the practice's list).
   * Doctors do not book.
   */
  private patientBookedFor(booker: Viewer, request: { readonly patientId?: string | null }): string {
    if (booker.role === Role.PATIENT) {
      if (request.patientId != null && request.patientId !== booker.userId) throw forbidden('A patient can only book for themself.');
      return booker.userId;
    }
    if (booker.role === Role.STAFF) {
      if (request.patientId == null) throw forbidden('Staff book for a patient: give patientId.');
      if (!isUuid(request.patientId)) throw forbidden(NOT_A_PATIENT_OF_THE_PRACTICE);
      return request.patientId;
    }
    throw forbidden("Only a patient, or staff of the doctor's practice, can book an appointment.");
  }

  /** Each patient's appointments the viewer may see (appointmentScopeFor), by start time, in one query; audited for anyone but the patient. */
  async appointmentsOfPatients(viewer: Viewer | undefined, patientIds: readonly string[]): Promise<Appointment[][]> {
    const scope = appointmentScopeFor(viewer);
    if (scope === 'none') return patientIds.map(() => []);
    const visible = visibleIn(scope);
    const rows = await this.prisma.appointment.findMany({
      where: { AND: [{ patientId: { in: [...patientIds] } }, visible, NOT_A_HOLD] },
      orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
    });
    const byPatient = new Map<string, Appointment[]>();
    for (const row of rows) {
      const list = byPatient.get(row.patientId) ?? [];
      list.push(toAppointment(row));
      byPatient.set(row.patientId, list);
    }
    // Someone else's appointments (reasons included): one row per patient whose appointments are sent.
    await recordDisclosures(
      this.audit,
      viewer,
      AuditAction.ReadAppointments,
      'appointment',
      [...byPatient.keys()].map((patientId) => ({ patientId })),
    );
    return patientIds.map((id) => byPatient.get(id) ?? []);
  }

  /**
   * One appointment the viewer may see (appointmentScopeFor: a doctor's own, a patient's own, the
   * desk's practice's); anything else, unknown or not, is NOT_FOUND. Someone else's is audited
   * (`appointments.read`) before it is returned. A hold is NOT_FOUND unless `liveHolds` (FHIR,
   * where a hold is an Appointment `pending`): then one that has not expired comes back, status HELD.
   */
  async readAppointment(viewer: Viewer | undefined, id: string, options: { readonly liveHolds?: boolean } = {}): Promise<Appointment> {
    const scope = appointmentScopeFor(requireViewer(viewer));
    if (scope === 'none' || !isUuid(id)) throw notFound('Appointment');
    const holds: Prisma.AppointmentWhereInput = options.liveHolds
      ? { OR: [NOT_A_HOLD, { status: AppointmentStatus.HELD, holdExpiresAt: { gt: this.clock() } }] }
      : NOT_A_HOLD;
    const row = await this.prisma.appointment.findFirst({ where: { AND: [{ id }, visibleIn(scope), holds] } });
    if (!row) throw notFound('Appointment');
    await recordDisclosures(this.audit, viewer, AuditAction.ReadAppointments, 'appointment', [
      { patientId: row.patientId, objectId: row.id },
    ]);
    return { ...toAppointment(row), holdExpiresAt: row.holdExpiresAt };
  }

  /**
   * The appointments the viewer may see that match `filter`, by start time, `first` from `offset`,
   * and how many match in all. One `appointments.read` row per other patient on the page.
   */
  async searchAppointments(
    viewer: Viewer | undefined,
    filter: AppointmentFilter,
    first: number,
    offset: number,
  ): Promise<{ appointments: Appointment[]; total: number }> {
    const scope = appointmentScopeFor(requireViewer(viewer));
    if (scope === 'none') return { appointments: [], total: 0 };
    const where: Prisma.AppointmentWhereInput = {
      AND: [
        visibleIn(scope),
        NOT_A_HOLD,
        filter.patientId === undefined ? {} : { patientId: filter.patientId },
        filter.doctorId === undefined ? {} : { doctorId: filter.doctorId },
        filter.statuses === undefined ? {} : { status: { in: [...filter.statuses] } },
        filter.startsFrom === undefined ? {} : { startsAt: { gte: filter.startsFrom } },
        filter.startsBefore === undefined ? {} : { startsAt: { lt: filter.startsBefore } },
      ],
    };
    const [rows, total] = await Promise.all([
      this.prisma.appointment.findMany({ where, orderBy: [{ startsAt: 'asc' }, { id: 'asc' }], take: first, skip: offset }),
      this.prisma.appointment.count({ where }),
    ]);
    await recordDisclosures(
      this.audit,
      viewer,
      AuditAction.ReadAppointments,
      'appointment',
      rows.map((row) => ({ patientId: row.patientId, objectId: row.id })),
    );
    return { appointments: rows.map(toAppointment), total };
  }

  /** The first booking made with this key, or CONFLICT when the key was used with other input. */
  private async findRepeat(patientId: string, idempotencyKey: string, fingerprint: string): Promise<Appointment | null> {
    const earlier = await readRepeat(this.sql, patientId, idempotencyKey);
    return earlier ? sameBooking(earlier, fingerprint) : null;
  }
}

/**
 * Who books (or holds) with whom, as read: staff only with their own practice's doctors and for
 * its patients (anyone else the same FORBIDDEN), and a doctor and a patient that exist.
 */
function checkBookingParties(booker: Viewer, context: BookingContext) {
  const staff = booker.role === Role.STAFF ? context.staffMembership : null;
  if (booker.role === Role.STAFF && !isStaffOf(staff, context.doctor?.practiceId ?? '')) {
    throw forbidden("Staff can only book with their own practice's doctors.");
  }
  const { doctor, patient } = context;
  if (!doctor) throw notFound('Doctor');
  if (booker.role === Role.STAFF && !(patient && context.patientOfPractice)) throw forbidden(NOT_A_PATIENT_OF_THE_PRACTICE);
  if (!patient) throw notFound('Patient');
  return { doctor, patient, staff };
}

/** The appointments a scope shows: a doctor's own, a patient's own, or (staff) their practice's doctors'. */
function visibleIn(scope: Exclude<AppointmentScope, 'none'>): Prisma.AppointmentWhereInput {
  if ('staffId' in scope) return { doctor: { practice: { staff: { some: { id: scope.staffId } } } } };
  if ('doctorId' in scope) return { doctorId: scope.doctorId };
  return { patientId: scope.patientId };
}

/** The earlier booking a repeated idempotency key stands for, or CONFLICT when the key came with other input. */
function sameBooking(earlier: { readonly row: AppointmentRow; readonly fingerprint: string | null }, fingerprint: string): Appointment {
  if (earlier.fingerprint !== fingerprint) throw conflict('This idempotencyKey was already used for a different booking.');
  return toAppointment(earlier.row);
}

declare module '../../graphql/request-context' {
  interface RequestServices {
    readonly appointments: AppointmentService;
    readonly appointmentLifecycle: AppointmentLifecycleService;
  }
}
