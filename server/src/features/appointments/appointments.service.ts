import { requireViewer, type AppointmentScope, type Viewer } from '../../accounts/authorization';
import { AuditAction } from '../../audit/audit-entry';
import type { AuditTrail } from '../../audit/audit-trail';
import type { EventStreams } from '../../live/event-streams';
import { doctorStream, practiceStream } from '../../live/streams';
import { conflict, forbidden, mapDatabaseError, notFound } from '../../platform/errors';
import { isUuid } from '../../platform/validation';
import { Role } from '../../generated/prisma/enums';
import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import type { PracticeMembers } from '../practices/practices.members';
import { isStaffOf } from '../practices/practices.policy';
import { serializePatient } from '../patients/patients.json';
import { PATIENT_SELECT } from '../patients/patients.service';
import type { AvailabilityService } from '../availability/availability.service';
import type { AppointmentLifecycleService } from './appointments.lifecycle';
import { serializeAppointment, toAppointment } from './appointments.mapper';
import { AppointmentTopic } from './appointments.events';
import { bookingFingerprint, validateBooking, type BookingRequest } from './appointments.rules';
import type { Appointment } from './appointments.type';

export interface BookAppointmentRequest extends BookingRequest {
  readonly doctorId: string;
  /** Set when staff book on a patient's behalf; a patient booking for themself leaves it unset. */
  readonly patientId?: string | null;
}

