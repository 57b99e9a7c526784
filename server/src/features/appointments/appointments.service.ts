import { requireRole, type AppointmentScope, type Viewer } from '../../accounts/authorization';
import { AuditAction } from '../../audit/audit-entry';
import type { AuditTrail } from '../../audit/audit-trail';
import type { EventStreams } from '../../live/event-streams';
import { doctorStream } from '../../live/streams';
import { conflict, mapDatabaseError, notFound } from '../../platform/errors';
import { isUuid } from '../../platform/validation';
import { Role } from '../../generated/prisma/enums';
import type { PrismaClient } from '../../generated/prisma/client';
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
}

/** Booking appointments (the doctor's stream carries each booking as `patientAdded`), and patients' appointments as a viewer may see them. */
export class AppointmentService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly events: EventStreams,
    private readonly availability: AvailabilityService,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * A patient books themself with a doctor. The database refuses an overlap for the doctor or
   * the patient (exclusion constraints), so of any number of concurrent requests for one slot
   * exactly one commits and the others get SLOT_UNAVAILABLE. A doctor who set working hours is
   * SLOT_UNAVAILABLE outside them (checked in the transaction). The appointment, the patient-list
   * entry and the `patientAdded` event commit together; the event is published after commit.
   */
  async bookAppointment(viewer: Viewer | undefined, request: BookAppointmentRequest): Promise<Appointment> {
    const signedIn = requireRole(viewer, Role.PATIENT, 'book an appointment');
    const patientId = signedIn.userId;
    const booking = validateBooking(request, new Date());
    const { doctorId } = request;
    if (!isUuid(doctorId)) throw notFound('Doctor');
    const fingerprint = booking.idempotencyKey ? bookingFingerprint(doctorId, booking) : null;

    if (booking.idempotencyKey && fingerprint) {
      const earlier = await this.findRepeat(patientId, booking.idempotencyKey, fingerprint);
      if (earlier) return earlier;
    }
    const [doctor, patient] = await Promise.all([
      this.prisma.doctor.findUnique({ where: { id: doctorId }, select: { id: true } }),
      this.prisma.patient.findUnique({ where: { id: patientId }, select: PATIENT_SELECT }),
    ]);
    if (!doctor) throw notFound('Doctor');
    if (!patient) throw notFound('Patient');

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
        await emit(doctorStream(doctorId), AppointmentTopic.PatientAdded, (seq) => ({
          seq,
          doctorId,
          firstVisit,
          patient: serializePatient(patient),
          appointment: serializeAppointment(row),
        }));
        await this.audit.write(tx, signedIn, [{ action: AuditAction.BookAppointment, patientId, objectType: 'appointment', objectId: row.id }]);
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

  /** Each patient's appointments visible in `scope`, by start time, in one query. */
  async appointmentsOfPatients(scope: AppointmentScope, patientIds: readonly string[]): Promise<Appointment[][]> {
    if (scope === 'none') return patientIds.map(() => []);
    const rows = await this.prisma.appointment.findMany({
      where: { AND: [{ patientId: { in: [...patientIds] } }, scope] },
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

declare module '../../graphql/request-context' {
  interface RequestServices {
    readonly appointments: AppointmentService;
    readonly appointmentLifecycle: AppointmentLifecycleService;
  }
}
