import { z } from 'zod';
import { int8, timestamp } from '../platform/sql-values';
import type { Sql, Statement } from '../platform/sql';
import { decodeStreamMessage, streamMessage, UndecodableMessage, type StreamMessage, type TopicName, type TopicPayload } from './topics';

/** An event written to the outbox, ready to publish once its transaction has committed. */
export interface PendingEvent<T extends TopicName> {
  readonly eventId: bigint;
  /** Its row's created_at, the key of its day's partition (marking it published finds it there). */
  readonly createdAt: Date;
  readonly stream: string;
  /** Position in the stream. */
  readonly seq: number;
  readonly payload: TopicPayload<T>;
  /** What pub/sub carries: seq, topic and payload. */
  readonly message: StreamMessage;
}

/** An event a transaction asked for; its sequence number is known once it is written. */
export interface EventToAppend<T extends TopicName> {
  readonly stream: string;
  readonly topic: T;
  readonly build: (seq: number) => TopicPayload<T>;
}

/**
 * Bumps each stream's counter by its number of events and inserts the events, in one statement.
 * The counter rows are upserted in the order their streams first appear in `events` and their
 * locks are held until commit, so two transactions of one stream commit their events in sequence
 * order and every stream's sequence has no gaps. Every writer lists its streams in the same order
 * (doctors, practice, patient), so two of them never deadlock on the counters. The stored payload
 * is the one `build` makes, with its `seq` set by the database to the number it gave.
 */
const APPEND_EVENTS: Statement = {
  name: 'outbox_append_events',
  text: `
    WITH wanted AS (
      SELECT w.stream, w.topic, w.payload, w.ord,
             row_number() OVER (PARTITION BY w.stream ORDER BY w.ord) AS nth,
             count(*) OVER (PARTITION BY w.stream) AS per_stream
      FROM unnest($1::text[], $2::text[], $3::jsonb[]) WITH ORDINALITY AS w(stream, topic, payload, ord)
    ), bumped AS (
      INSERT INTO event_streams AS s (stream, last_seq)
      SELECT stream, max(per_stream) FROM wanted GROUP BY stream ORDER BY min(ord)
      ON CONFLICT (stream) DO UPDATE SET last_seq = s.last_seq + EXCLUDED.last_seq
      RETURNING stream, last_seq
    ), numbered AS (
      SELECT w.ord, w.stream, w.topic, w.payload, b.last_seq - w.per_stream + w.nth AS seq
      FROM wanted w JOIN bumped b ON b.stream = w.stream
    ), inserted AS (
      INSERT INTO events (stream, seq, topic, payload)
      SELECT stream, seq, topic, payload || jsonb_build_object('seq', seq) FROM numbered ORDER BY ord
      RETURNING id, stream, seq, created_at
    )
    SELECT n.ord, i.id, i.seq, i.created_at FROM numbered n JOIN inserted i ON i.stream = n.stream AND i.seq = n.seq ORDER BY n.ord`,
};

const AppendedRow = z.object({ ord: int8, id: int8, seq: int8, created_at: timestamp });

