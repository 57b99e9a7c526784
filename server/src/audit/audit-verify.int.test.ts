// audit:verify against real databases: an intact trail passes (exit 0); an edited, deleted,
// inserted or reordered row, a chain recomputed without AUDIT_KEY, a head moved back, rows pruned
// before their time and a forged checkpoint line are named (exit 1). Tampering is done the way
// only the tables' owner can: with the append-only trigger disabled. Each case gets a database of
// its own and a checkpoint file of its own.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createOwnDatabase, type OwnDatabase } from '../../test/helpers/own-database';
import { internalViewer } from '../accounts/viewer';
import { Role } from '../generated/prisma/enums';
import { parseConfig } from '../platform/config';
import { openDatabase, type Database } from '../platform/database';
import { systemClock } from '../platform/clock';
import { createLogger } from '../platform/logger';
import { describeBreak, hashOf, keyedHashOf, type StoredRow } from './audit-chain';
import { appendCheckpoint, readChainHeads, startAuditCheckpoints } from './audit-checkpoints';
import { AuditAction } from './audit-entry';
import { pruneAuditTrail } from './audit-retention';
import { AuditTrail } from './audit-trail';
import { verifyAuditChains, type VerifyResult } from './audit-verify';

const SERVER_DIR = path.resolve(__dirname, '..', '..');
const PATIENT = randomUUID();
const KEY = 'audit-verify-test-key-of-at-least-32-characters';
const RETENTION_SECONDS = 6 * 365 * 86400;
const YEAR_MS = 365 * 86400_000;
const leftovers: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const dispose of leftovers.splice(0).reverse()) await dispose();
});

async function openOwn(): Promise<{ database: Database; own: OwnDatabase; checkpointFile: string }> {
  const own = await createOwnDatabase('careline_audit');
  leftovers.push(() => own.drop());
  const config = parseConfig({ NODE_ENV: 'test', DATABASE_URL: own.url, LOG_LEVEL: 'silent' });
  const database = await openDatabase(config.database, createLogger(config.runtime));
  leftovers.push(() => database.close());
  const folder = await mkdtemp(path.join(tmpdir(), 'careline-checkpoints-'));
  leftovers.push(() => rm(folder, { recursive: true, force: true }));
  return { database, own, checkpointFile: path.join(folder, 'audit-checkpoints.jsonl') };
}

/** Appends a signed checkpoint of every chain, as the server does at start (`at`: when it was taken). */
async function checkpoint(database: Database, file: string, at: Date = systemClock(), key = KEY): Promise<void> {
  await appendCheckpoint(file, { at: at.toISOString(), chains: await readChainHeads(database.sql) }, key);
}

function verify(database: Database, checkpointFile: string, now: Date = systemClock()): Promise<VerifyResult> {
  return verifyAuditChains(database, { key: KEY, checkpointFile, retentionSeconds: RETENTION_SECONDS, now });
}

