// Webhooks disclose as little as they can (issue 24, item 5): an endpoint receives the appointment's
// free text only when created with includeReason: true, and deleting an endpoint stops its
// deliveries and hides it while keeping it and its delivery log (the record of what was disclosed).
// Each delivery is an audited disclosure: one audit row per delivery, written with it (before the
// send), shown in the patient's access log under the endpoint's host and its admin's role.
import { book, registerPatient } from '../helpers/accounts';
import { slotSeries } from '../helpers/bookings';
import { createOwnDatabase } from '../helpers/own-database';
import { createPractice, joinPractice, type TestPractice } from '../helpers/practices';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';
import { createEndpoint, DELETE_WEBHOOK_ENDPOINT, WEBHOOK_DELIVERIES, WEBHOOK_ENDPOINTS } from '../helpers/webhooks';

const REASON = 'Depression relapse, suicidal ideation';
type Body = { data: { appointment: { id: string; reason: string | null; cancellationReason?: string | null } } };
const bodyOf = (hook: { rawBody: string }) => JSON.parse(hook.rawBody) as Body;

describe('webhook disclosures', () => {
  let server: TestServer;
  let clinic: TestPractice;
  let plain: WebhookReceiver;
  let withReason: WebhookReceiver;
  let plainEndpoint: { id: string };
  const slot = slotSeries();

  beforeAll(async () => {
    // A database of its own: another test server's worker would refuse these loopback endpoints.
    const database = await createOwnDatabase('careline_test_webhook_privacy');
    server = await startTestServer('services', { DATABASE_URL: database.url, WEBHOOK_ALLOW_PRIVATE: 'true', JOB_RETRY_BASE: '50ms' });
    clinic = await createPractice(server);
    plain = await startWebhookReceiver([200]);
    withReason = await startWebhookReceiver([200]);
    plainEndpoint = await createEndpoint(server, clinic.admin.token, {
      practiceId: clinic.id,
      url: plain.url,
      events: ['appointment.booked'],
    });
    await createEndpoint(server, clinic.admin.token, {
      practiceId: clinic.id,
      url: withReason.url,
      events: ['appointment.booked'],
      includeReason: true,
    });
  });

  it("sends the appointment's reason only to the endpoint created with includeReason: true", async () => {
    const doctor = await joinPractice(server, clinic, 'DOCTOR');
    const patient = await registerPatient(server);
    const booked = await book(server, patient, { doctorId: doctor.id, startsAt: slot(1).toISOString(), reason: REASON });
    expect(booked.errors).toBeUndefined();
    // Run the fan-out and its deliveries now rather than wait for the worker's poll (slow under CI load).
    for (let round = 0; round < 3; round += 1) await server.background.worker.drain();
    const [toPlain] = await plain.waitForRequests(1);
    const [toOptedIn] = await withReason.waitForRequests(1);
    expect(toPlain!.rawBody).not.toContain('Depression');
    expect(bodyOf(toPlain!).data.appointment).toMatchObject({ id: booked.data!.bookAppointment.id, reason: null });
    expect(bodyOf(toOptedIn!).data.appointment).toMatchObject({ id: booked.data!.bookAppointment.id, reason: REASON });

    const listed = await server.gql<{ webhookEndpoints: Array<{ id: string; includeReason: boolean }> }>(
      'query ($p: ID!) { webhookEndpoints(practiceId: $p) { id includeReason } }',
      { p: clinic.id },
      clinic.admin.token,
    );
    expect(listed.data?.webhookEndpoints.map((endpoint) => endpoint.includeReason)).toEqual([false, true]);

    // Two deliveries, two disclosures: one audit row each, naming the delivery, by the endpoint's admin.
    const deliveries = await server.database.prisma.webhookDelivery.findMany({
      where: { eventId: String(toPlain!.headers['careline-event-id']) },
    });
    expect(deliveries).toHaveLength(2);
    const rows = await server.database.prisma.auditEvent.findMany({ where: { patientId: patient.id, action: 'webhook.deliver' } });
    expect(rows.map((row) => row.objectId).sort()).toEqual(deliveries.map((delivery) => delivery.id).sort());
    for (const row of rows) expect(row).toMatchObject({ objectType: 'webhookDelivery', actorUserId: clinic.admin.id, actorRole: 'STAFF' });

    const log = await server.gql<{ myAccessLog: Array<{ actorName: string; actorRole: string; action: string }> }>(
      '{ myAccessLog(first: 50) { actorName actorRole action } }',
      {},
      patient.token,
    );
    const disclosures = log.data?.myAccessLog.filter((entry) => entry.action === 'webhook.deliver') ?? [];
    const host = new URL(plain.url).host;
    const hostWithReason = new URL(withReason.url).host;
    expect(disclosures.map((entry) => entry.actorName).sort()).toEqual(
      [`${host} (webhook registered by a staff admin)`, `${hostWithReason} (webhook registered by a staff admin)`].sort(),
    );
    for (const entry of disclosures) expect(entry.actorRole).toBe('STAFF');
    // The admin's own name is not what the patient reads for a disclosure.
    expect(disclosures.some((entry) => entry.actorName.includes(clinic.admin.name))).toBe(false);
  });

  it('stops sending to a deleted endpoint and hides it, but keeps it and its delivery log', async () => {
    const before = await server.database.prisma.webhookDelivery.count({ where: { endpointId: plainEndpoint.id } });
    expect(before).toBeGreaterThan(0);
    const deleted = await server.gql<{ deleteWebhookEndpoint: boolean }>(
      DELETE_WEBHOOK_ENDPOINT,
      { id: plainEndpoint.id },
      clinic.admin.token,
    );
    expect(deleted.data?.deleteWebhookEndpoint).toBe(true);

    const listed = await server.gql<{ webhookEndpoints: Array<{ id: string }> }>(
      WEBHOOK_ENDPOINTS,
      { practiceId: clinic.id },
      clinic.admin.token,
    );
    expect(listed.data?.webhookEndpoints.map((endpoint) => endpoint.id)).not.toContain(plainEndpoint.id);
    const log = await server.gql(WEBHOOK_DELIVERIES, { endpointId: plainEndpoint.id }, clinic.admin.token);
    expect(log.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');

    // Kept: the endpoint and its deliveries, for AUDIT_RETENTION.
    const kept = await server.database.prisma.webhookEndpoint.findUnique({ where: { id: plainEndpoint.id } });
    expect(kept?.deletedAt).not.toBeNull();
    expect(await server.database.prisma.webhookDelivery.count({ where: { endpointId: plainEndpoint.id } })).toBe(before);

    // A new booking reaches the endpoint still live, never the deleted one.
    const doctor = await joinPractice(server, clinic, 'DOCTOR');
    const patient = await registerPatient(server);
    expect((await book(server, patient, { doctorId: doctor.id, startsAt: slot(2).toISOString() })).errors).toBeUndefined();
    await withReason.waitForRequests(2);
    await server.background.worker.drain();
    expect(plain.requests).toHaveLength(1);
    expect(await server.database.prisma.webhookDelivery.count({ where: { endpointId: plainEndpoint.id } })).toBe(before);
  });
});
