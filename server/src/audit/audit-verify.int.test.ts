// audit:verify against real databases: an intact trail passes (exit 0); an edited, deleted or
// reordered row is named (exit 1). Tampering is done the way only a superuser can: with the
// append-only trigger disabled. Each case gets a database of its own.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createOwnDatabase, type OwnDatabase } from '../../test/helpers/own-database';
import { internalViewer } from '../accounts/viewer';
import { Role } from '../generated/prisma/enums';
import { parseConfig } from '../platform/config';
import { openDatabase, type Database } from '../platform/database';
import { systemClock } from '../platform/clock';
import { createLogger } from '../platform/logger';
import { describeBreak } from './audit-chain';
import { AuditAction } from './audit-entry';
import { pruneAuditTrail } from './audit-retention';
import { AuditTrail } from './audit-trail';
import { verifyAuditChains } from './audit-verify';

const SERVER_DIR = path.resolve(__dirname, '..', '..');
const PATIENT = randomUUID();
const leftovers: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const dispose of leftovers.splice(0).reverse()) await dispose();
});

async function openOwn(): Promise<{ database: Database; own: OwnDatabase }> {
  const own = await createOwnDatabase('careline_audit');
  leftovers.push(() => own.drop());
  const config = parseConfig({ NODE_ENV: 'test', DATABASE_URL: own.url, LOG_LEVEL: 'silent' });
  const database = await openDatabase(config.database, createLogger(config.runtime));
  leftovers.push(() => database.close());
  return { database, own };
}

/** Six rows about one patient, written as the server writes a page of reads: one batch, so one chain. */
async function writeTrail(database: Database): Promise<void> {
  const audit = new AuditTrail(database.sql, async () => null, systemClock);
  const doctor = internalViewer(randomUUID(), Role.DOCTOR);
  await audit.record(
    doctor,
    Array.from({ length: 6 }, (_, i) => ({
      action: i % 2 ? AuditAction.ReadVitals : AuditAction.ListPatients,
      patientId: PATIENT,
      objectType: 'patient' as const,
      objectId: String(i),
    })),
  );
}

