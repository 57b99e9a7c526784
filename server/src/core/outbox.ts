import type { Prisma, PrismaClient } from '../generated/prisma/client';
import type { Logger } from './logger';
import type { AppPubSub } from './pubsub';
import type { TopicName, TopicPayload } from './topics';

/** An event written to the outbox, ready to publish once its transaction has committed. */
export interface PendingEvent<T extends TopicName> {
  readonly eventId: bigint;
  readonly topic: T;
  readonly topicId: string;
  readonly payload: TopicPayload<T>;
}

/** The stream of one doctor's events; its sequence orders them. */
export const doctorStream = (doctorId: string) => `doctor:${doctorId}`;

/** The stream of one patient's own events (their appointments, their vitals). */
export const patientStream = (patientId: string) => `patient:${patientId}`;

/**
 * Writes an event in the caller's transaction. The stream counter is bumped with an upsert whose
 * row lock is held until commit, so two transactions of one stream commit their events in
 * sequence order and the sequence has no gaps. Call it last in the transaction: the lock then
 * serialises only the commit, not the whole booking.
 */
export async function appendEvent<T extends TopicName>(
  tx: Prisma.TransactionClient,
  event: { stream: string; topic: T; topicId: string; build: (seq: number) => TopicPayload<T> },
): Promise<PendingEvent<T>> {
  const [row] = await tx.$queryRaw<Array<{ last_seq: bigint }>>`
    INSERT INTO event_streams (stream, last_seq) VALUES (${event.stream}, 1)
    ON CONFLICT (stream) DO UPDATE SET last_seq = event_streams.last_seq + 1
    RETURNING last_seq`;
  if (!row) throw new Error(`Could not advance event stream ${event.stream}`);
  const seq = Number(row.last_seq);
  const payload = event.build(seq);
  const created = await tx.event.create({
    data: { stream: event.stream, seq: row.last_seq, topic: event.topic, payload: payload as unknown as Prisma.InputJsonValue },
    select: { id: true },
  });
  return { eventId: created.id, topic: event.topic, topicId: event.topicId, payload };
}

/** Publishes committed outbox events and marks them published. */
export class EventPublisher {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly pubSub: AppPubSub,
    private readonly logger: Logger,
  ) {}

  /**
   * Publishes events whose transaction has committed, in order, without making the caller wait:
   * the change has succeeded, and its answer must not wait on pub/sub (Redis may be slow or down).
   * A failure is logged, never thrown; the event stays in the outbox, unpublished, for a later sweep.
   */
  publishCommitted(...events: ReadonlyArray<PendingEvent<TopicName>>): void {
    void (async () => {
      for (const event of events) {
        try {
          await this.pubSub.publish(event.topic, event.topicId, event.payload);
          await this.prisma.event.update({ where: { id: event.eventId }, data: { publishedAt: new Date() } });
        } catch (error) {
          this.logger.error({ err: error, eventId: String(event.eventId), topic: event.topic }, 'could not publish committed event');
        }
      }
    })();
  }
}
