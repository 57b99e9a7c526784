import { assertCanActForDoctor, requireRole, type Viewer } from '../../core/authorization';
import { decodeEventCursor } from '../../core/cursors';
import { conflict, mapDatabaseError, notFound, prismaCode } from '../../core/errors';
import type { EventQueue } from '../../core/event-queue';
import { appendEvent, doctorStream, type EventPublisher } from '../../core/outbox';
import type { AppPubSub } from '../../core/pubsub';
import { Topic } from '../../core/topics';
import { isUuid } from '../../core/validation';
import { Role } from '../../generated/prisma/enums';
import type { PrismaClient } from '../../generated/prisma/client';
import { PATIENT_SELECT } from '../patients/patients.service';
import { toAppointment, type AppointmentRow } from './appointments.mapper';
import type { PatientAddedPayload } from './appointments.events';
import { bookingFingerprint, validateBooking, type BookingRequest } from './appointments.rules';
import type { Appointment } from './appointments.type';

export interface BookAppointmentRequest extends BookingRequest {
  readonly doctorId: string;
}

// Generous: on PostgreSQL a booking waits only for another booking of the same doctor or patient;
// on the embedded database every transaction waits for the one before it.
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 } as const;

/** Booking appointments, and the live stream of a doctor's new bookings. */
export class AppointmentService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly pubSub: AppPubSub,
    private readonly publisher: EventPublisher,
  ) {}

  /**
   * A patient books themself with a doctor. The database refuses an overlap for the doctor or
   * the patient (exclusion constraints), so of any number of concurrent requests for one slot
   * exactly one commits and the others get SLOT_UNAVAILABLE. The appointment, the patient-list
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
          topicId: doctorId,
          build: (seq): PatientAddedPayload => ({
            seq,
            doctorId,
            firstVisit,
            patient: { id: patient.id, name: patient.user.name, dateOfBirth: patient.dateOfBirth?.toISOString() ?? null },
            appointment: serializeAppointment(row),
          }),
        });
        return { row, event };
      }, TRANSACTION_OPTIONS);
    } catch (error) {
      if (booking.idempotencyKey && fingerprint && prismaCode(error) === 'P2002') {
        // The same key raced in from a second request, and that one committed first.
        const earlier = await this.findRepeat(patientId, booking.idempotencyKey, fingerprint);
        if (earlier) return earlier;
      }
      throw mapDatabaseError(error) ?? error;
    }
    // performance.timeOrigin + now(): epoch milliseconds with sub-millisecond precision.
    const committedAtMs = performance.timeOrigin + performance.now();
    await this.publisher.publish({ ...committed.event, payload: { ...committed.event.payload, committedAtMs } });
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
   * The live stream of the doctor's new bookings, for that doctor only. With `after`, first every
   * stored event after that cursor in order, then live ones, none missing and none twice.
   */
  async subscribePatientAdded(viewer: Viewer | undefined, doctorId: string, after?: string | null): Promise<AsyncIterableIterator<PatientAddedPayload>> {
    assertCanActForDoctor(viewer, doctorId);
    const afterSeq = after ? decodeEventCursor(after) : undefined;
    const live = await this.pubSub.subscribe(Topic.PatientAdded, doctorId);
    if (afterSeq === undefined) return live;
    return this.replayThenLive(doctorId, afterSeq, live);
  }

  /**
   * Subscribed to live events first (buffered in `live`), then reads the stored ones: the seam
   * between the two is closed by dropping live events at or below the last sequence replayed.
   */
  private async *replayThenLive(doctorId: string, afterSeq: number, live: EventQueue<PatientAddedPayload>): AsyncGenerator<PatientAddedPayload> {
    try {
      const stored = await this.prisma.event.findMany({
        where: { stream: doctorStream(doctorId), seq: { gt: afterSeq } },
        orderBy: { seq: 'asc' },
        select: { payload: true },
      });
      let lastSeq = afterSeq;
      for (const { payload } of stored) {
        const event = payload as unknown as PatientAddedPayload;
        lastSeq = event.seq;
        yield event;
      }
      for await (const event of live) {
        if (event.seq <= lastSeq) continue;
        lastSeq = event.seq;
        yield event;
      }
    } finally {
      live.end();
    }
  }
}

function serializeAppointment(row: AppointmentRow): PatientAddedPayload['appointment'] {
  return {
    id: row.id,
    doctorId: row.doctorId,
    patientId: row.patientId,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    status: row.status,
    reason: row.reason,
  };
}
