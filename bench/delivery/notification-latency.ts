// How long from a booking's commit until its confirmation reaches an SMTP server (and, with
// WEBHOOKS=1, until its webhook reaches an HTTP receiver): ROUNDS sequential bookings on an
// instance with its own database and redis-server, a real SMTP server (smtp-server) and a real
// HTTP receiver on loopback. "Commit" is when bookAppointment answered (the commit is just before
// it), so the figures are what a patient would see after their booking was confirmed on screen.
// Prints p50 and p99.
//
//   cd server && ROUNDS=100 node -r @swc-node/register ../bench/delivery/notification-latency.ts
import { registerDoctor, registerPatient } from '../../server/test/helpers/accounts';
import { bookOrThrow, slotSeries } from '../../server/test/helpers/bookings';
import { startSmtpReceiver } from '../../server/test/helpers/smtp-receiver';
import { startWebhookReceiver, type WebhookReceiver } from '../../server/test/helpers/webhook-receiver';
import type { TestServer } from '../../server/test/helpers/test-server';
import { percentile, startBenchEnv } from './bench-env';
import { subscribeWebhooks } from './webhook-setup';

const ROUNDS = Number(process.env['ROUNDS'] ?? 100);
const WARMUP = 10;
const WEBHOOKS = process.env['WEBHOOKS'] === '1';

async function main(): Promise<void> {
  const env = await startBenchEnv();
  const smtp = await startSmtpReceiver();
  const receiver: WebhookReceiver | undefined = WEBHOOKS ? await startWebhookReceiver([200]) : undefined;
  try {
    const server: TestServer = await env.startServer({ SMTP_URL: smtp.url, WEBHOOK_ALLOW_PRIVATE: 'true', DOCTOR_SELF_REGISTRATION: 'true' });
    const doctor = await registerDoctor(server);
    if (receiver) await subscribeWebhooks(server, doctor, receiver.url);
    const slot = slotSeries();
    const toMail: number[] = [];
    const toHook: number[] = [];
    for (let i = 0; i < WARMUP + ROUNDS; i += 1) {
      // A patient per booking: each confirmation is told apart by its recipient.
      const patient = await registerPatient(server);
      await bookOrThrow(server, patient, { doctorId: doctor.id, startsAt: slot(i) });
      const committed = Date.now();
      const mail = await smtp.waitFor((candidate) => candidate.to.includes(patient.email), 30_000);
      const hook = receiver ? (await receiver.waitForRequests(i + 1, 30_000))[i] : undefined;
      if (i < WARMUP) continue;
      toMail.push(mail.receivedAtMs - committed);
      if (hook) toHook.push(hook.receivedAtMs - committed);
    }
    const line = (name: string, samples: number[]) =>
      `${name.padEnd(40)} p50 ${percentile(samples, 50).toFixed(1)} ms   p99 ${percentile(samples, 99).toFixed(1)} ms   (n=${samples.length})`;
    console.log(line('commit -> confirmation received by SMTP', toMail));
    if (receiver) console.log(line('commit -> webhook received', toHook));
  } finally {
    await env.dispose();
    await smtp.close();
    await receiver?.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
