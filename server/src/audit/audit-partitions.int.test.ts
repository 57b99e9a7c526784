// The audit table partitioned by month (migration 20261205900000_audit_partitioned_by_month), on a
// real PostgreSQL: rows go to their month's partition (or the default one when no month was
// prepared), partitions are prepared ahead, retention drops a month past AUDIT_RETENTION whole
// and leaves every chain verifiable. Each case gets a database of its own.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createOwnDatabase } from '../../test/helpers/own-database';
import { internalViewer } from '../accounts/viewer';
import { Role } from '../generated/prisma/enums';
import { systemClock, type Clock } from '../platform/clock';
import { parseConfig } from '../platform/config';
import { openDatabase, type Database } from '../platform/database';
import { createLogger } from '../platform/logger';
import { AuditAction } from './audit-entry';
import { prepareAuditPartitions, pruneAuditTrail } from './audit-retention';
import { AuditTrail } from './audit-trail';
import { verifyAuditChains } from './audit-verify';

const KEY = 'audit-partitions-test-key-of-at-least-32-characters';
const RETENTION_SECONDS = 6 * 365 * 86400;
const DAY_MS = 86400_000;
const leftovers: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const dispose of leftovers.splice(0).reverse()) await dispose();
});

async function openOwn(): Promise<Database> {
  const own = await createOwnDatabase('careline_audit_parts');
  leftovers.push(() => own.drop());
  const config = parseConfig({ NODE_ENV: 'test', DATABASE_URL: own.url, LOG_LEVEL: 'silent' });
  const database = await openDatabase(config.database, createLogger(config.runtime));
  leftovers.push(() => database.close());
  return database;
}

/** `count` rows about one patient, written at the clock's time as the server writes a page of reads. */
async function writeRows(database: Database, clock: Clock, patientId: string, count = 3): Promise<void> {
  const audit = new AuditTrail(database.sql, async () => null, clock, KEY);
  await audit.record(
    internalViewer(randomUUID(), Role.DOCTOR),
    Array.from({ length: count }, (_, i) => ({
      action: AuditAction.ReadVitals,
      patientId,
      objectType: 'patient' as const,
      objectId: String(i),
    })),
  );
}

/** Which partition holds each of the patient's rows. */
async function partitionsOf(database: Database, patientId: string): Promise<string[]> {
  const rows = await database.prisma.$queryRawUnsafe<Array<{ part: string }>>(
    `SELECT DISTINCT tableoid::regclass::text AS part FROM audit_events WHERE patient_id = '${patientId}'`,
  );
  return rows.map((row) => row.part);
}

async function partitionNames(database: Database): Promise<string[]> {
  const rows = await database.prisma.$queryRawUnsafe<Array<{ name: string }>>(
    `SELECT inhrelid::regclass::text AS name FROM pg_inherits WHERE inhparent = 'audit_events'::regclass ORDER BY 1`,
  );
  return rows.map((row) => row.name);
}

