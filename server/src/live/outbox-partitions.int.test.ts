// The outbox partitioned by day (migration 20261218000000_events_partitioned_by_day), on a real
// PostgreSQL and on the embedded PGlite: the migration keeps the existing rows, days are prepared
// ahead from the injected clock, rows go to their day's partition (or to the default one, then
// into their day's when it is prepared), retention drops whole days past EVENT_RETENTION and
// nothing newer, and a reader then sees what it saw after the row-by-row DELETE: CURSOR_EXPIRED
// before the oldest kept event, a skipped gap inside the stream. Each case gets a database of its own.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { z } from 'zod';
import { createOwnDatabase, sqlSession } from '../../test/helpers/own-database';
import { patientAddedPayload } from '../../test/helpers/patient-added';
import { AppointmentTopic } from '../features/appointments/appointments.events';
import { parseConfig } from '../platform/config';
import { openDatabase, type Database } from '../platform/database';
import { createLogger } from '../platform/logger';
import { loadMigrations, runMigrations } from '../platform/migrations';
import type { Statement } from '../platform/sql';
import { EventEmitter } from 'node:events';
import { EventQueue } from './event-queue';
import { appendEvents, isBeyondRetention, readEventsAfter, readStreamPosition } from './outbox';
import { EVENT_PARTITION_DAYS_AHEAD, OutboxDispatcher } from './outbox-dispatcher';
import type { AppPubSub } from './pubsub';
import { readStream } from './stream-reader';
import type { MissingRange } from './stream-merge';
import type { StreamMessage } from './topics';

const DAY_MS = 86_400_000;
const RETENTION_SECONDS = 7 * 86_400;
const leftovers: Array<() => Promise<void>> = [];
const silent = createLogger({ logLevel: 'silent' });

afterEach(async () => {
  for (const dispose of leftovers.splice(0).reverse()) await dispose();
});

type Mode = 'postgres' | 'embedded';

async function openOwn(mode: Mode): Promise<Database> {
  let env: Record<string, string>;
  if (mode === 'postgres') {
    const own = await createOwnDatabase('careline_event_parts');
    leftovers.push(() => own.drop());
    env = { DATABASE_URL: own.url };
  } else {
    const dir = await mkdtemp(path.join(tmpdir(), 'careline-event-parts-'));
    leftovers.push(() => rm(dir, { recursive: true, force: true }));
    env = { DATA_DIR: dir };
  }
  const config = parseConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
  const database = await openDatabase(config.database, createLogger(config.runtime));
  leftovers.push(() => database.close());
  return database;
}

/** A dispatcher used only for its prune (no pub/sub: start() is never called). */
function dispatcherAt(database: Database, now: Date): OutboxDispatcher {
  const options = parseConfig({ NODE_ENV: 'test' }).outbox;
  const pubSub = { events: new EventEmitter() } as unknown as AppPubSub;
  return new OutboxDispatcher(database.sql, pubSub, silent, { ...options, eventRetentionSeconds: RETENTION_SECONDS }, () => now);
}

/** `count` events of the stream, written as the server writes them (the counter gives each its seq), published. */
async function append(database: Database, stream: string, count: number): Promise<number[]> {
  const doctorId = randomUUID();
  const written = await database.sql.transaction(
    (tx) =>
      appendEvents(
        tx,
        Array.from({ length: count }, () => ({
          stream,
          topic: AppointmentTopic.PatientAdded,
          build: (seq: number) => patientAddedPayload(seq, doctorId),
        })),
      ),
    { timeoutMs: 10_000 },
  );
  const seqs = written.map((event) => event.seq);
  // Only these rows: writers racing on one stream must not lock each other's in two orders.
  await query(database, 'UPDATE events SET published_at = now() WHERE stream = $1 AND seq = ANY($2::bigint[])', [stream, seqs]);
  return seqs;
}

let statements = 0;
const Row = z.record(z.string(), z.unknown());
async function query(database: Database, text: string, params: unknown[] = []): Promise<Array<Record<string, unknown>>> {
  statements += 1;
  const statement: Statement = { name: `test_event_parts_${statements}`, text };
  return (await database.sql.query(statement, params)).map((row) => Row.parse(row));
}

/** Moves the stream's events with seq in [from, to] to `at` (the partition key: they change partition). */
async function moveTo(database: Database, stream: string, from: number, to: number, at: Date): Promise<void> {
  await query(database, 'UPDATE events SET created_at = $2::timestamptz WHERE stream = $1 AND seq BETWEEN $3 AND $4', [
    stream,
    at.toISOString(),
    from,
    to,
  ]);
}

