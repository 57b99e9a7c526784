// Catch-up after a Redis outage (issue 5's closing figure). Two instances share a database and a
// redis-server of their own; 2 dashboards per doctor (one on each instance) are connected; Redis
// is stopped, EVENTS bookings are made while it is down, the outage lasts OUTAGE_SECONDS in
// total, then Redis is started again. Prints the time from the restart until every dashboard has
// every event, and the events lost or duplicated (must be 0).
//
//   cd server && OUTAGE_SECONDS=60 EVENTS=1000 node -r @swc-node/register ../bench/delivery/redis-outage-catchup.ts
import { setTimeout as sleep } from 'node:timers/promises';
import { registerDoctor, registerPatient } from '../../server/test/helpers/accounts';
import { bookOrThrow, slotSeries } from '../../server/test/helpers/bookings';
import { Dashboard } from '../../server/test/helpers/dashboard';
import { waitForDoctorSubscribers } from '../../server/test/helpers/wait-for';
import { inParallel, startBenchEnv } from './bench-env';

const OUTAGE_SECONDS = Number(process.env['OUTAGE_SECONDS'] ?? 60);
const EVENTS = Number(process.env['EVENTS'] ?? 1000);
const DOCTORS = 10;

async function main(): Promise<void> {
  const env = await startBenchEnv();
  try {
    const servers = [await env.startServer(), await env.startServer()];
    const doctors = await Promise.all(Array.from({ length: DOCTORS }, () => registerDoctor(servers[0]!)));
    const patients = await Promise.all(Array.from({ length: DOCTORS }, () => registerPatient(servers[1]!)));
    const dashboards = doctors.flatMap((doctor) =>
      servers.map((server) => {
        const dashboard = new Dashboard(doctor.id, doctor.token);
        dashboard.connect(server.wsUrl);
        return dashboard;
      }),
    );
    for (const doctor of doctors) for (const server of servers) await waitForDoctorSubscribers(server, doctor.id);

    await env.redis.stop();
    const stoppedAt = performance.now();
    const slot = slotSeries();
    const booked = new Map<string, string[]>(doctors.map((doctor) => [doctor.id, []]));
    await inParallel(EVENTS, 8, async (b) => {
      const doctor = doctors[b % DOCTORS]!;
      const id = await bookOrThrow(servers[b % 2]!, patients[b % DOCTORS]!, { doctorId: doctor.id, startsAt: slot(b) });
      booked.get(doctor.id)!.push(id);
    });
    const bookedMs = performance.now() - stoppedAt;
    const delivered = dashboards.reduce((sum, dashboard) => sum + dashboard.seen.length, 0);
    console.log(`${EVENTS} bookings succeeded during the outage in ${(bookedMs / 1000).toFixed(1)} s; events delivered meanwhile: ${delivered}`);
    const left = OUTAGE_SECONDS * 1000 - bookedMs;
    if (left > 0) await sleep(left); // the outage itself: a benchmark, not a synchronisation
    const outageMs = performance.now() - stoppedAt;

    await env.redis.start();
    const restartedAt = performance.now();
    await Promise.all(dashboards.map((dashboard) => dashboard.waitForCount(EVENTS / DOCTORS, 120_000)));
    const catchUpMs = performance.now() - restartedAt;

    let lost = 0;
    let duplicated = 0;
    let outOfOrder = 0;
    for (const dashboard of dashboards) {
      const seen = dashboard.seen.map((event) => event.appointmentId);
      lost += booked.get(dashboard.doctorId)!.filter((id) => !seen.includes(id)).length;
      duplicated += seen.length - new Set(seen).size;
      outOfOrder += dashboard.seen.filter((event, i) => event.seq !== i + 1).length;
    }
    console.log(
      `outage ${(outageMs / 1000).toFixed(1)} s, ${EVENTS} events queued in the outbox, ${dashboards.length} dashboards: ` +
        `all delivered ${catchUpMs.toFixed(0)} ms after Redis restarted; lost ${lost}, duplicated ${duplicated}, out of order ${outOfOrder}`,
    );
    await Promise.all(dashboards.map((dashboard) => dashboard.disconnect()));
  } finally {
    await env.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
