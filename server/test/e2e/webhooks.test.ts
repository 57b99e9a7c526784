// Webhooks per practice, through the API: an admin creates endpoints (secret once), bookings and
// changes reach a real local receiver signed (verified with the README's snippet), retried after
// 500s with the same event id; a type not subscribed is never sent, another practice's events
// never reach this practice's endpoint; the log, redelivery and secret rotation; who may do it.
import { book, registerPatient } from '../helpers/accounts';
import { slotSeries } from '../helpers/bookings';
import { createOwnDatabase, type OwnDatabase } from '../helpers/own-database';
import { createPractice, joinPractice, type TestPractice } from '../helpers/practices';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';
import {
  createEndpoint,
  readmeVerifier,
  REDELIVER_WEBHOOK,
  ROTATE_WEBHOOK_SECRET,
  WEBHOOK_DELIVERIES,
  WEBHOOK_ENDPOINTS,
} from '../helpers/webhooks';

interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  attempts: number;
  status: string;
  lastStatusCode: number | null;
}
const RESCHEDULE = /* GraphQL */ `
  mutation ($id: ID!, $startsAt: DateTimeISO!) {
    rescheduleAppointment(id: $id, startsAt: $startsAt) {
      id
    }
  }
`;
const CANCEL = /* GraphQL */ `
  mutation ($id: ID!) {
    cancelAppointment(id: $id) {
      id
    }
  }
`;
const typeOf = (hook: { rawBody: string }) => (JSON.parse(hook.rawBody) as { type: string }).type;

