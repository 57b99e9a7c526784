// The server as a restricted database role (issue 24): `npm run admin -- create-app-role` sets the
// role up on a database of its own, the server migrates as the owner (MIGRATION_DATABASE_URL) and
// runs as the role (DATABASE_URL). Booking and audit writes work; changing, deleting or truncating
// audit rows, disabling their trigger, or deleting through the old session setting do not; retention
// deletes through audit_prune only rows past AUDIT_RETENTION.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { futureSlot, registerDoctor, registerPatient } from '../../test/helpers/accounts';
import { bookOrThrow } from '../../test/helpers/bookings';
import { createOwnDatabase } from '../../test/helpers/own-database';
import { ADMIN_POSTGRES_URL } from '../../test/helpers/test-env';
import { startTestServer, TEST_AUDIT_KEY } from '../../test/helpers/test-server';
import { internalViewer } from '../accounts/viewer';
import { Role } from '../generated/prisma/enums';
import { systemClock } from '../platform/clock';
import { AuditAction } from './audit-entry';
import { pruneAuditTrail } from './audit-retention';
import { AuditTrail } from './audit-trail';
import { verifyAuditChains } from './audit-verify';

const SERVER_DIR = path.resolve(__dirname, '..', '..');
const RETENTION_SECONDS = 6 * 365 * 86400;
const ROLE = `careline_app_${randomBytes(4).toString('hex')}`;
const OLD_PATIENT = randomUUID();
const clients: Client[] = [];

/** The role is the cluster's, not the database's: dropped once its database is gone. */
async function dropRole(): Promise<void> {
  const admin = new Client({ connectionString: ADMIN_POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`DROP ROLE IF EXISTS "${ROLE}"`);
  } finally {
    await admin.end();
  }
}

function asRole(url: string): string {
  const parsed = new URL(url);
  parsed.username = ROLE;
  parsed.password = '';
  return parsed.toString();
}

