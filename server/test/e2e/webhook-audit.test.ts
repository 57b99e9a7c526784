// Webhook endpoints in the audit trail (issue 24): creating, deleting and rotating the secret of an
// endpoint are security events written in the change's transaction and listed to the practice's
// admins; a redelivery an admin asks for discloses the patient to the endpoint again, so it writes
// its own disclosure row, like the fan-out's deliveries.
import { book, registerPatient } from '../helpers/accounts';
import { slotSeries } from '../helpers/bookings';
import { createOwnDatabase } from '../helpers/own-database';
import { createPractice, joinPractice, type TestPractice } from '../helpers/practices';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';
import { createEndpoint, DELETE_WEBHOOK_ENDPOINT, REDELIVER_WEBHOOK, ROTATE_WEBHOOK_SECRET } from '../helpers/webhooks';

const SECURITY_EVENTS = `query ($p: ID!) { practiceSecurityEvents(practiceId: $p, first: 200) { id action outcome actorName clientAddress } }`;
type Listed = { id: string; action: string; outcome: string; actorName: string | null; clientAddress: string | null };

describe('webhook endpoints in the audit trail', () => {
  let server: TestServer;
  let clinic: TestPractice;
  let receiver: WebhookReceiver;
  const slot = slotSeries();

  beforeAll(async () => {
    // A database of its own: another test server's worker would refuse these loopback endpoints.
    const database = await createOwnDatabase('careline_test_webhook_audit');
    server = await startTestServer('services', { DATABASE_URL: database.url, WEBHOOK_ALLOW_PRIVATE: 'true', JOB_POLL_INTERVAL: '50ms' });
    clinic = await createPractice(server);
    receiver = await startWebhookReceiver([200]);
  });

  const securityRows = (endpointId: string) =>
    server.database.prisma.auditEvent.findMany({ where: { objectType: 'webhookEndpoint', objectId: endpointId }, orderBy: { id: 'asc' } });

  it('records creating, rotating the secret of and deleting an endpoint as security events its practice admins list', async () => {
    const endpoint = await createEndpoint(server, clinic.admin.token, {
      practiceId: clinic.id,
      url: receiver.url,
      events: ['appointment.booked'],
    });
    expect((await server.gql(ROTATE_WEBHOOK_SECRET, { id: endpoint.id }, clinic.admin.token)).errors).toBeUndefined();
    expect((await server.gql(DELETE_WEBHOOK_ENDPOINT, { id: endpoint.id }, clinic.admin.token)).errors).toBeUndefined();

    const rows = await securityRows(endpoint.id);
    expect(rows.map((row) => [row.action, row.outcome, row.actorUserId, row.actorPracticeId, row.patientId])).toEqual([
      ['security.webhookEndpointCreated', 'SUCCESS', clinic.admin.id, clinic.id, null],
      ['security.webhookSecretRotated', 'SUCCESS', clinic.admin.id, clinic.id, null],
      ['security.webhookEndpointDeleted', 'SUCCESS', clinic.admin.id, clinic.id, null],
    ]);

    const listed = await server.gql<{ practiceSecurityEvents: Listed[] }>(SECURITY_EVENTS, { p: clinic.id }, clinic.admin.token);
    const webhookEvents = listed.data!.practiceSecurityEvents.filter((event) => event.action.startsWith('security.webhook'));
    expect(webhookEvents.map((event) => [event.action, event.outcome, event.actorName])).toEqual([
      ['security.webhookEndpointDeleted', 'SUCCESS', clinic.admin.name],
      ['security.webhookSecretRotated', 'SUCCESS', clinic.admin.name],
      ['security.webhookEndpointCreated', 'SUCCESS', clinic.admin.name],
    ]);
    for (const event of webhookEvents) expect(event.clientAddress).toMatch(/127\.0\.0\.1/);
  });

  it('writes no security event for a refused change (another practice’s admin, a doctor)', async () => {
    const endpoint = await createEndpoint(server, clinic.admin.token, {
      practiceId: clinic.id,
      url: receiver.url,
      events: ['appointment.booked'],
    });
    const other = await createPractice(server);
    const doctor = await joinPractice(server, clinic, 'DOCTOR');
    for (const token of [other.admin.token, doctor.token]) {
      expect((await server.gql(ROTATE_WEBHOOK_SECRET, { id: endpoint.id }, token)).errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
      expect((await server.gql(DELETE_WEBHOOK_ENDPOINT, { id: endpoint.id }, token)).errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    }
    expect((await securityRows(endpoint.id)).map((row) => row.action)).toEqual(['security.webhookEndpointCreated']);
  });

  it('audits a redelivery as a disclosure of the patient to the endpoint, with its own row naming the new delivery', async () => {
    // A practice of its own: the endpoints above must not get this booking.
    const clinic = await createPractice(server);
    const endpoint = await createEndpoint(server, clinic.admin.token, {
      practiceId: clinic.id,
      url: receiver.url,
      events: ['appointment.booked'],
    });
    const doctor = await joinPractice(server, clinic, 'DOCTOR');
    const patient = await registerPatient(server);
    const sent = receiver.requests.length;
    expect((await book(server, patient, { doctorId: doctor.id, startsAt: slot(1).toISOString() })).errors).toBeUndefined();
    await receiver.waitForRequests(sent + 1);
    const [original] = await server.database.prisma.webhookDelivery.findMany({ where: { endpointId: endpoint.id } });
    const disclosures = () =>
      server.database.prisma.auditEvent.findMany({ where: { patientId: patient.id, action: 'webhook.deliver' }, orderBy: { id: 'asc' } });
    expect((await disclosures()).map((row) => row.objectId)).toEqual([original!.id]);

    const again = await server.gql<{ redeliverWebhook: { id: string } }>(REDELIVER_WEBHOOK, { id: original!.id }, clinic.admin.token);
    const redelivery = again.data!.redeliverWebhook.id;
    const rows = await disclosures();
    expect(rows.map((row) => row.objectId)).toEqual([original!.id, redelivery]);
    expect(rows[1]).toMatchObject({
      objectType: 'webhookDelivery',
      actorUserId: clinic.admin.id,
      actorRole: 'STAFF',
      actorPracticeId: clinic.id,
    });
    await receiver.waitForRequests(sent + 2);

    const log = await server.gql<{ myAccessLog: Array<{ actorName: string; action: string }> }>(
      '{ myAccessLog(first: 50) { actorName action } }',
      {},
      patient.token,
    );
    const host = new URL(receiver.url).host;
    expect(log.data?.myAccessLog.filter((entry) => entry.action === 'webhook.deliver').map((entry) => entry.actorName)).toEqual([
      `${host} (webhook registered by a staff admin)`,
      `${host} (webhook registered by a staff admin)`,
    ]);
  });
});
