// A read's audit rows and a live event's delivery row are written on a connection of their own
// (Database.prioritySql): when bookings hold every pooled connection and more wait for one, the
// answer and the frame waiting for those rows do not queue behind them.
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../../test/helpers/test-server';
import { internalViewer } from '../accounts/viewer';
import { Role } from '../generated/prisma/enums';
import type { Statement } from '../platform/sql';
import { AuditAction } from './audit-entry';

const HOLD: Statement = { name: 'test_hold_connection', text: 'SELECT 1' };

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer('services', { DATABASE_POOL_SIZE: '1' });
});
afterAll(async () => {
  await server.dispose();
});

it('commits audit rows while every pooled connection is held by a transaction', async () => {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let holding!: () => void;
  const held = new Promise<void>((resolve) => (holding = resolve));
  const transaction = server.database.sql.transaction(
    async (tx) => {
      await tx.query(HOLD, []);
      holding();
      await released;
    },
    { timeoutMs: 30_000 },
  );
  await held;

  const patientId = randomUUID();
  const doctor = internalViewer(randomUUID(), Role.DOCTOR);
  try {
    // On the pool, each of these waited for the held connection, and failed after its 10 s wait.
    await server.services.audit.record(doctor, [{ action: AuditAction.ReadVitals, patientId }], null);
    await server.services.deliveries.record(
      doctor,
      `doctor:${randomUUID()}#1`,
      { action: AuditAction.DeliverPatientAdded, patientId, objectType: 'appointment', objectId: randomUUID() },
      null,
    );
    expect(server.database.poolStats()).toMatchObject({ total: 1, idle: 0 });
  } finally {
    release();
    await transaction;
  }
  const rows = await server.database.prisma.auditEvent.findMany({ where: { patientId }, select: { action: true } });
  expect(rows.map((row) => row.action).sort()).toEqual([AuditAction.DeliverPatientAdded, AuditAction.ReadVitals].sort());
});