/** `audit_events_YYYY_MM` of the UTC month `months` after the current one. */
function monthPartition(months: number): string {
  const now = systemClock();
  const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + months, 1));
  return `audit_events_${month.getUTCFullYear()}_${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
}

function verify(database: Database, now: Date) {
  return mkdtemp(path.join(tmpdir(), 'careline-parts-')).then(async (folder) => {
    leftovers.push(() => rm(folder, { recursive: true, force: true }));
    return verifyAuditChains(database, {
      key: KEY,
      checkpointFile: path.join(folder, 'none.jsonl'),
      retentionSeconds: RETENTION_SECONDS,
      now,
    });
  });
}

it('prepares the coming months ahead, and routes each row to the partition of its month', async () => {
  const database = await openOwn();
  expect(await partitionNames(database)).toEqual(
    expect.arrayContaining(['audit_events_history', 'audit_events_default', monthPartition(1), monthPartition(2)]),
  );
  // Prepared already: nothing more to create until the month turns.
  expect(await prepareAuditPartitions(database.sql)).toBe(0);

  const nextMonth = randomUUID();
  await writeRows(database, () => new Date(Date.UTC(systemClock().getUTCFullYear(), systemClock().getUTCMonth() + 1, 15)), nextMonth);
  expect(await partitionsOf(database, nextMonth)).toEqual([monthPartition(1)]);

  // A month nobody prepared (a clock far ahead) is not lost: the default partition keeps it, and
  // preparing partitions later leaves that month there rather than failing.
  const farAhead = randomUUID();
  const inTwoYears = () => new Date(systemClock().getTime() + 730 * DAY_MS);
  await writeRows(database, inTwoYears, farAhead);
  expect(await partitionsOf(database, farAhead)).toEqual(['audit_events_default']);
  await database.prisma.$executeRawUnsafe('SELECT audit_prepare_partitions(24)');
  expect(await partitionsOf(database, farAhead)).toEqual(['audit_events_default']);
  expect((await partitionNames(database)).length).toBeGreaterThan(20);

  expect((await verify(database, systemClock())).firstBreak).toBeUndefined();
});

it('drops a month past AUDIT_RETENTION whole, keeps the months within it, and every chain stays verifiable', async () => {
  const database = await openOwn();
  // A deployment that has run for years: its first months have partitions of their own. (A fresh
  // database's history partition holds everything before the migration; here it is empty.)
  await database.prisma.$executeRawUnsafe('ALTER TABLE audit_events DETACH PARTITION audit_events_history');
  await database.prisma.$executeRawUnsafe('DROP TABLE audit_events_history');
  const now = systemClock();
  const sevenYearsAgo = new Date(Date.UTC(now.getUTCFullYear() - 7, now.getUTCMonth(), 1));
  const old = `audit_events_${sevenYearsAgo.getUTCFullYear()}_${String(sevenYearsAgo.getUTCMonth() + 1).padStart(2, '0')}`;
  const upTo = new Date(Date.UTC(sevenYearsAgo.getUTCFullYear(), sevenYearsAgo.getUTCMonth() + 1, 1));
  await database.prisma.$executeRawUnsafe(
    `CREATE TABLE ${old} PARTITION OF audit_events FOR VALUES FROM ('${sevenYearsAgo.toISOString()}') TO ('${upTo.toISOString()}')`,
  );
  await database.prisma.$executeRawUnsafe(
    `CREATE TABLE audit_events_recent PARTITION OF audit_events FOR VALUES FROM ('${upTo.toISOString()}') TO ('${new Date(
      Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1),
    ).toISOString()}')`,
  );

  const oldPatient = randomUUID();
  const recentPatient = randomUUID();
  await writeRows(database, () => new Date(sevenYearsAgo.getTime() + 3 * DAY_MS), oldPatient, 4);
  await writeRows(database, () => new Date(now.getTime() - DAY_MS), recentPatient, 2);
  expect(await partitionsOf(database, oldPatient)).toEqual([old]);

  expect(await pruneAuditTrail(database.sql, RETENTION_SECONDS, now)).toBe(4);
  const left = await partitionNames(database);
  expect(left).not.toContain(old);
  expect(left).toContain('audit_events_recent');
  expect(await database.prisma.auditEvent.count({ where: { patientId: recentPatient } })).toBe(2);
  expect(await verify(database, now)).toMatchObject({ firstBreak: undefined, rowsChecked: 2 });
  // Nothing more to drop or delete.
  expect(await pruneAuditTrail(database.sql, RETENTION_SECONDS, now)).toBe(0);
});

it('keeps a month past retention that still holds a row its chain has not been cut at', async () => {
  const database = await openOwn();
  await database.prisma.$executeRawUnsafe('ALTER TABLE audit_events DETACH PARTITION audit_events_history');
  await database.prisma.$executeRawUnsafe('DROP TABLE audit_events_history');
  const now = systemClock();
  const start = new Date(Date.UTC(now.getUTCFullYear() - 7, now.getUTCMonth(), 1));
  const upTo = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  await database.prisma.$executeRawUnsafe(
    `CREATE TABLE audit_events_old PARTITION OF audit_events FOR VALUES FROM ('${start.toISOString()}') TO ('${upTo.toISOString()}')`,
  );
  const patient = randomUUID();
  await writeRows(database, () => new Date(start.getTime() + DAY_MS), patient, 2);
  // The chain's head, moved back below its rows (as after a restore): its cut cannot pass them, so
  // the month is kept rather than dropped with rows the chain still counts.
  await database.prisma.$executeRawUnsafe(
    `UPDATE audit_chain_heads SET seq = 0 WHERE partition IN (SELECT partition FROM audit_events WHERE patient_id = '${patient}')`,
  );
  await pruneAuditTrail(database.sql, RETENTION_SECONDS, now);
  expect(await partitionNames(database)).toContain('audit_events_old');
  expect(await database.prisma.auditEvent.count({ where: { patientId: patient } })).toBe(2);
});
