import { internalViewer } from '../accounts/viewer';
import { Role } from '../generated/prisma/enums';
import { AuditAction, type AuditEntry } from './audit-entry';
import type { AuditTrail } from './audit-trail';
import { DeliveryAudit } from './deliveries';

/** An AuditTrail whose writes the test settles by hand. */
function fakeTrail() {
  const writes: Array<{ entries: readonly AuditEntry[]; resolve(): void; reject(error: Error): void }> = [];
  const trail = {
    record: (_viewer: unknown, entries: readonly AuditEntry[]) =>
      new Promise<void>((resolve, reject) => writes.push({ entries, resolve, reject })),
  };
  // Only `record` is used by DeliveryAudit.
  return { trail: trail as unknown as AuditTrail, writes };
}

const doctor = internalViewer('00000000-0000-4000-8000-000000000001', Role.DOCTOR);
const staff = internalViewer('00000000-0000-4000-8000-000000000002', Role.STAFF);
const entry: AuditEntry = { action: AuditAction.DeliverPatientAdded, patientId: '00000000-0000-4000-8000-0000000000aa' };

it("shares one write among a user's deliveries of one event, and every one waits for it", async () => {
  const { trail, writes } = fakeTrail();
  const deliveries = new DeliveryAudit(trail);
  let sent = 0;
  const sockets = Array.from({ length: 5 }, () => deliveries.record(doctor, 'doctor:x#1', entry, null).then(() => (sent += 1)));
  await Promise.resolve();
  expect(writes).toHaveLength(1);
  expect(sent).toBe(0);
  writes[0]!.resolve();
  await Promise.all(sockets);
  expect(sent).toBe(5);
  // Another user, another event: their own rows.
  void deliveries.record(staff, 'doctor:x#1', entry, null);
  void deliveries.record(doctor, 'doctor:x#2', entry, null);
  expect(writes).toHaveLength(3);
});

it('forgets a failed write, so the next delivery writes again', async () => {
  const { trail, writes } = fakeTrail();
  const deliveries = new DeliveryAudit(trail);
  const first = deliveries.record(doctor, 'doctor:x#1', entry, null);
  writes[0]!.reject(new Error('database down'));
  await expect(first).rejects.toThrow('database down');
  void deliveries.record(doctor, 'doctor:x#1', entry, null);
  expect(writes).toHaveLength(2);
});

it('remembers a bounded number of deliveries, the oldest forgotten first', () => {
  const { trail, writes } = fakeTrail();
  const deliveries = new DeliveryAudit(trail, 2);
  for (const seq of [1, 2, 3]) void deliveries.record(doctor, `doctor:x#${seq}`, entry, null);
  void deliveries.record(doctor, 'doctor:x#3', entry, null);
  void deliveries.record(doctor, 'doctor:x#1', entry, null);
  expect(writes).toHaveLength(4);
});