describe('webhooks of a practice', () => {
  let database: OwnDatabase;
  let server: TestServer;
  let clinic: TestPractice;
  let other: TestPractice;
  let receiver: WebhookReceiver;
  let otherReceiver: WebhookReceiver;
  let endpoint: { id: string; secret: string };
  const verify = readmeVerifier();
  const slot = slotSeries();

  beforeAll(async () => {
    database = await createOwnDatabase('careline_test_webhooks_api');
    server = await startTestServer('services', { DATABASE_URL: database.url, WEBHOOK_ALLOW_PRIVATE: 'true', JOB_RETRY_BASE: '50ms' });
    clinic = await createPractice(server);
    other = await createPractice(server);
    receiver = await startWebhookReceiver([500, 500, 200]);
    otherReceiver = await startWebhookReceiver([200]);
    endpoint = await createEndpoint(server, clinic.admin.token, {
      practiceId: clinic.id,
      url: receiver.url,
      events: ['appointment.booked', 'appointment.cancelled'],
    });
    await createEndpoint(server, other.admin.token, {
      practiceId: other.id,
      url: otherReceiver.url,
      events: ['appointment.booked', 'appointment.cancelled', 'appointment.rescheduled'],
    });
  });

  it('delivers a booking signed, after two 500s, with the same event id, and only the subscribed types of its own practice', async () => {
    const doctor = await joinPractice(server, clinic, 'DOCTOR');
    const patient = await registerPatient(server);
    const booked = await book(server, patient, { doctorId: doctor.id, startsAt: slot(1).toISOString() });
    const appointment = booked.data!.bookAppointment;

    const attempts = await receiver.waitForRequests(3);
    const ids = attempts.map((hook) => hook.headers['careline-event-id']);
    expect(new Set(ids).size).toBe(1);
    for (const hook of attempts) expect(verify(endpoint.secret, hook.rawBody, String(hook.headers['careline-signature']))).toBe(true);
    const body = JSON.parse(attempts[2]!.rawBody) as Record<string, unknown>;
    expect(body).toMatchObject({
      id: ids[0],
      type: 'appointment.booked',
      data: {
        appointment: { id: appointment.id, startsAt: appointment.startsAt, status: 'BOOKED' },
        patient: { id: patient.id, name: patient.name },
        doctor: { id: doctor.id, name: doctor.name },
      },
    });
    expect(Date.parse(String(body['createdAt']))).not.toBeNaN();

    // A new time is not subscribed to: never sent. The cancellation is.
    expect((await server.gql(RESCHEDULE, { id: appointment.id, startsAt: slot(3).toISOString() }, patient.token)).errors).toBeUndefined();
    expect((await server.gql(CANCEL, { id: appointment.id }, patient.token)).errors).toBeUndefined();
    await receiver.waitForRequests(4);
    await server.background.worker.drain();
    expect(receiver.requests.map(typeOf)).toEqual([
      'appointment.booked',
      'appointment.booked',
      'appointment.booked',
      'appointment.cancelled',
    ]);
    // The other practice's endpoint heard none of it.
    expect(otherReceiver.requests).toHaveLength(0);

    const log = await server.gql<{ webhookDeliveries: Delivery[] }>(WEBHOOK_DELIVERIES, { endpointId: endpoint.id }, clinic.admin.token);
    expect(
      log.data?.webhookDeliveries.map((delivery) => [delivery.eventType, delivery.status, delivery.attempts, delivery.lastStatusCode]),
    ).toEqual([
      ['appointment.cancelled', 'delivered', 1, 200],
      ['appointment.booked', 'delivered', 3, 200],
    ]);
  });

  it("sends another practice's bookings only to that practice's endpoint", async () => {
    const doctor = await joinPractice(server, other, 'DOCTOR');
    const patient = await registerPatient(server);
    const before = receiver.requests.length;
    expect((await book(server, patient, { doctorId: doctor.id, startsAt: slot(5).toISOString() })).errors).toBeUndefined();
    const [hook] = await otherReceiver.waitForRequests(1);
    expect(typeOf(hook!)).toBe('appointment.booked');
    await server.background.worker.drain();
    expect(receiver.requests).toHaveLength(before);
  });

  it('redelivers an event with its id, and signs with a rotated secret from then on', async () => {
    const log = await server.gql<{ webhookDeliveries: Delivery[] }>(WEBHOOK_DELIVERIES, { endpointId: endpoint.id }, clinic.admin.token);
    const delivered = log.data!.webhookDeliveries[0]!;
    const rotated = await server.gql<{ rotateWebhookSecret: { secret: string } }>(
      ROTATE_WEBHOOK_SECRET,
      { id: endpoint.id },
      clinic.admin.token,
    );
    const secret = rotated.data!.rotateWebhookSecret.secret;
    expect(secret).not.toBe(endpoint.secret);

    const before = receiver.requests.length;
    const again = await server.gql<{ redeliverWebhook: Delivery }>(REDELIVER_WEBHOOK, { id: delivered.id }, clinic.admin.token);
    expect(again.data?.redeliverWebhook).toMatchObject({ eventId: delivered.eventId, status: 'pending' });
    const hook = (await receiver.waitForRequests(before + 1))[before]!;
    expect(hook.headers['careline-event-id']).toBe(delivered.eventId);
    expect(verify(secret, hook.rawBody, String(hook.headers['careline-signature']))).toBe(true);
    expect(verify(endpoint.secret, hook.rawBody, String(hook.headers['careline-signature']))).toBe(false);
  });

  it('lets only an admin of the practice see or change its webhooks, and never shows a secret again', async () => {
    const doctor = await joinPractice(server, clinic, 'DOCTOR');
    const listed = await server.gql<{ webhookEndpoints: Array<{ id: string; secret: string | null }> }>(
      WEBHOOK_ENDPOINTS,
      { practiceId: clinic.id },
      clinic.admin.token,
    );
    expect(listed.data?.webhookEndpoints).toEqual([{ id: endpoint.id, url: receiver.url, secret: null }]);
    for (const token of [doctor.token, other.admin.token]) {
      expect((await server.gql(WEBHOOK_ENDPOINTS, { practiceId: clinic.id }, token)).errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
      expect((await server.gql(WEBHOOK_DELIVERIES, { endpointId: endpoint.id }, token)).errors?.[0]?.extensions?.['code']).toBe(
        'FORBIDDEN',
      );
      expect((await server.gql(ROTATE_WEBHOOK_SECRET, { id: endpoint.id }, token)).errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    }
    const made = await server.gql(
      'mutation ($input: WebhookEndpointInput!) { createWebhookEndpoint(input: $input) { id } }',
      { input: { practiceId: clinic.id, url: receiver.url, events: ['appointment.booked'] } },
      doctor.token,
    );
    expect(made.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const unknownType = await server.gql(
      'mutation ($input: WebhookEndpointInput!) { createWebhookEndpoint(input: $input) { id } }',
      { input: { practiceId: clinic.id, url: receiver.url, events: ['appointment.exploded'] } },
      clinic.admin.token,
    );
    expect(unknownType.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'events' });
  });
});

describe('the SSRF guard at endpoint creation (WEBHOOK_ALLOW_PRIVATE off)', () => {
  it.each([
    'https://127.0.0.1/hooks',
    'https://10.0.0.1/hooks',
    'https://169.254.169.254/latest/meta-data',
    'https://localhost:8443/hooks',
    'https://[::1]/hooks',
    'http://hooks.example.org/in',
  ])('refuses %s with BAD_USER_INPUT on the url', async (url) => {
    const server = await startTestServer('services', { WEBHOOK_ALLOW_PRIVATE: 'false' });
    const practice = await createPractice(server);
    const result = await server.gql(
      'mutation ($input: WebhookEndpointInput!) { createWebhookEndpoint(input: $input) { id } }',
      { input: { practiceId: practice.id, url, events: ['appointment.booked'] } },
      practice.admin.token,
    );
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'url' });
  });
});
