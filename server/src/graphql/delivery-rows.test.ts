// The delivery rows a transaction writes with its events (DeliveryRowsAtCommit): one row per
// delivery key among this instance's subscribers, none for one that would not be sent the event,
// and the keys handed to DeliveryAudit only when that same attempt committed.
import { patientAddedPayload } from '../../test/helpers/patient-added';
import type { Viewer } from '../accounts/authorization';
import { internalViewer } from '../accounts/viewer';
import { AuditAction, type AuditEntry } from '../audit/audit-entry';
import type { AuditTrail } from '../audit/audit-trail';
import { DeliveryAudit, deliveryKey } from '../audit/deliveries';
import { AppointmentTopic } from '../features/appointments/appointments.events';
import { Role } from '../generated/prisma/enums';
import type { PendingEvent } from '../live/outbox';
import { streamMessage, type TopicName } from '../live/topics';
import type { Sql, SqlWrite } from '../platform/sql';
import { AuditedSubscription, DeliveryRowsAtCommit, type AuditedDelivery } from './delivery-rows';

const STREAM = 'doctor:d1';
const doctor = internalViewer('00000000-0000-4000-8000-000000000001', Role.DOCTOR);
const app: Viewer = { ...doctor, app: { id: '00000000-0000-4000-8000-0000000000a1', name: 'Test app', scopes: new Set() } };
const PATIENT = '00000000-0000-4000-8000-0000000000aa';
const entry: AuditEntry = { action: AuditAction.DeliverPatientAdded, patientId: PATIENT };
const NO_SQL = {} as Sql;

function event(seq: number): PendingEvent<TopicName> {
  const payload = patientAddedPayload(seq, 'd1');
  return {
    eventId: BigInt(seq),
    createdAt: new Date(0),
    stream: STREAM,
    seq,
    payload,
    message: streamMessage(seq, AppointmentTopic.PatientAdded, payload),
  };
}

/** A subscription of STREAM as live-subscription.ts makes them; `sent: false` stands for a refused or filtered event. */
function subscriber(viewer: Viewer, sent = true): AuditedSubscription {
  return new AuditedSubscription(`${viewer.userId} ${viewer.app?.id ?? '-'}`, (pending): AuditedDelivery | undefined =>
    sent ? { key: deliveryKey(viewer, entry, `${pending.stream}#${pending.seq}`), viewer, practiceId: null, entry } : undefined,
  );
}

function setUp(subscribers: object[]) {
  const written: Array<ReadonlyArray<{ viewer: unknown; entry: AuditEntry }>> = [];
  const audit: Pick<AuditTrail, 'deliveryRowsWrite'> = {
    deliveryRowsWrite: (deliveries) => {
      written.push(deliveries);
      return { statement: { name: 'test_rows', text: '' }, values: [] } satisfies SqlWrite;
    },
  };
  // A delivery the tap did not cover writes on its own: this trail's record fails, so it shows.
  const trail = { record: () => Promise.reject(new Error('written on delivery')) } as unknown as AuditTrail;
  const deliveries = new DeliveryAudit(trail);
  const tap = new DeliveryRowsAtCommit(
    { watchersOf: (stream) => (stream === STREAM ? subscribers : []) },
    audit,
    deliveries,
    () => new Date(0),
  );
  return { tap, written, deliveries };
}

it("writes one row per delivery key: a user's screens share it, their app has its own", async () => {
  // The doctor's first screen would not be sent the event (its session ended): the others still are.
  const { tap, written } = setUp([subscriber(doctor, false), subscriber(doctor), subscriber(doctor), subscriber(app)]);
  const writes = await tap.inTransaction(NO_SQL, [event(1), event(2)]);
  expect(writes).toHaveLength(1);
  // Two events, each for the doctor's screens (one row) and the app (one row).
  expect(written).toHaveLength(1);
  expect(written[0]!.map((row) => row.viewer)).toEqual([doctor, app, doctor, app]);
});

it('writes nothing when no subscription of the stream would be sent the event', async () => {
  // Another layer's watcher (not an audited subscription) is none of this tap's business.
  const { tap, written } = setUp([subscriber(doctor, false), { audience: 'not an AuditedSubscription' }]);
  expect(await tap.inTransaction(NO_SQL, [event(1)])).toEqual([]);
  expect(written).toEqual([]);
});

it('hands the rows to DeliveryAudit once that attempt committed, and not those of an attempt that did not', async () => {
  const { tap, deliveries } = setUp([subscriber(doctor)]);
  // An attempt that rolled back (its position went to another transaction), then one that commits.
  const rolledBack = [event(3)];
  await tap.inTransaction(NO_SQL, rolledBack);
  const retried = [event(1)];
  await tap.inTransaction(NO_SQL, retried);
  // Before the commit, a delivery would write its own row.
  await expect(deliveries.record(doctor, `${STREAM}#1`, entry, null)).rejects.toThrow('written on delivery');
  tap.committed(retried);
  await expect(deliveries.record(doctor, `${STREAM}#1`, entry, null)).resolves.toBeUndefined();
  // The rolled-back attempt's row never committed: its event's delivery writes one.
  await expect(deliveries.record(doctor, `${STREAM}#3`, entry, null)).rejects.toThrow('written on delivery');
});
