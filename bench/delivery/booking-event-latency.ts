// End to end, warm: how long a patient waits for bookAppointment over HTTP, and how long until the
// doctor's open dashboard receives the event. ROUNDS sequential bookings (after 20 unmeasured) on
// one instance with its own database and redis-server; prints p50, p90 and p99 of both.
//
//   ROUNDS=200 node -r @swc-node/register bench/delivery/booking-event-latency.ts
import { epochNowMs } from '../src/clock';
import { reasonOf } from '../src/slots';
import { bookAppointment } from '../src/support/graphql';
import { latencyLine, registerDoctor, registerPatient, runMain, slotSeries, startBenchEnv, waitForSubscribers } from './bench-env';
import { Dashboard } from './dashboard';

const ROUNDS = Number(process.env['ROUNDS'] ?? 200);
const WARMUP = 20;
const TAG = 'booking-event';

runMain(async () => {
  const env = await startBenchEnv();
  try {
    const server = await env.startServer();
    const doctor = await registerDoctor(server);
    const patient = await registerPatient(server);
    const dashboard = await Dashboard.open(server.wsUrl, doctor, TAG);
    await waitForSubscribers([server], [doctor.id], 1);
    const slot = slotSeries();
    const answered: number[] = [];
    const received: number[] = [];
    for (let i = 0; i < WARMUP + ROUNDS; i += 1) {
      const sentAt = epochNowMs();
      await bookAppointment(server.url, patient.token, { doctorId: doctor.id, startsAt: slot(i), reason: reasonOf(TAG, i) });
      const answeredAt = epochNowMs();
      await dashboard.waitForCount(i + 1);
      if (i < WARMUP) continue;
      const event = dashboard.seen.find((seen) => seen.index === i);
      if (!event)
        throw new Error(`booking ${i} answered, but the dashboard received another event: ${JSON.stringify(dashboard.seen.slice(-3))}`);
      answered.push(answeredAt - sentAt);
      received.push(event.receivedAtMs - sentAt);
    }
    console.log(latencyLine('bookAppointment answered', answered));
    console.log(latencyLine('event received by the dashboard', received));
    if (dashboard.problems.length > 0) throw new Error(`the dashboard saw problems: ${dashboard.problems.join('; ')}`);
    await dashboard.close();
  } finally {
    await env.dispose();
  }
});