/** Six rows about one patient, written as the server writes a page of reads: one batch, so one chain. */
async function writeTrail(database: Database, clock = systemClock): Promise<void> {
  const audit = new AuditTrail(database.sql, async () => null, clock, KEY);
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

/** The patient's rows in chain order, as audit:verify reads them. */
async function patientRows(database: Database): Promise<StoredRow[]> {
  const rows = await database.prisma.auditEvent.findMany({ where: { patientId: PATIENT }, orderBy: { seq: 'asc' } });
  return rows.map((row) => ({ ...row, id: String(row.id), seq: Number(row.seq) }));
}

/**
 * What someone who can write the database (and knows the code) does to hide an edit: edits row
 * `edited` (1-based), recomputes the patient's chain with `hash` and moves the head onto it.
 */
async function recomputeChain(database: Database, hash: (row: StoredRow) => string, edited = 2): Promise<void> {
  const all = await patientRows(database);
  const rows = all.filter((row) => row.partition === all[0]!.partition);
  let prevHash = rows[0]!.prevHash;
  for (const row of rows) {
    const changed = { ...row, prevHash, outcome: row.seq === edited ? 'DENIED' : row.outcome };
    prevHash = hash(changed);
    await tamper(
      database,
      `UPDATE audit_events SET outcome = '${changed.outcome}', prev_hash = '${changed.prevHash}', hash = '${prevHash}' WHERE id = ${row.id}`,
    );
  }
  await database.prisma.$executeRawUnsafe(`UPDATE audit_chain_heads SET hash = '${prevHash}' WHERE partition = ${rows[0]!.partition}`);
}

/** The id of the patient's n-th row (1-based, oldest first). */
const rowId = (n: number) => `(SELECT id FROM audit_events WHERE patient_id = '${PATIENT}' ORDER BY id OFFSET ${n - 1} LIMIT 1)`;

function runVerify(env: Record<string, string>, checkpointFile: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/scripts/audit-verify.ts'], {
      cwd: SERVER_DIR,
      env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'test', AUDIT_KEY: KEY, AUDIT_CHECKPOINT_FILE: checkpointFile, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

it('npm run audit:verify exits 0 on an intact trail, counting the signed checkpoints', async () => {
  const { database, own, checkpointFile } = await openOwn();
  await checkpoint(database, checkpointFile);
  await writeTrail(database);
  await checkpoint(database, checkpointFile);
  const { code, output } = await runVerify({ DATABASE_URL: own.url }, checkpointFile);
  expect(output).toMatch(/audit trail intact: 6 rows in 64 chains, 2 signed checkpoints/);
  expect(code).toBe(0);
}, 60_000);

it('npm run audit:verify exits 1 naming an edited row', async () => {
  const { database, own, checkpointFile } = await openOwn();
  await writeTrail(database);
  await tamper(database, `UPDATE audit_events SET outcome = 'DENIED' WHERE id = ${rowId(4)}`);
  const { code, output } = await runVerify({ DATABASE_URL: own.url }, checkpointFile);
  expect(output).toMatch(/row id \d+ \(seq 4\) its content does not match its hash/);
  expect(code).toBe(1);
}, 60_000);

it('names a deleted row by its missing seq', async () => {
  const { database, checkpointFile } = await openOwn();
  await writeTrail(database);
  await tamper(database, `DELETE FROM audit_events WHERE id = ${rowId(3)}`);
  const { firstBreak } = await verify(database, checkpointFile);
  expect(firstBreak).toMatchObject({ seq: 3, problem: 'missing' });
  expect(describeBreak(firstBreak!)).toMatch(/seq 3 is missing \(deleted\)/);
});

it('names an inserted row (the rows after it renumbered, the head moved on)', async () => {
  const { database, checkpointFile } = await openOwn();
  await writeTrail(database);
  const [, second] = await patientRows(database);
  // Rows 3..6 move one seq up (through negative values: seq is unique per chain), a forged row takes seq 3.
  await tamper(database, `UPDATE audit_events SET seq = -(seq + 1) WHERE patient_id = '${PATIENT}' AND seq >= 3`);
  await tamper(database, `UPDATE audit_events SET seq = -seq WHERE seq < 0`);
  const forged = { ...second!, seq: 3, objectId: 'forged', prevHash: second!.hash };
  await tamper(
    database,
    `INSERT INTO audit_events (partition, seq, at, actor_user_id, actor_role, action, patient_id, object_type, object_id, outcome, prev_hash, hash)
     SELECT partition, 3, at, actor_user_id, actor_role, action, patient_id, object_type, 'forged', outcome, '${second!.hash}', '${hashOf(forged)}'
     FROM audit_events WHERE id = ${second!.id}`,
  );
  await database.prisma.$executeRawUnsafe(`UPDATE audit_chain_heads SET seq = seq + 1 WHERE partition = ${second!.partition}`);
  const { firstBreak } = await verify(database, checkpointFile);
  expect(firstBreak).toMatchObject({ seq: 3, problem: 'inserted' });
  expect(describeBreak(firstBreak!)).toMatch(/\(seq 3\) was inserted/);
});

it('names a reordered row (two rows swapped their places in the chain)', async () => {
  const { database, checkpointFile } = await openOwn();
  await writeTrail(database);
  // Rows 2 and 5 trade places: each takes the other's seq (through a free value, seq is unique per chain).
  await tamper(
    database,
    `WITH a AS (SELECT id, seq FROM audit_events WHERE id = ${rowId(2)}), b AS (SELECT id, seq FROM audit_events WHERE id = ${rowId(5)})
     UPDATE audit_events e SET seq = -(CASE WHEN e.id = (SELECT id FROM a) THEN (SELECT seq FROM b) ELSE (SELECT seq FROM a) END)
     WHERE e.id IN ((SELECT id FROM a), (SELECT id FROM b))`,
  );
  await tamper(database, `UPDATE audit_events SET seq = -seq WHERE seq < 0`);
  const { firstBreak } = await verify(database, checkpointFile);
  expect(firstBreak).toMatchObject({ seq: 2, problem: 'altered' });
});

it('notices a chain recomputed with the unkeyed sha256 and its head moved (the attack that passed before AUDIT_KEY)', async () => {
  const { database, own, checkpointFile } = await openOwn();
  await writeTrail(database);
  await recomputeChain(database, hashOf);
  const { code, output } = await runVerify({ DATABASE_URL: own.url }, checkpointFile);
  expect(output).toMatch(/\(seq 1\) has the unkeyed sha256 of its content where AUDIT_KEY was due/);
  expect(code).toBe(1);
}, 60_000);

it('notices a chain recomputed under another key and its head moved', async () => {
  const { database, checkpointFile } = await openOwn();
  await writeTrail(database);
  await recomputeChain(database, (row) => keyedHashOf(row, 'a-guessed-key-a-guessed-key-a-guessed-key'));
  expect((await verify(database, checkpointFile)).firstBreak).toMatchObject({ seq: 1, problem: 'altered' });
});

it('notices keyed_from_seq moved past a recomputed chain, against the checkpoint that recorded it', async () => {
  const { database, checkpointFile } = await openOwn();
  await checkpoint(database, checkpointFile);
  await writeTrail(database);
  await recomputeChain(database, hashOf);
  await database.prisma.$executeRawUnsafe('UPDATE audit_chain_heads SET keyed_from_seq = seq + 1');
  const { firstBreak } = await verify(database, checkpointFile);
  expect(firstBreak).toMatchObject({ problem: 'rewritten' });
});

it('keeps the rows written before the key verifiable (sha256 below keyed_from_seq), and keys the rows after them', async () => {
  const { database, checkpointFile } = await openOwn();
  await writeTrail(database);
  // As the migration found them: rows chained with sha256, keyed_from_seq one past each head.
  await recomputeChain(database, hashOf, 0);
  await tamper(database, 'UPDATE audit_chain_heads SET keyed_from_seq = seq + 1');
  await checkpoint(database, checkpointFile);
  await writeTrail(database);
  await checkpoint(database, checkpointFile);
  expect(await verify(database, checkpointFile)).toMatchObject({ rowsChecked: 12, checkpoints: 2, firstBreak: undefined });
  // An unkeyed row can be recomputed: the keyed rows after it (when the second batch took the same
  // chain) or the checkpoint of its head (when it took another) give it away.
  await recomputeChain(database, hashOf, 1);
  expect((await verify(database, checkpointFile)).firstBreak?.problem).toMatch(/^(recomputed|rewritten)$/);
});

it('notices the newest rows deleted and the head moved back onto the last one left (rewound)', async () => {
  const { database, own, checkpointFile } = await openOwn();
  await writeTrail(database);
  await checkpoint(database, checkpointFile);
  const rows = await patientRows(database);
  await tamper(database, `DELETE FROM audit_events WHERE patient_id = '${PATIENT}' AND seq > 4`);
  await database.prisma.$executeRawUnsafe(
    `UPDATE audit_chain_heads SET seq = 4, hash = '${rows[3]!.hash}' WHERE partition = ${rows[0]!.partition}`,
  );
  const { code, output } = await runVerify({ DATABASE_URL: own.url }, checkpointFile);
  expect(output).toMatch(/seq 5 is missing: a signed checkpoint saw the chain reach it/);
  expect(code).toBe(1);
}, 60_000);

it('notices rows pruned before their time: a checkpoint shows them younger than AUDIT_RETENTION', async () => {
  const { database, checkpointFile } = await openOwn();
  await checkpoint(database, checkpointFile);
  await writeTrail(database);
  await checkpoint(database, checkpointFile);
  const rows = await patientRows(database);
  // Deleted, and the chain's start moved as retention would have moved it.
  await tamper(database, `DELETE FROM audit_events WHERE patient_id = '${PATIENT}'`);
  await database.prisma.$executeRawUnsafe(
    `UPDATE audit_chain_heads SET pruned_through_seq = 6, pruned_through_hash = '${rows[5]!.hash}' WHERE partition = ${rows[0]!.partition}`,
  );
  const { firstBreak } = await verify(database, checkpointFile);
  expect(firstBreak).toMatchObject({ partition: rows[0]!.partition, problem: 'pruned early' });
  expect(describeBreak(firstBreak!)).toMatch(/younger than AUDIT_RETENTION/);
});

it('names a checkpoint line that AUDIT_KEY did not sign', async () => {
  const { database, own, checkpointFile } = await openOwn();
  await checkpoint(database, checkpointFile);
  await writeTrail(database);
  await checkpoint(database, checkpointFile, systemClock(), 'not-the-audit-key-not-the-audit-key-not');
  const { code, output } = await runVerify({ DATABASE_URL: own.url }, checkpointFile);
  expect(output).toMatch(/checkpoint file: line 2 is not signed with AUDIT_KEY/);
  expect(code).toBe(1);
}, 60_000);

it('stays intact across retention, with checkpoints before, between and after the pruned rows', async () => {
  const { database, checkpointFile } = await openOwn();
  const now = systemClock();
  const sevenYearsAgo = () => new Date(now.getTime() - 7 * YEAR_MS);
  await checkpoint(database, checkpointFile, sevenYearsAgo());
  await writeTrail(database, sevenYearsAgo);
  await checkpoint(database, checkpointFile, sevenYearsAgo());
  expect(await pruneAuditTrail(database.sql, RETENTION_SECONDS, now)).toBe(6);
  await checkpoint(database, checkpointFile, now);
  await writeTrail(database);
  await checkpoint(database, checkpointFile, now);
  expect(await verify(database, checkpointFile, now)).toMatchObject({ rowsChecked: 6, checkpoints: 4, firstBreak: undefined });
  // The oldest rows left, deleted by hand: retention did not record it.
  await tamper(database, `DELETE FROM audit_events WHERE id = ${rowId(1)}`);
  expect((await verify(database, checkpointFile, now)).firstBreak).toMatchObject({ problem: 'missing' });
});

it('keeps rows within retention and refuses a delete outside the retention job', async () => {
  const { database } = await openOwn();
  await writeTrail(database);
  expect(await pruneAuditTrail(database.sql, RETENTION_SECONDS, systemClock())).toBe(0);
  await expect(database.prisma.$executeRawUnsafe('DELETE FROM audit_events')).rejects.toThrow(/append-only/);
  expect(await database.prisma.auditEvent.count()).toBe(6);
});

it('checkpoints every chain at start, the chains that moved at each interval and at stop', async () => {
  const { database, checkpointFile } = await openOwn();
  const logger = createLogger({ logLevel: 'silent' });
  const checkpoints = await startAuditCheckpoints({
    sql: database.sql,
    key: KEY,
    file: checkpointFile,
    intervalMs: 3_600_000,
    clock: systemClock,
    logger,
  });
  await writeTrail(database);
  await checkpoints.stop();
  const lines = (await readFile(checkpointFile, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { chains: unknown[] });
  expect(lines.map((line) => line.chains.length)).toEqual([64, 1]);
  expect(await verify(database, checkpointFile)).toMatchObject({ checkpoints: 2, firstBreak: undefined });
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
  const { code, output } = await runVerify({ DATA_DIR: path.join(dataDir, 'data') }, path.join(dataDir, 'audit-checkpoints.jsonl'));
  expect(output).toMatch(/\(seq 2\) its content does not match its hash/);
  expect(code).toBe(1);
}, 180_000); // two embedded databases start (the test's and the script's): slow on a busy machine

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
  const waiting = new AuditTrail(database.sql, async () => null, systemClock, KEY)
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
  expect((await verify(database, path.join(tmpdir(), `careline-no-checkpoints-${randomUUID()}.jsonl`))).firstBreak).toBeUndefined();
});

// Regression: ids reach the trail as the client wrote them; PostgreSQL stores a uuid in lower case,
// so a row chained over "ABC…" and stored as "abc…" no longer matched its own hash.
it('verifies rows whose ids were written in upper case', async () => {
  const { database, checkpointFile } = await openOwn();
  const audit = new AuditTrail(database.sql, async () => randomUUID().toUpperCase(), systemClock, KEY);
  await audit.record(internalViewer(randomUUID().toUpperCase(), Role.DOCTOR), [
    { action: AuditAction.ReadVitals, patientId: randomUUID().toUpperCase(), outcome: 'DENIED' },
  ]);
  expect((await verify(database, checkpointFile)).firstBreak).toBeUndefined();
});