/** Booking appointments (the doctor's stream carries each booking as `patientAdded`), and patients' appointments as a viewer may see them. */
export class AppointmentService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly events: EventStreams,
    private readonly availability: AvailabilityService,
    private readonly audit: AuditTrail,
    private readonly members: PracticeMembers,
  ) {}

  /**
   * A patient books themself with a doctor, or staff of the doctor's practice book for a
   * registered patient (`patientId`). The database refuses an overlap for the doctor or the
   * patient (exclusion constraints), so of any number of concurrent requests for one slot exactly
   * one commits and the others get SLOT_UNAVAILABLE. A doctor who set working hours is
   * SLOT_UNAVAILABLE outside them (checked in the transaction). The appointment (with who booked
   * it), the doctor's and the practice's patient-list entries and the `patientAdded` events on
   * the doctor's and the practice's streams commit together; the events are published after
   * commit. Idempotency keys belong to the patient, whoever books.
   */
  async bookAppointment(viewer: Viewer | undefined, request: BookAppointmentRequest): Promise<Appointment> {
    const booker = requireViewer(viewer);
    // Who may book comes before what they sent: a doctor is FORBIDDEN, whatever the input.
    const patientId = this.patientBookedFor(booker, request);
    const booking = validateBooking(request, new Date());
    const { doctorId } = request;
    if (!isUuid(doctorId)) throw notFound('Doctor');
    const fingerprint = booking.idempotencyKey ? bookingFingerprint(doctorId, booking) : null;

    const [doctor, patient] = await Promise.all([
      this.prisma.doctor.findUnique({ where: { id: doctorId }, select: { id: true, practiceId: true } }),
      this.prisma.patient.findUnique({ where: { id: patientId }, select: PATIENT_SELECT }),
    ]);
    if (booker.role === Role.STAFF && !isStaffOf(await this.members.membershipOf(booker), doctor?.practiceId ?? '')) {
      throw forbidden("Staff can only book with their own practice's doctors.");
    }
    if (!doctor) throw notFound('Doctor');
    if (!patient) throw notFound('Patient');
    const { practiceId } = doctor;
    // After the staff check: another practice's desk must not learn of a booking through its key.
    if (booking.idempotencyKey && fingerprint) {
      const earlier = await this.findRepeat(patientId, booking.idempotencyKey, fingerprint);
      if (earlier) return earlier;
    }

    try {
      const row = await this.events.transaction(async (tx, emit) => {
        await this.availability.assertWithinWorkingHours(tx, doctorId, { start: booking.startsAt, end: booking.endsAt });
        const row = await tx.appointment.create({
          data: {
            doctorId,
            patientId,
            startsAt: booking.startsAt,
            endsAt: booking.endsAt,
            reason: booking.reason,
            idempotencyKey: booking.idempotencyKey,
            idempotencyFingerprint: fingerprint,
            createdById: booker.userId,
          },
        });
        // ON CONFLICT DO NOTHING: of two first bookings racing, exactly one inserts the list entry.
        const bookedAt = row.createdAt;
        const { count } = await tx.doctorPatient.createMany({
          data: [{ doctorId, patientId, firstBookedAt: bookedAt, lastBookedAt: bookedAt }],
          skipDuplicates: true,
        });
        const firstVisit = count === 1;
        if (!firstVisit) {
          await tx.doctorPatient.update({ where: { doctorId_patientId: { doctorId, patientId } }, data: { lastBookedAt: bookedAt } });
        }
        const practiceFirstVisit = await addToPracticeList(tx, practiceId, patientId, bookedAt);
        const event = { doctorId, patient: serializePatient(patient), appointment: serializeAppointment(row) };
        emit(doctorStream(doctorId), AppointmentTopic.PatientAdded, (seq) => ({ seq, firstVisit, ...event }));
        emit(practiceStream(practiceId), AppointmentTopic.PracticePatientAdded, (seq) => ({ seq, firstVisit: practiceFirstVisit, ...event }));
        await this.audit.write(tx, booker, [{ action: AuditAction.BookAppointment, patientId, objectType: 'appointment', objectId: row.id }]);
        return row;
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
   * Whom the booking is for: a patient books for themself (a `patientId` other than their own is
   * FORBIDDEN), staff for the patient they name (their practice is checked against the doctor's).
   * Doctors do not book.
   */
  private patientBookedFor(booker: Viewer, request: BookAppointmentRequest): string {
    if (booker.role === Role.PATIENT) {
      if (request.patientId != null && request.patientId !== booker.userId) throw forbidden('A patient can only book for themself.');
      return booker.userId;
    }
    if (booker.role === Role.STAFF) {
      if (request.patientId == null) throw forbidden('Staff book for a patient: give patientId.');
      if (!isUuid(request.patientId)) throw notFound('Patient');
      return request.patientId;
    }
    throw forbidden('Only a patient, or staff of the doctor\'s practice, can book an appointment.');
  }

  /** Each patient's appointments visible in `scope`, by start time, in one query. */
  async appointmentsOfPatients(scope: AppointmentScope, patientIds: readonly string[]): Promise<Appointment[][]> {
    if (scope === 'none') return patientIds.map(() => []);
    const visible = visibleIn(scope);
    const rows = await this.prisma.appointment.findMany({
      where: { AND: [{ patientId: { in: [...patientIds] } }, visible] },
      orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
    });
    const byPatient = new Map<string, Appointment[]>();
    for (const row of rows) {
      const list = byPatient.get(row.patientId) ?? [];
      list.push(toAppointment(row));
      byPatient.set(row.patientId, list);
    }
    return patientIds.map((id) => byPatient.get(id) ?? []);
  }

  /** The first booking made with this key, or CONFLICT when the key was used with other input. */
  private async findRepeat(patientId: string, idempotencyKey: string, fingerprint: string): Promise<Appointment | null> {
    const earlier = await this.prisma.appointment.findUnique({
      where: { patientId_idempotencyKey: { patientId, idempotencyKey } },
    });
    if (!earlier) return null;
    if (earlier.idempotencyFingerprint !== fingerprint) {
      throw conflict('This idempotencyKey was already used for a different booking.');
    }
    return toAppointment(earlier);
  }
}

/** The appointments a scope shows: a doctor's own, a patient's own, or (staff) their practice's doctors'. */
function visibleIn(scope: Exclude<AppointmentScope, 'none'>): Prisma.AppointmentWhereInput {
  if ('staffId' in scope && typeof scope.staffId === 'string') return { doctor: { practice: { staff: { some: { id: scope.staffId } } } } };
  if ('doctorId' in scope && typeof scope.doctorId === 'string') return { doctorId: scope.doctorId };
  if ('patientId' in scope && typeof scope.patientId === 'string') return { patientId: scope.patientId };
  return { id: { in: [] } };
}

/** Puts the patient on the practice's list; true when this booking did (ON CONFLICT DO NOTHING decides races). */
async function addToPracticeList(tx: Prisma.TransactionClient, practiceId: string, patientId: string, bookedAt: Date): Promise<boolean> {
  const { count } = await tx.practicePatient.createMany({ data: [{ practiceId, patientId, firstBookedAt: bookedAt }], skipDuplicates: true });
  return count === 1;
}

declare module '../../graphql/request-context' {
  interface RequestServices {
    readonly appointments: AppointmentService;
    readonly appointmentLifecycle: AppointmentLifecycleService;
  }
}
