// How long from a booking's commit until its confirmation reaches an SMTP server (and, with
// WEBHOOKS=1, until its appointment.booked webhook reaches an HTTP endpoint): ROUNDS sequential
// bookings (after 10 unmeasured) on one instance with its own database and redis-server, a real SMTP
// server and a real HTTP receiver on loopback. "Commit" is when bookAppointment answered (the
// commit is just before it), so the figures are what a patient sees after their booking was
// confirmed on screen. Prints p50, p90 and p99.
//
//   ROUNDS=100 WEBHOOKS=1 node -r @swc-node/register bench/delivery/notification-latency.ts
import { epochNowMs } from '../src/clock';
import { reasonOf } from '../src/slots';
import { bookAppointment, postGraphQL, type Account } from '../src/support/graphql';
import type { Instance } from '../src/targets';
import { latencyLine, registerDoctor, registerPatient, runMain, slotSeries, startBenchEnv } from './bench-env';
import { startSmtpReceiver, startWebhookReceiver, type Receiver } from './receivers';

const ROUNDS = Number(process.env['ROUNDS'] ?? 100);
const WARMUP = 10;
const WEBHOOKS = process.env['WEBHOOKS'] === '1';
const TAG = 'notification';

const CREATE_ENDPOINT = 'mutation ($input: WebhookEndpointInput!) { createWebhookEndpoint(input: $input) { id } }';

/** Subscribes an endpoint of the doctor's practice (a self-registered doctor administers their own) to appointment.booked. */
async function subscribeWebhooks(server: Instance, doctor: Account, url: string): Promise<void> {
  const me = await postGraphQL<{ me: { adminOf: Array<{ id: string }> } }>(server.url, '{ me { adminOf { id } } }', {}, doctor.token);
  const practiceId = me.data?.me.adminOf[0]?.id;
  if (!practiceId) throw new Error(`the doctor administers no practice: ${JSON.stringify(me.errors)}`);
  const input = { practiceId, url, events: ['appointment.booked'] };
  const created = await postGraphQL<{ createWebhookEndpoint: { id: string } }>(server.url, CREATE_ENDPOINT, { input }, doctor.token);
  if (!created.data?.createWebhookEndpoint) throw new Error(`createWebhookEndpoint failed: ${JSON.stringify(created.errors)}`);
}

runMain(async () => {
  const env = await startBenchEnv();
  const receivers: Receiver[] = [];
  try {
    const smtp = await startSmtpReceiver();
    receivers.push(smtp);
    const endpoint = WEBHOOKS ? await startWebhookReceiver() : undefined;
    if (endpoint) receivers.push(endpoint);
    const server = await env.startServer({
      SMTP_URL: smtp.url,
      MAIL_FROM: 'CareLine Bench <bench@careline.invalid>',
      WEBHOOK_ALLOW_PRIVATE: 'true',
    });
    const doctor = await registerDoctor(server);
    if (endpoint) await subscribeWebhooks(server, doctor, endpoint.url);
    const slot = slotSeries();
    const toMail: number[] = [];
    const toHook: number[] = [];
    for (let i = 0; i < WARMUP + ROUNDS; i += 1) {
      // A patient per booking: each confirmation is told apart by its recipient.
      const patient = await registerPatient(server);
      const appointmentId = await bookAppointment(server.url, patient.token, {
        doctorId: doctor.id,
        startsAt: slot(i),
        reason: reasonOf(TAG, i),
      });
      const committedAt = epochNowMs();
      const mail = await smtp.waitFor((received) => received.text.split(',').includes(patient.email), 30_000);
      const hook = await endpoint?.waitFor((received) => received.text.includes(appointmentId), 30_000);
      if (i < WARMUP) continue;
      toMail.push(mail.receivedAtMs - committedAt);
      if (hook) toHook.push(hook.receivedAtMs - committedAt);
    }
    console.log(latencyLine('commit -> confirmation received by SMTP', toMail));
    if (endpoint) console.log(latencyLine('commit -> webhook received', toHook));
  } finally {
    await env.dispose();
    await Promise.all(receivers.map((receiver) => receiver.close()));
  }
});