async function partitionsOf(database: Database, stream: string): Promise<string[]> {
  const rows = await query(database, 'SELECT DISTINCT tableoid::regclass::text AS part FROM events WHERE stream = $1', [stream]);
  return rows.map((row) => String(row['part'])).sort();
}

async function partitionNames(database: Database): Promise<string[]> {
  const rows = await query(database, `SELECT inhrelid::regclass::text AS name FROM pg_inherits WHERE inhparent = 'events'::regclass`);
  return rows.map((row) => String(row['name'])).sort();
}

/** `events_YYYYMMDD` of the UTC day `days` after `from`'s. */
function dayPartition(from: Date, days: number): string {
  return `events_${new Date(from.getTime() + days * DAY_MS).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

function utcMidnight(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}

/** A fresh database's history partition holds everything up to tomorrow; a deployment that has run a while has only days. */
async function withoutHistory(database: Database, now: Date): Promise<void> {
  await database.prisma.$executeRawUnsafe('ALTER TABLE events DETACH PARTITION events_history');
  await database.prisma.$executeRawUnsafe('DROP TABLE events_history');
  await query(database, 'SELECT events_prepare_partitions($1::timestamptz, $2::int)', [now.toISOString(), EVENT_PARTITION_DAYS_AHEAD]);
}

const fetcher = (database: Database, stream: string) => (afterSeq: number, limit: number) =>
  readEventsAfter(database.sql, stream, afterSeq, limit, () => undefined);

/** What a subscriber with this cursor reads: replays and ends (its live queue ends at once). */
async function replay(database: Database, stream: string, after: number): Promise<{ seqs: number[]; skipped: MissingRange[] }> {
  const skipped: MissingRange[] = [];
  const live = new EventQueue<StreamMessage>();
  live.end();
  const reader = readStream<StreamMessage>({
    start: after,
    replay: true,
    live,
    fetchAfter: fetcher(database, stream),
    signals: new EventEmitter(),
    authorize: () => undefined,
    maxQueued: 100,
    onOverflow: () => undefined,
    onSkip: (gap) => skipped.push(gap),
  });
  const seqs: number[] = [];
  for await (const message of reader) seqs.push(message.seq);
  return { seqs, skipped };
}

describe.each<Mode>(['postgres', 'embedded'])('the events table partitioned by day (%s)', (mode) => {
  it('prepares the coming days from the clock, and routes each event to its day, or to the default partition until its day is prepared', async () => {
    const database = await openOwn(mode);
    const now = new Date();
    expect(await partitionNames(database)).toEqual(
      expect.arrayContaining(['events_history', 'events_default', dayPartition(now, 1), dayPartition(now, EVENT_PARTITION_DAYS_AHEAD)]),
    );
    // Prepared already (by the migration): nothing more until the day turns.
    const dispatcher = dispatcherAt(database, now);
    await dispatcher.prune();
    expect(await partitionNames(database)).not.toContain(dayPartition(now, EVENT_PARTITION_DAYS_AHEAD + 1));

    const stream = `test-parts:${randomUUID()}`;
    expect(await append(database, stream, 3)).toEqual([1, 2, 3]);
    // Today is the history's (the table as it was); tomorrow has a day of its own.
    expect(await partitionsOf(database, stream)).toEqual(['events_history']);
    await moveTo(database, stream, 2, 2, new Date(utcMidnight(now).getTime() + DAY_MS + 3_600_000));
    expect(await partitionsOf(database, stream)).toEqual([dayPartition(now, 1), 'events_history'].sort());

    // A day nobody prepared (a clock far ahead) is not lost: the default partition keeps it...
    const farAhead = new Date(now.getTime() + 40 * DAY_MS);
    await moveTo(database, stream, 3, 3, farAhead);
    expect(
      (await query(database, 'SELECT tableoid::regclass::text AS part FROM events WHERE stream = $1 AND seq = 3', [stream]))[0],
    ).toEqual({
      part: 'events_default',
    });
    // ...until the server's clock reaches it: its partition is made with that row moved in.
    await query(database, 'SELECT events_prepare_partitions($1::timestamptz, $2::int)', [
      farAhead.toISOString(),
      EVENT_PARTITION_DAYS_AHEAD,
    ]);
    expect(
      (await query(database, 'SELECT tableoid::regclass::text AS part FROM events WHERE stream = $1 AND seq = 3', [stream]))[0],
    ).toEqual({
      part: dayPartition(farAhead, 0),
    });
    expect(await partitionNames(database)).toEqual(expect.arrayContaining([dayPartition(farAhead, EVENT_PARTITION_DAYS_AHEAD)]));
    expect(await query(database, 'SELECT count(*)::int AS n FROM events_default')).toEqual([{ n: 0 }]);
    // Every event is still read, in order, through the parent.
    expect((await readEventsAfter(database.sql, stream, 0, 10, () => undefined)).map((message) => message.seq)).toEqual([1, 2, 3]);
  });

  it('drops whole days past EVENT_RETENTION and nothing newer; a reader sees them pruned as after the DELETE', async () => {
    const database = await openOwn(mode);
    const now = new Date();
    await withoutHistory(database, now);
    expect(await partitionNames(database)).toContain(dayPartition(now, 0));
    const stream = `test-parts:${randomUUID()}`;
    // Seq 1-3 ten days ago, 4-5 eight days ago (both past a 7-day retention), 6-7 six days ago
    // (within it), 8-9 today. Their days had no partition: the default kept them until prepared.
    await append(database, stream, 9);
    await moveTo(database, stream, 1, 3, new Date(now.getTime() - 10 * DAY_MS));
    await moveTo(database, stream, 4, 5, new Date(now.getTime() - 8 * DAY_MS));
    await moveTo(database, stream, 6, 7, new Date(now.getTime() - 6 * DAY_MS));
    expect(await partitionsOf(database, stream)).toEqual(['events_default', dayPartition(now, 0)].sort());

    const result = await dispatcherAt(database, now).prune();
    // The three past days were moved out of the default partition into days of their own, and the
    // two wholly before the cutoff dropped; six days ago is kept.
    expect(result).toEqual({ droppedDays: 2, deletedEvents: 0 });
    const left = await partitionNames(database);
    expect(left).not.toContain(dayPartition(now, -10));
    expect(left).not.toContain(dayPartition(now, -8));
    expect(left).toEqual(expect.arrayContaining([dayPartition(now, -6), dayPartition(now, 0), 'events_default']));
    expect(await partitionsOf(database, stream)).toEqual([dayPartition(now, -6), dayPartition(now, 0)].sort());
    // Detached under the lock, then dropped on their own: no table of theirs is left.
    expect(
      await query(database, `SELECT relname FROM pg_class WHERE relname ~ '^events_[0-9]{8}$' AND relkind = 'r' AND NOT relispartition`),
    ).toEqual([]);

    // The reader's view: a cursor before the oldest kept event is CURSOR_EXPIRED; from it on, all is served.
    const position = await readStreamPosition(database.sql, stream);
    expect(position).toEqual({ lastSeq: 9, oldestSeq: 6 });
    expect(isBeyondRetention(0, position)).toBe(true);
    expect(isBeyondRetention(4, position)).toBe(true);
    expect(isBeyondRetention(5, position)).toBe(false);
    expect(await replay(database, stream, 5)).toEqual({ seqs: [6, 7, 8, 9], skipped: [] });
    // A reader behind a gap (it asked from seq 2, as a subscriber that was live before the drop)
    // skips what was dropped and goes on: the same as after the row-by-row DELETE.
    expect(await replay(database, stream, 2)).toEqual({ seqs: [6, 7, 8, 9], skipped: [{ after: 2, upTo: 5 }] });

    // Nothing more to drop: six days ago is within retention.
    expect(await dispatcherAt(database, now).prune()).toEqual({ droppedDays: 0, deletedEvents: 0 });
  });

  it('keeps a day past retention while it holds an unpublished event, as the DELETE kept those', async () => {
    const database = await openOwn(mode);
    const now = new Date();
    await withoutHistory(database, now);
    const stream = `test-parts:${randomUUID()}`;
    await append(database, stream, 2);
    await moveTo(database, stream, 1, 2, new Date(now.getTime() - 9 * DAY_MS));
    await query(database, 'UPDATE events SET published_at = NULL WHERE stream = $1 AND seq = 2', [stream]);
    expect(await dispatcherAt(database, now).prune()).toEqual({ droppedDays: 0, deletedEvents: 0 });
    expect(await partitionNames(database)).toContain(dayPartition(now, -9));
    // Published by the sweep: the next prune drops the day.
    await query(database, 'UPDATE events SET published_at = now() WHERE stream = $1', [stream]);
    expect(await dispatcherAt(database, now).prune()).toEqual({ droppedDays: 1, deletedEvents: 0 });
    expect(await readStreamPosition(database.sql, stream)).toEqual({ lastSeq: 2, oldestSeq: undefined });
  });

  it('deletes old published events row by row in the default and history partitions only', async () => {
    const database = await openOwn(mode);
    const now = new Date();
    const stream = `test-parts:${randomUUID()}`;
    await append(database, stream, 4);
    // The history (a fresh database's holds everything before tomorrow): two events eight days old.
    await moveTo(database, stream, 1, 2, new Date(now.getTime() - 8 * DAY_MS));
    expect(await partitionsOf(database, stream)).toEqual(['events_history']);
    expect(await dispatcherAt(database, now).prune()).toEqual({ droppedDays: 0, deletedEvents: 2 });
    expect(await readStreamPosition(database.sql, stream)).toEqual({ lastSeq: 4, oldestSeq: 3 });
  });
});

describe('uniqueness of (stream, seq) without a unique key on it (PostgreSQL)', () => {
  it('gives concurrent writers of one stream distinct, gap-free sequence numbers through its counter', async () => {
    const database = await openOwn('postgres');
    const stream = `test-parts:${randomUUID()}`;
    // The partitioned table's key is (stream, seq, created_at): two rows could share (stream, seq)
    // on different days, and only the counter prevents it: writers racing on one stream from
    // separate connections.
    const writers = Array.from({ length: 12 }, () => append(database, stream, 5));
    const seqs = (await Promise.all(writers)).flat().sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    const [row] = await query(
      database,
      'SELECT count(*)::int AS rows, count(DISTINCT seq)::int AS seqs, max(seq)::int AS last FROM events WHERE stream = $1',
      [stream],
    );
    expect(row).toEqual({ rows: 60, seqs: 60, last: 60 });
    // And what the keys are: nothing unique on (stream, seq) alone, (stream, seq, created_at) is.
    const keys = await query(
      database,
      `SELECT indexrelid::regclass::text AS name, indisunique AS is_unique FROM pg_index WHERE indrelid = 'events'::regclass ORDER BY 1`,
    );
    expect(keys).toEqual([
      { name: 'events_created_at_idx', is_unique: false },
      { name: 'events_pkey', is_unique: true },
      { name: 'events_stream_seq_created_at_key', is_unique: true },
      { name: 'events_unpublished_idx', is_unique: false },
    ]);
  });
});

describe('the migration on a database with events (PostgreSQL)', () => {
  it('keeps every row, its id sequence and the unpublished ones, in the history partition', async () => {
    const own = await createOwnDatabase('careline_event_parts_upgrade');
    leftovers.push(() => own.drop());
    const client = new Client({ connectionString: own.url });
    client.on('error', () => undefined);
    await client.connect();
    leftovers.push(() => client.end());
    const all = await loadMigrations();
    const at = all.findIndex((migration) => migration.name === '20261218000000_events_partitioned_by_day');
    expect(at).toBeGreaterThan(0);
    await runMigrations(sqlSession(client), silent, all.slice(0, at));
    await client.query(`INSERT INTO event_streams (stream, last_seq) VALUES ('s', 3)`);
    await client.query(`INSERT INTO events (stream, seq, topic, payload, created_at, published_at) VALUES
      ('s', 1, 'T', '{}', now() - interval '20 days', now()),
      ('s', 2, 'T', '{}', now() - interval '1 day', now()),
      ('s', 3, 'T', '{}', now(), NULL)`);
    const before = await client.query('SELECT id, stream, seq, topic, payload, created_at, published_at FROM events ORDER BY id');

    await runMigrations(sqlSession(client), silent, all);
    const after = await client.query('SELECT id, stream, seq, topic, payload, created_at, published_at FROM events ORDER BY id');
    expect(after.rows).toEqual(before.rows);
    const parts = await client.query(`SELECT DISTINCT tableoid::regclass::text AS part FROM events`);
    expect(parts.rows).toEqual([{ part: 'events_history' }]);
    // The id sequence goes on after the old rows; the unpublished one is still found by the sweep's index.
    await client.query(`INSERT INTO events (stream, seq, topic, payload) VALUES ('s', 4, 'T', '{}')`);
    const ids = await client.query<{ id: string }>(`SELECT id::text FROM events WHERE seq = 4`);
    expect(Number(ids.rows[0]!.id)).toBeGreaterThan(Math.max(...before.rows.map((row: { id: string }) => Number(row.id))));
    const unpublished = await client.query(`SELECT seq::int FROM events WHERE published_at IS NULL ORDER BY stream, seq`);
    expect(unpublished.rows).toEqual([{ seq: 3 }, { seq: 4 }]);
  });
});
