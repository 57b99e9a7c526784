// Catch-up after a Redis outage. Two instances share a database and a redis-server of their own;
// each of 10 doctors has 2 dashboards (one on each instance). Redis is stopped, EVENTS bookings are
// made while it is down (one booking at a time per doctor, alternating instances, so each doctor's
// commit order is the order booked), the outage lasts OUTAGE_SECONDS in total, then Redis is
// started again. Prints the time from the restart until every dashboard has every event, and the
// events lost, duplicated or out of order (all must be 0; the script exits 1 otherwise).
//
//   OUTAGE_SECONDS=60 EVENTS=1000 node -r @swc-node/register bench/delivery/redis-outage-catchup.ts
import { setTimeout as sleep } from 'node:timers/promises';
import { reasonOf } from '../src/slots';
import { bookAppointment } from '../src/support/graphql';
import { registerDoctor, registerPatient, runMain, slotSeries, startBenchEnv, waitForSubscribers } from './bench-env';
import { Dashboard } from './dashboard';

const OUTAGE_SECONDS = Number(process.env['OUTAGE_SECONDS'] ?? 60);
const EVENTS = Number(process.env['EVENTS'] ?? 1000);
const DOCTORS = 10;
const TAG = 'outage';

runMain(async () => {
  if (!Number.isInteger(EVENTS / DOCTORS) || EVENTS <= 0) throw new Error(`EVENTS must be a positive multiple of ${DOCTORS}`);
  const env = await startBenchEnv();
  try {
    const servers = [await env.startServer(), await env.startServer()];
    const doctors = await Promise.all(Array.from({ length: DOCTORS }, () => registerDoctor(servers[0]!)));
    // Patient d books only with doctor d, one booking at a time: no two of theirs overlap.
    const patients = await Promise.all(Array.from({ length: DOCTORS }, () => registerPatient(servers[1]!)));
    const dashboards = await Promise.all(doctors.flatMap((doctor) => servers.map((server) => Dashboard.open(server.wsUrl, doctor, TAG))));
    await waitForSubscribers(
      servers,
      doctors.map((doctor) => doctor.id),
      dashboards.length,
    );

    await env.redis.stop();
    const stoppedAt = performance.now();
    const slot = slotSeries();
    // booked[d]: the bookings of doctor d in the order they committed.
    const booked: number[][] = doctors.map(() => []);
    await Promise.all(
      doctors.map(async (doctor, d) => {
        for (let b = d; b < EVENTS; b += DOCTORS) {
          await bookAppointment(servers[Math.floor(b / DOCTORS) % 2]!.url, patients[d]!.token, {
            doctorId: doctor.id,
            startsAt: slot(b),
            reason: reasonOf(TAG, b),
          });
          booked[d]!.push(b);
        }
      }),
    );
    const bookedMs = performance.now() - stoppedAt;
    const deliveredMeanwhile = dashboards.reduce((sum, dashboard) => sum + dashboard.seen.length, 0);
    console.log(
      `${EVENTS} bookings succeeded during the outage in ${(bookedMs / 1000).toFixed(1)} s; events delivered meanwhile: ${deliveredMeanwhile}`,
    );
    const left = OUTAGE_SECONDS * 1000 - bookedMs;
    if (left > 0) await sleep(left); // the outage itself: a length to measure, not a synchronisation
    const outageMs = performance.now() - stoppedAt;

    await env.redis.start();
    const restartedAt = performance.now();
    await Promise.all(dashboards.map((dashboard) => dashboard.waitForCount(EVENTS / DOCTORS, 120_000)));
    const catchUpMs = performance.now() - restartedAt;

    let lost = 0;
    let duplicated = 0;
    let outOfOrder = 0;
    for (const dashboard of dashboards) {
      const expected = booked[doctors.findIndex((doctor) => doctor.id === dashboard.doctorId)]!;
      const seen = dashboard.seen.map((event) => event.index);
      lost += expected.filter((index) => !seen.includes(index)).length;
      duplicated += seen.length - new Set(seen).size;
      outOfOrder += seen.filter((index, i) => index !== expected[i]).length;
    }
    const problems = dashboards.flatMap((dashboard) => dashboard.problems);
    console.log(
      `outage ${(outageMs / 1000).toFixed(1)} s, ${EVENTS} events queued in the outbox, ${dashboards.length} dashboards: ` +
        `all delivered ${catchUpMs.toFixed(0)} ms after Redis restarted; lost ${lost}, duplicated ${duplicated}, out of order ${outOfOrder}`,
    );
    await Promise.all(dashboards.map((dashboard) => dashboard.close()));
    if (lost + duplicated + outOfOrder > 0 || problems.length > 0)
      throw new Error(`delivery failed; problems: ${JSON.stringify(problems)}`);
  } finally {
    await env.dispose();
  }
});
