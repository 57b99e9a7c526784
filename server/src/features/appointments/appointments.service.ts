import { assertCanActForDoctor, assertCanReceiveDoctorEvent, requireRole, type Viewer } from '../../core/authorization';
import type { SubscriberConnection } from '../../core/context';
import { decodeEventCursor } from '../../core/cursors';
import { conflict, cursorExpired, ErrorCode, mapDatabaseError, notFound, prismaCode } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { appendEvent, doctorStream, isBeyondRetention, readEventsAfter, readStreamPosition } from '../../core/outbox';
import type { OutboxDispatcher } from '../../core/outbox-dispatcher';
import type { AppPubSub } from '../../core/pubsub';
import { readStream } from '../../core/stream-reader';
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
    private readonly dispatcher: OutboxDispatcher,
    private readonly logger: Logger,
    private readonly options: { readonly maxQueuedEvents: number },
  ) {}

  /**
   * A patient books themself with a doctor. The database refuses an overlap for the doctor or
   * the patient (exclusion constraints), so of any number of concurrent requests for one slot
   * exactly one commits and the others get SLOT_UNAVAILABLE. The appointment, the patient-list
   * entry and the `patientAdded` event commit together; the event is published after commit
   * (by the outbox dispatcher, or by its sweep if this process dies first).
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
      const mapped = mapDatabaseError(error);
      if (booking.idempotencyKey && fingerprint && (prismaCode(error) === 'P2002' || mapped?.extensions['code'] === ErrorCode.SlotUnavailable)) {
        // The same key raced in from a second request, and that one committed first: its row
        // trips the key's unique index, or (same slot) the exclusion constraint before it.
        const earlier = await this.findRepeat(patientId, booking.idempotencyKey, fingerprint);
        if (earlier) return earlier;
      }
      throw mapped ?? error;
    }
    // Not awaited: the booking is durable and its event safe in the outbox, so the patient need
    // not wait for Redis. The dispatcher tracks it (a SIGTERM drain waits for it to finish).
    void this.dispatcher.committed(committed.event.stream);
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
   * and each once (stream-reader.ts). With `after`, first every stored event after that cursor,
   * then live ones; CURSOR_EXPIRED when events after it were pruned. Without it, events committed
   * from now on. Live events are subscribed before the stream's position is read, so none falls
   * in between.
   */
  async subscribePatientAdded(
    viewer: Viewer | undefined,
    doctorId: string,
    after?: string | null,
    connection?: SubscriberConnection,
  ): Promise<AsyncIterableIterator<PatientAddedPayload>> {
    const signedIn = assertCanActForDoctor(viewer, doctorId);
    const afterSeq = after ? decodeEventCursor(after) : undefined;
    const stream = doctorStream(doctorId);
    const live = await this.pubSub.subscribe(Topic.PatientAdded, doctorId);
    try {
      const position = await readStreamPosition(this.prisma, stream);
      if (afterSeq !== undefined && isBeyondRetention(afterSeq, position)) throw cursorExpired();
      return readStream<PatientAddedPayload>({
        start: afterSeq ?? position.lastSeq,
        replay: afterSeq !== undefined,
        live,
        fetchAfter: (seq, limit) => readEventsAfter<typeof Topic.PatientAdded>(this.prisma, stream, seq, limit),
        signals: this.pubSub.events,
        authorize: (event) => assertCanReceiveDoctorEvent(signedIn, event.doctorId),
        maxQueued: this.options.maxQueuedEvents,
        onOverflow: () => connection?.closeSlowConsumer(),
        onSkip: (gap) => this.logger.warn({ stream, ...gap }, 'events missing from the database (pruned?); delivery continues after them'),
      });
    } catch (error) {
      live.end();
      throw error;
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
