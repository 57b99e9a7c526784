import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { decodeStreamMessage, streamMessage, UndecodableMessage, type StreamMessage, type TopicName, type TopicPayload } from './topics';

/** An event written to the outbox, ready to publish once its transaction has committed. */
export interface PendingEvent<T extends TopicName> {
  readonly eventId: bigint;
  readonly stream: string;
  /** Position in the stream. */
  readonly seq: number;
  readonly payload: TopicPayload<T>;
  /** What pub/sub carries: seq, topic and payload. */
  readonly message: StreamMessage;
}

/**
 * Writes an event in the caller's transaction. The stream counter is bumped with an upsert whose
 * row lock is held until commit, so two transactions of one stream commit their events in
 * sequence order and the sequence has no gaps. Call it last in the transaction: the lock then
 * serialises only the commit, not the whole booking.
 */
export async function appendEvent<T extends TopicName>(
  tx: Prisma.TransactionClient,
  event: { stream: string; topic: T; build: (seq: number) => TopicPayload<T> },
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
  return { eventId: created.id, stream: event.stream, seq, payload, message: streamMessage(seq, event.topic, payload) };
}

/** Where a stream stands: its last sequence ever written and the oldest one still retained. */
export interface StreamPosition {
  /** 0 when the stream has no event yet. */
  readonly lastSeq: number;
  /** undefined when no event of the stream is retained (none written, or all pruned). */
  readonly oldestSeq: number | undefined;
}

/**
 * The stream's last and oldest retained sequence numbers, read in ONE statement: one snapshot, so
 * a booking committing meanwhile is seen in both (its counter bump and its event) or in neither.
 */
export async function readStreamPosition(prisma: PrismaClient, stream: string): Promise<StreamPosition> {
  const [row] = await prisma.$queryRaw<Array<{ last_seq: bigint | null; oldest_seq: bigint | null }>>`
    SELECT (SELECT last_seq FROM event_streams WHERE stream = ${stream}) AS last_seq,
           (SELECT min(seq) FROM events WHERE stream = ${stream}) AS oldest_seq`;
  return {
    lastSeq: Number(row?.last_seq ?? 0),
    oldestSeq: row?.oldest_seq == null ? undefined : Number(row.oldest_seq),
  };
}

/**
 * Whether a subscriber at `afterSeq` can no longer be served: events after it were written, and
 * the first of them has been pruned (CURSOR_EXPIRED).
 */
export function isBeyondRetention(afterSeq: number, position: StreamPosition): boolean {
  if (afterSeq >= position.lastSeq) return false;
  return position.oldestSeq === undefined || position.oldestSeq > afterSeq + 1;
}

/** Stored messages of the stream with seq > afterSeq, in sequence order, at most `limit`. */
export async function readEventsAfter(
  prisma: PrismaClient,
  stream: string,
  afterSeq: number,
  limit: number,
  onUndecodable: (seq: number, error: UndecodableMessage) => void,
): Promise<StreamMessage[]> {
  const rows = await prisma.event.findMany({
    where: { stream, seq: { gt: afterSeq } },
    orderBy: { seq: 'asc' },
    take: limit,
    select: { seq: true, topic: true, payload: true },
  });
  const messages: StreamMessage[] = [];
  for (const row of rows) {
    const message = decodeStoredEvent(row, onUndecodable);
    if (message) messages.push(message);
  }
  return messages;
}

/**
 * A stored outbox row, checked against its topic's schema. A row that does not pass (written by a
 * newer version, or altered by hand) is reported and left out: the reader then sees a gap it
 * cannot fill and goes on after it, rather than hand a subscriber something it cannot trust.
 */
export function decodeStoredEvent(
  row: { seq: bigint | number; topic: string; payload: unknown },
  onUndecodable: (seq: number, error: UndecodableMessage) => void,
): StreamMessage | undefined {
  const seq = Number(row.seq);
  try {
    // Raw queries on the embedded database hand jsonb back as text.
    const payload: unknown = typeof row.payload === 'string' ? parseJson(row.payload) : row.payload;
    return decodeStreamMessage(seq, row.topic, payload);
  } catch (error) {
    if (!(error instanceof UndecodableMessage)) throw error;
    onUndecodable(seq, error);
    return undefined;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UndecodableMessage('payload is not JSON');
  }
}
