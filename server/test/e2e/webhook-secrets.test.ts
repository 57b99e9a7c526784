// Webhook signing secrets at rest (DATA_ENCRYPTION_KEY): the table never holds the secret an
// admin was shown, deliveries still verify with it, and a key rotation (new key, the old one in
// DATA_ENCRYPTION_PREVIOUS_KEYS, restart) re-seals every secret, including a plaintext one stored
// before sealing, while deliveries keep signing with the same secrets.
import { randomUUID } from 'node:crypto';
import { resealWebhookSecrets } from '../../src/features/webhooks/webhook-secrets';
import { createDataCipher, dataKeyId } from '../../src/platform/data-cipher';
import { registerPatient } from '../helpers/accounts';
import { bookOrThrow, slotSeries } from '../helpers/bookings';
import { createOwnDatabase, type OwnDatabase } from '../helpers/own-database';
import { createPractice, joinPractice, type TestPractice } from '../helpers/practices';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';
import { createEndpoint, readmeVerifier } from '../helpers/webhooks';

const OLD_KEY = Buffer.alloc(32, 0x0d);
const NEW_KEY = Buffer.alloc(32, 0x0e);
const keyIdOf = (stored: string) => stored.split('.')[1];

describe('webhook secrets sealed at rest', () => {
  let database: OwnDatabase;
  let receiver: WebhookReceiver;
  let legacyReceiver: WebhookReceiver;
  const verify = readmeVerifier();
  const slot = slotSeries();

  const start = (key: Buffer, previous: readonly Buffer[] = []) =>
    startTestServer('services', {
      DATABASE_URL: database.url,
      WEBHOOK_ALLOW_PRIVATE: 'true',
      JOB_POLL_INTERVAL: '50ms',
      DATA_ENCRYPTION_KEY: key.toString('hex'),
      ...(previous.length > 0 ? { DATA_ENCRYPTION_PREVIOUS_KEYS: previous.map((one) => one.toString('base64')).join(',') } : {}),
    });
  const storedSecret = async (server: TestServer, id: string) =>
    (await server.database.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id } })).secret;
  const signedBy = (secret: string, hook: { readonly rawBody: string; readonly headers: Record<string, unknown> }) =>
    verify(secret, hook.rawBody, String(hook.headers['careline-signature']));

  beforeAll(async () => {
    database = await createOwnDatabase('careline_test_webhook_secrets');
    receiver = await startWebhookReceiver([200]);
    legacyReceiver = await startWebhookReceiver([200]);
  });

  it('stores only the sealed secret, signs with the shown one, and re-seals every secret on a restart with a new key', async () => {
    const before = await start(OLD_KEY);
    const clinic: TestPractice = await createPractice(before);
    const doctor = await joinPractice(before, clinic, 'DOCTOR');
    const patient = await registerPatient(before);
    const endpoint = await createEndpoint(before, clinic.admin.token, {
      practiceId: clinic.id,
      url: receiver.url,
      events: ['appointment.booked'],
    });
    const sealed = await storedSecret(before, endpoint.id);
    expect(sealed).not.toContain(endpoint.secret.replace(/^whsec_/, ''));
    expect(keyIdOf(sealed)).toBe(dataKeyId(OLD_KEY));

    // An endpoint written before secrets were sealed: its plaintext still signs, until re-sealed.
    const legacySecret = `whsec_${randomUUID()}`;
    const legacy = await before.database.prisma.webhookEndpoint.create({
      data: { practiceId: clinic.id, url: legacyReceiver.url, events: ['appointment.booked'], secret: legacySecret },
    });

    await bookOrThrow(before, patient, { doctorId: doctor.id, startsAt: slot(1).toISOString() });
    expect(signedBy(endpoint.secret, (await receiver.waitForRequests(1))[0]!)).toBe(true);
    expect(signedBy(legacySecret, (await legacyReceiver.waitForRequests(1))[0]!)).toBe(true);
    await before.dispose();

    // The rotation: a new key, the old one kept to open what it sealed; the start re-seals.
    const after = await start(NEW_KEY, [OLD_KEY]);
    const resealed = await storedSecret(after, endpoint.id);
    expect(keyIdOf(resealed)).toBe(dataKeyId(NEW_KEY));
    const legacyResealed = await storedSecret(after, legacy.id);
    expect(keyIdOf(legacyResealed)).toBe(dataKeyId(NEW_KEY));
    expect(legacyResealed).not.toContain(legacySecret.replace(/^whsec_/, ''));

    await bookOrThrow(after, patient, { doctorId: doctor.id, startsAt: slot(2).toISOString() });
    expect(signedBy(endpoint.secret, (await receiver.waitForRequests(2))[1]!)).toBe(true);
    expect(signedBy(legacySecret, (await legacyReceiver.waitForRequests(2))[1]!)).toBe(true);

    // Without the key that sealed them nothing opens: the pass reports them and leaves them be.
    const stranger = createDataCipher({ current: Buffer.alloc(32, 0x0f), previous: [OLD_KEY] });
    expect(await resealWebhookSecrets(after.database.sql, stranger)).toEqual({
      resealed: 0,
      unreadable: [endpoint.id, legacy.id].sort(),
    });
    expect(await storedSecret(after, endpoint.id)).toBe(resealed);
    await after.dispose();
  });
});
