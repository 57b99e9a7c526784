import { assertCanActForDoctor, assertCanReceiveDoctorEvent, requireRole, type Viewer } from '../../accounts/authorization';
import type { SubscriberConnection } from '../../context';
import { WRITE_TRANSACTION_OPTIONS } from '../../platform/database';
import { conflict, mapDatabaseError, notFound } from '../../platform/errors';
import type { EventStreams } from '../../live/event-streams';
import { appendEvent, doctorStream } from '../../live/outbox';
import { Topic } from '../../live/topics';
import { isUuid } from '../../platform/validation';
import { Role } from '../../generated/prisma/enums';
import type { PrismaClient } from '../../generated/prisma/client';
import { PATIENT_SELECT } from '../patients/patients.service';
import type { AvailabilityService } from '../availability/availability.service';
import { serializeAppointment, toAppointment } from './appointments.mapper';
import type { PatientAddedPayload } from './appointments.events';
import { bookingFingerprint, validateBooking, type BookingRequest } from './appointments.rules';
import type { Appointment } from './appointments.type';

export interface BookAppointmentRequest extends BookingRequest {
  readonly doctorId: string;
}

/** Booking appointments, and the live stream of a doctor's new bookings. */
export class AppointmentService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly events: EventStreams,
    private readonly availability: AvailabilityService,
  ) {}

  /**
   * A patient books themself with a doctor. The database refuses an overlap for the doctor or
   * the patient (exclusion constraints), so of any number of concurrent requests for one slot
   * exactly one commits and the others get SLOT_UNAVAILABLE. A doctor who set working hours is
   * SLOT_UNAVAILABLE outside them (checked in the transaction). The appointment, the patient-list
   * entry and the `patientAdded` event commit together; the event is published after commit.
   */
  async bookAppointment(viewer: Viewer | undefined, request: BookAppointmentRequest): Promise<Appointment> {
    const { userId: patientId } = requireRole(viewer, Role.PATIENT, 'book an appointment');
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

    let committed;
    try {
      committed = await this.prisma.$transaction(async (tx) => {
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
        const event = await appendEvent(tx, {
          stream: doctorStream(doctorId),
          topic: Topic.PatientAdded,
          build: (seq): PatientAddedPayload => ({
            seq,
            doctorId,
            firstVisit,
            patient: { id: patient.id, name: patient.user.name, dateOfBirth: patient.dateOfBirth?.toISOString() ?? null },
            appointment: serializeAppointment(row),
          }),
        });
        return { row, event };
      }, WRITE_TRANSACTION_OPTIONS);
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
    this.events.committed([committed.event]);
    return toAppointment(committed.row);
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

  /**
   * The live stream of the doctor's new bookings, for that doctor only, strictly in commit order
   * and each once. With `after`, first every stored event after that cursor, then live ones;
   * CURSOR_EXPIRED when events after it were pruned. Without it, events committed from now on.
   */
  subscribePatientAdded(
    viewer: Viewer | undefined,
    doctorId: string,
    after?: string | null,
    connection?: SubscriberConnection,
  ): Promise<AsyncIterableIterator<PatientAddedPayload>> {
    const signedIn = assertCanActForDoctor(viewer, doctorId);
    return this.events.subscribe({
      stream: doctorStream(doctorId),
      topic: Topic.PatientAdded,
      after,
      authorize: (event) => assertCanReceiveDoctorEvent(signedIn, event.doctorId),
      connection,
    });
  }
}