/** Runs SQL with the append-only trigger disabled, as a superuser could. */
async function tamper(database: Database, sql: string): Promise<void> {
  await database.prisma.$executeRawUnsafe('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
  await database.prisma.$executeRawUnsafe(sql);
  await database.prisma.$executeRawUnsafe('ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only');
}

/** The id of the patient's n-th row (1-based, oldest first). */
const rowId = (n: number) => `(SELECT id FROM audit_events WHERE patient_id = '${PATIENT}' ORDER BY id OFFSET ${n - 1} LIMIT 1)`;

function runVerify(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/scripts/audit-verify.ts'], {
      cwd: SERVER_DIR,
      env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'test', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

it('npm run audit:verify exits 0 on an intact trail', async () => {
  const { database, own } = await openOwn();
  await writeTrail(database);
  const { code, output } = await runVerify({ DATABASE_URL: own.url });
  expect(output).toMatch(/audit trail intact: 6 rows in 64 chains/);
  expect(code).toBe(0);
}, 60_000);

it('npm run audit:verify exits 1 naming an edited row', async () => {
  const { database, own } = await openOwn();
  await writeTrail(database);
  await tamper(database, `UPDATE audit_events SET outcome = 'DENIED' WHERE id = ${rowId(4)}`);
  const { code, output } = await runVerify({ DATABASE_URL: own.url });
  expect(output).toMatch(/row id \d+ \(seq 4\) its content does not match its hash \(edited\)/);
  expect(code).toBe(1);
}, 60_000);

it('names a deleted row by its missing seq', async () => {
  const { database } = await openOwn();
  await writeTrail(database);
  await tamper(database, `DELETE FROM audit_events WHERE id = ${rowId(3)}`);
  const { firstBreak } = await verifyAuditChains(database);
  expect(firstBreak).toMatchObject({ seq: 3, problem: 'missing' });
  expect(describeBreak(firstBreak!)).toMatch(/seq 3 is missing \(deleted\)/);
});

it('names a reordered row (two rows swapped their places in the chain)', async () => {
  const { database } = await openOwn();
  await writeTrail(database);
  // Rows 2 and 5 trade places: each takes the other's seq (through a free value, seq is unique per chain).
  await tamper(
    database,
    `WITH a AS (SELECT id, seq FROM audit_events WHERE id = ${rowId(2)}), b AS (SELECT id, seq FROM audit_events WHERE id = ${rowId(5)})
     UPDATE audit_events e SET seq = -(CASE WHEN e.id = (SELECT id FROM a) THEN (SELECT seq FROM b) ELSE (SELECT seq FROM a) END)
     WHERE e.id IN ((SELECT id FROM a), (SELECT id FROM b))`,
  );
  await tamper(database, `UPDATE audit_events SET seq = -seq WHERE seq < 0`);
  const { firstBreak } = await verifyAuditChains(database);
  expect(firstBreak).toMatchObject({ seq: 2, problem: 'altered' });
});

it('still verifies after retention cut the oldest rows, and notices the oldest rows deleted by hand', async () => {
  const { database } = await openOwn();
  await writeTrail(database);
  // Six years from now every row is past a 6-year retention: the job cuts the chains and records where.
  const later = new Date(Date.now() + 6 * 365 * 86400_000 + 86400_000);
  expect(await pruneAuditTrail(database.sql, 6 * 365 * 86400, later)).toBe(6);
  await writeTrail(database);
  expect((await verifyAuditChains(database)).firstBreak).toBeUndefined();
  await tamper(database, `DELETE FROM audit_events WHERE id = ${rowId(1)}`);
  expect((await verifyAuditChains(database)).firstBreak).toMatchObject({ problem: 'missing' });
});

it('keeps rows within retention and refuses a delete outside the retention job', async () => {
  const { database } = await openOwn();
  await writeTrail(database);
  expect(await pruneAuditTrail(database.sql, 6 * 365 * 86400, new Date())).toBe(0);
  await expect(database.prisma.$executeRawUnsafe('DELETE FROM audit_events')).rejects.toThrow(/append-only/);
  expect(await database.prisma.auditEvent.count()).toBe(6);
});

it('works the same on the embedded database: append-only, and audit:verify names an edited row', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'careline-audit-'));
  leftovers.push(() => rm(dataDir, { recursive: true, force: true }));
  const config = parseConfig({ NODE_ENV: 'test', DATA_DIR: path.join(dataDir, 'data'), LOG_LEVEL: 'silent' });
  const database = await openDatabase(config.database, createLogger(config.runtime));
  let open = true;
  leftovers.push(async () => {
    if (open) await database.close();
  });
  await writeTrail(database);
  await expect(database.prisma.$executeRawUnsafe("UPDATE audit_events SET outcome = 'DENIED'")).rejects.toThrow(/append-only/);
  await tamper(database, `UPDATE audit_events SET request_id = 'forged' WHERE id = ${rowId(2)}`);
  await database.close(); // releases the data folder's lock for the script
  open = false;
  const { code, output } = await runVerify({ DATA_DIR: path.join(dataDir, 'data') });
  expect(output).toMatch(/\(seq 2\) its content does not match its hash/);
  expect(code).toBe(1);
}, 60_000);

it('chains onto a head held by another transaction once it is released, when every head is held', async () => {
  const { database } = await openOwn();
  await writeTrail(database);
  // Another writer holds every chain head: the next write must wait for one, then chain onto it.
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let holding: () => void = () => {};
  const held = new Promise<void>((resolve) => (holding = resolve));
  const holder = database.prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT partition FROM audit_chain_heads FOR UPDATE`;
    holding();
    await released;
  });
  await held;
  let written = false;
  const waiting = new AuditTrail(database.sql, async () => null, systemClock)
    .record(internalViewer(randomUUID(), Role.DOCTOR), [{ action: AuditAction.ReadVitals, patientId: PATIENT }])
    .then(() => (written = true));
  // Bounded wait until PostgreSQL shows that write waiting for a row lock.
  for (let tries = 0; tries < 100; tries += 1) {
    const [row] = await database.prisma.$queryRaw<Array<{ waiting: bigint }>>`
      SELECT count(*) AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    if (Number(row?.waiting ?? 0) > 0) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(written).toBe(false);
  release();
  await Promise.all([holder, waiting]);
  expect(await database.prisma.auditEvent.count({ where: { patientId: PATIENT } })).toBe(7);
  expect((await verifyAuditChains(database)).firstBreak).toBeUndefined();
});