/** Writes the events in the caller's transaction (one round trip for all of them); see APPEND_EVENTS. */
export async function appendEvents(sql: Sql, events: ReadonlyArray<EventToAppend<TopicName>>): Promise<Array<PendingEvent<TopicName>>> {
  if (events.length === 0) return [];
  const rows = await sql.query(APPEND_EVENTS, [
    events.map((event) => event.stream),
    events.map((event) => event.topic),
    // Built with seq 0: the statement sets the real one.
    events.map((event) => JSON.stringify(event.build(0))),
  ]);
  if (rows.length !== events.length) throw new Error(`${events.length} events to append, ${rows.length} written`);
  return rows.map((raw, index) => {
    const row = AppendedRow.parse(raw);
    const event = events[index];
    if (!event || Number(row.ord) !== index + 1) throw new Error('appended events came back out of order');
    const seq = Number(row.seq);
    const payload = event.build(seq);
    return {
      eventId: row.id,
      createdAt: row.created_at,
      stream: event.stream,
      seq,
      payload,
      message: streamMessage(seq, event.topic, payload),
    };
  });
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
const STREAM_POSITION: Statement = {
  name: 'outbox_stream_position',
  text: `
    SELECT (SELECT last_seq FROM event_streams WHERE stream = $1::text) AS last_seq,
           (SELECT min(seq) FROM events WHERE stream = $1::text) AS oldest_seq`,
};

const PositionRow = z.object({ last_seq: int8.nullable(), oldest_seq: int8.nullable() });

/** Where the stream stands now (STREAM_POSITION). */
export async function readStreamPosition(sql: Sql, stream: string): Promise<StreamPosition> {
  const [raw] = await sql.query(STREAM_POSITION, [stream]);
  const row = PositionRow.parse(raw);
  return { lastSeq: Number(row.last_seq ?? 0), oldestSeq: row.oldest_seq === null ? undefined : Number(row.oldest_seq) };
}

const LAST_SEQS: Statement = {
  name: 'outbox_last_seqs',
  text: 'SELECT stream, last_seq FROM event_streams WHERE stream = ANY($1::text[])',
};

const LastSeqRow = z.object({ stream: z.string(), last_seq: int8 });

/** Streams per LAST_SEQS statement (one index probe each). */
const LAST_SEQS_BATCH = 1000;

/** The last sequence of each of these streams (a stream with no event yet is absent): one statement per 1,000 streams. */
export async function readLastSeqs(sql: Sql, streams: readonly string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for (let from = 0; from < streams.length; from += LAST_SEQS_BATCH) {
    for (const raw of await sql.query(LAST_SEQS, [streams.slice(from, from + LAST_SEQS_BATCH)])) {
      const row = LastSeqRow.parse(raw);
      found.set(row.stream, Number(row.last_seq));
    }
  }
  return found;
}

/**
 * Whether a subscriber at `afterSeq` can no longer be served: events after it were written, and
 * the first of them has been pruned (CURSOR_EXPIRED).
 */
export function isBeyondRetention(afterSeq: number, position: StreamPosition): boolean {
  if (afterSeq >= position.lastSeq) return false;
  return position.oldestSeq === undefined || position.oldestSeq > afterSeq + 1;
}

const EVENTS_AFTER: Statement = {
  name: 'outbox_events_after',
  text: 'SELECT seq, topic, payload FROM events WHERE stream = $1::text AND seq > $2::bigint ORDER BY seq LIMIT $3::int',
};

const StoredRow = z.object({ seq: int8, topic: z.string(), payload: z.unknown() });

/** Stored messages of the stream with seq > afterSeq, in sequence order, at most `limit`. */
export async function readEventsAfter(
  sql: Sql,
  stream: string,
  afterSeq: number,
  limit: number,
  onUndecodable: (seq: number, error: UndecodableMessage) => void,
): Promise<StreamMessage[]> {
  const rows = await sql.query(EVENTS_AFTER, [stream, afterSeq, limit]);
  const messages: StreamMessage[] = [];
  for (const raw of rows) {
    const message = decodeStoredEvent(StoredRow.parse(raw), onUndecodable);
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

/** What is waiting to be published: how many events, and how long the oldest has waited. */
export interface OutboxBacklog {
  readonly events: number;
  readonly oldestAgeSeconds: number;
}

/** A count over the partial index of unpublished events (see the outbox migration). */
const BACKLOG: Statement = {
  name: 'outbox_backlog',
  text: `SELECT count(*)::int AS events, min(created_at) AS oldest, now() AS now FROM events WHERE published_at IS NULL`,
};

const BacklogRow = z.object({ events: z.number().int(), oldest: timestamp.nullable(), now: timestamp });

/** The outbox's backlog now (for /metrics). */
export async function readOutboxBacklog(sql: Sql): Promise<OutboxBacklog> {
  const row = BacklogRow.parse((await sql.query(BACKLOG, []))[0]);
  const oldestAgeSeconds = row.oldest === null ? 0 : Math.max(0, (row.now.getTime() - row.oldest.getTime()) / 1000);
  return { events: row.events, oldestAgeSeconds };
}