function runAdmin(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/scripts/admin.ts', ...args], {
      cwd: SERVER_DIR,
      env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

it('runs as a role that may append and read audit rows but never change, delete or truncate them, nor disable their trigger', async () => {
  const own = await createOwnDatabase('careline_app_role');
  try {
    const admin = await runAdmin(['create-app-role', ROLE], { DATABASE_URL: own.url });
    expect(admin.output).toMatch(new RegExp(`created role ${ROLE}`));
    expect(admin.code).toBe(0);

    const server = await startTestServer('services', {
      DATABASE_URL: asRole(own.url),
      MIGRATION_DATABASE_URL: own.url,
      AUDIT_CHECKPOINT_FILE: path.join(tmpdir(), `careline-role-${randomUUID()}.jsonl`),
    });
    try {
      // Back-dated rows, written as the role before anything else, so their chain holds nothing newer.
      const now = systemClock();
      const old = new AuditTrail(
        server.database.sql,
        async () => null,
        () => new Date(now.getTime() - 7 * 365 * 86400_000),
        TEST_AUDIT_KEY,
      );
      await old.record(internalViewer(randomUUID(), Role.DOCTOR), [{ action: AuditAction.ReadVitals, patientId: OLD_PATIENT }]);

      // What the server does works as the role: a booking, with its audit row.
      const [doctor, patient] = await Promise.all([registerDoctor(server), registerPatient(server)]);
      await bookOrThrow(server, patient, { doctorId: doctor.id, startsAt: futureSlot() });
      expect(await server.database.prisma.auditEvent.count({ where: { patientId: patient.id } })).toBeGreaterThan(0);

      const role = new Client({ connectionString: asRole(own.url) });
      await role.connect();
      clients.push(role);
      const refused = (sql: string) => expect(role.query(sql)).rejects.toThrow(/permission denied|must be owner/);
      await refused(`UPDATE audit_events SET outcome = 'DENIED'`);
      await refused('DELETE FROM audit_events');
      await refused('TRUNCATE audit_events');
      // Nor through a partition: neither those that existed at the grant nor one prepared after it.
      await role.query('SELECT audit_prepare_partitions(6)');
      const { rows: newest } = await role.query<{ name: string }>(
        `SELECT inhrelid::regclass::text AS name FROM pg_inherits WHERE inhparent = 'audit_events'::regclass
          AND inhrelid::regclass::text ~ '_[0-9]{4}_[0-9]{2}$' ORDER BY 1 DESC LIMIT 1`,
      );
      expect(newest[0]?.name).toMatch(/^audit_events_\d{4}_\d{2}$/);
      for (const part of ['audit_events_history', 'audit_events_default', newest[0]!.name]) {
        await refused(`DELETE FROM ${part}`);
        await refused(`TRUNCATE ${part}`);
        await refused(`UPDATE ${part} SET outcome = 'DENIED'`);
        await refused(`ALTER TABLE ${part} DISABLE TRIGGER ALL`);
        await refused(`DROP TABLE ${part}`);
      }
      await refused('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
      await refused(`ALTER FUNCTION audit_prune(timestamptz) SET careline.audit_retention_seconds = '0'`);
      await refused(`SELECT careline_grant_app_role('${ROLE}')`);
      // The settings the trigger reads, set by the session itself: the DELETE right is still missing.
      await role.query(`SET careline.audit_pruning = 'on'`);
      await role.query(`SET careline.audit_retention_seconds = '0'`);
      await refused('DELETE FROM audit_events');
      await role.query('RESET ALL');

      // The outbox's daily partitions: made and dropped only through the owner's functions.
      const { rows: prepared } = await role.query<{ created: number }>(
        `SELECT events_prepare_partitions(now() + interval '20 days', 1) AS created`,
      );
      expect(prepared[0]?.created).toBe(2);
      await refused(`CREATE TABLE events_extra PARTITION OF events FOR VALUES FROM ('2000-01-01') TO ('2000-01-02')`);
      await refused('DROP TABLE events_default');
      const { rows: pruned } = await role.query<{ dropped_partitions: number }>(
        `SELECT dropped_partitions FROM events_prune(now() + interval '21 days' + interval '1 day', 1000)`,
      );
      expect(pruned[0]?.dropped_partitions).toBeGreaterThan(0);
      const { rows: dropped } = await role.query<{ dropped: number }>('SELECT events_drop_detached() AS dropped');
      expect(dropped[0]?.dropped).toBe(pruned[0]?.dropped_partitions);

      // Retention through audit_prune: a cutoff a century ahead deletes only what is past AUDIT_RETENTION
      // (the back-dated row; the server's own retention run at startup may have taken it already).
      const recent = await server.database.prisma.auditEvent.count({ where: { at: { gte: new Date(now.getTime() - 86400_000) } } });
      await role.query(`SELECT audit_prune(now() + interval '100 years')`);
      expect(await server.database.prisma.auditEvent.count({ where: { patientId: OLD_PATIENT } })).toBe(0);
      expect(await server.database.prisma.auditEvent.count()).toBe(recent);
      expect(await pruneAuditTrail(server.database.sql, RETENTION_SECONDS, now)).toBe(0);

      // The trail is intact (without the server's checkpoints: the pruned row was back-dated after them).
      const result = await verifyAuditChains(server.database, {
        key: TEST_AUDIT_KEY,
        checkpointFile: path.join(tmpdir(), `careline-none-${randomUUID()}.jsonl`),
        retentionSeconds: RETENTION_SECONDS,
        now,
      });
      expect(result.firstBreak).toBeUndefined();
    } finally {
      await server.dispose();
    }
    // Without the owner, the role can neither migrate nor change what audit_prune keeps: the start stops, saying what to set.
    await expect(startTestServer('services', { DATABASE_URL: asRole(own.url), AUDIT_RETENTION: '7y' })).rejects.toThrow(
      /set MIGRATION_DATABASE_URL to the (tables' )?owner/,
    );
  } finally {
    for (const client of clients.splice(0)) await client.end();
    await own.drop();
    await dropRole();
  }
}, 120_000);
