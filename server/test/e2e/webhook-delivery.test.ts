// The webhook delivery engine against a real local HTTP receiver: signed with the README's own
// verification snippet, retried with backoff after 500s (same event id each time), disabled
// after failing for the whole retry window (injected clock), and the SSRF guard at send time.
import { randomUUID } from 'node:crypto';
import { createDelivery } from '../../src/features/webhooks/webhooks.enqueue';
import { createOwnDatabase, type OwnDatabase } from '../helpers/own-database';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { startWebhookReceiver } from '../helpers/webhook-receiver';
import { readmeVerifier, testPracticeId } from '../helpers/webhooks';

describe('webhook delivery', () => {
  let database: OwnDatabase;
  let offsetMs = 0;
  const clock = () => new Date(Date.now() + offsetMs);
  const verify = readmeVerifier();
  const secret = `whsec_test_${randomUUID()}`;

  beforeAll(async () => {
    database = await createOwnDatabase('careline_test_webhooks');
  });
  afterEach(() => (offsetMs = 0));

  const start = (env: Record<string, string>) =>
    startTestServer('services', { DATABASE_URL: database.url, JOB_RETRY_BASE: '50ms', JOB_POLL_INTERVAL: '50ms', ...env }, { clock });

  async function endpointAndDelivery(
    server: TestServer,
    url: string,
  ): Promise<{ endpointId: string; deliveryId: string; eventId: string; body: string }> {
    const practiceId = await testPracticeId(server);
    const endpoint = await server.database.prisma.webhookEndpoint.create({
      data: { practiceId, url, events: ['appointment.booked'], secret },
    });
    const eventId = `evt_${randomUUID()}`;
    const body = JSON.stringify({ id: eventId, type: 'appointment.booked', createdAt: new Date().toISOString(), data: {} });
    const deliveryId = await server.services.transactions.run((tx) =>
      createDelivery(tx, { endpointId: endpoint.id, eventId, eventType: 'appointment.booked', body }),
    );
    return { endpointId: endpoint.id, deliveryId, eventId, body };
  }

  it('retries after two 500s, with the same event id, and signs every attempt verifiably', async () => {
    const receiver = await startWebhookReceiver([500, 500, 200]);
    const server = await start({ WEBHOOK_ALLOW_PRIVATE: 'true' });
    const { deliveryId, eventId, body } = await endpointAndDelivery(server, receiver.url);
    server.background.worker.nudge();

    const requests = await receiver.waitForRequests(3);
    expect(requests.map((request) => request.headers['careline-event-id'])).toEqual([eventId, eventId, eventId]);
    for (const request of requests) {
      expect(request.rawBody).toBe(body);
      expect(verify(secret, request.rawBody, String(request.headers['careline-signature']))).toBe(true);
      expect(verify('another secret', request.rawBody, String(request.headers['careline-signature']))).toBe(false);
      expect(verify(secret, `${request.rawBody} `, String(request.headers['careline-signature']))).toBe(false);
    }
    await server.background.worker.drain();
    const delivery = await server.database.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 200, nextAttemptAt: null });
  });

  it('disables an endpoint that failed for the whole retry window, with the reason', async () => {
    const receiver = await startWebhookReceiver([503]);
    const server = await start({ WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_WINDOW: '1h', JOB_RETRY_BASE: '10m' });
    const { endpointId, deliveryId } = await endpointAndDelivery(server, receiver.url);
    await server.background.worker.drain();
    expect(await server.database.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } })).toMatchObject({
      status: 'retrying',
      attempts: 1,
      lastStatusCode: 503,
    });

    for (const minutes of [15, 35, 61, 62]) {
      offsetMs = minutes * 60_000;
      await server.background.worker.drain();
    }
    const delivery = await server.database.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
    expect(delivery.status).toBe('failed');
    expect(delivery.nextAttemptAt).toBeNull();
    const endpoint = await server.database.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } });
    expect(endpoint.disabledAt).not.toBeNull();
    expect(endpoint.disabledReason).toContain('503');
  });

  it.each(['127.0.0.1', 'localhost'])('never connects to %s with WEBHOOK_ALLOW_PRIVATE off, even over https', async (host) => {
    const receiver = await startWebhookReceiver([200]);
    const server = await start({ WEBHOOK_ALLOW_PRIVATE: 'false', JOB_RETRY_LIMIT: '1' });
    const { deliveryId } = await endpointAndDelivery(server, `https://${host}:${receiver.port}/hooks`);
    await server.background.worker.drain();
    const delivery = await server.database.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
    expect(delivery.status).toBe('retrying');
    expect(delivery.lastError).toMatch(/loopback, private or link-local/);
    expect(receiver.connections()).toBe(0);
  });
});
