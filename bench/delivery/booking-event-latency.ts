// End to end, warm: how long a patient waits for bookAppointment over HTTP, and how long until
// the doctor's open dashboard receives the event. ROUNDS sequential bookings on an instance with
// its own database and redis-server; prints median and p95 of both.
//
//   cd server && ROUNDS=200 node -r @swc-node/register ../bench/delivery/booking-event-latency.ts
import { registerDoctor, registerPatient } from '../../server/test/helpers/accounts';
import { bookOrThrow, slotSeries } from '../../server/test/helpers/bookings';
import { Dashboard } from '../../server/test/helpers/dashboard';
import { percentile, startBenchEnv } from './bench-env';

const ROUNDS = Number(process.env['ROUNDS'] ?? 200);
const WARMUP = 20;

async function main(): Promise<void> {
  const env = await startBenchEnv();
  try {
    const server = await env.startServer();
    const doctor = await registerDoctor(server);
    const patient = await registerPatient(server);
    const dashboard = new Dashboard(doctor.id, doctor.token);
    dashboard.connect(server.wsUrl);
    const slot = slotSeries();
    const booking: number[] = [];
    const event: number[] = [];
    for (let i = 0; i < WARMUP + ROUNDS; i += 1) {
      const sent = performance.now();
      await bookOrThrow(server, patient, { doctorId: doctor.id, startsAt: slot(i) });
      const answered = performance.now();
      await dashboard.waitForCount(i + 1);
      const received = performance.now();
      if (i < WARMUP) continue;
      booking.push(answered - sent);
      event.push(received - sent);
    }
    const line = (name: string, samples: number[]) =>
      `${name.padEnd(34)} median ${percentile(samples, 50).toFixed(2)} ms   p95 ${percentile(samples, 95).toFixed(2)} ms`;
    console.log(line('bookAppointment answered', booking));
    console.log(line('event received by the dashboard', event));
    await dashboard.disconnect();
  } finally {
    await env.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
