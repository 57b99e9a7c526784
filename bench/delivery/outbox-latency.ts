// What the outbox adds to one booking (issue 5's closing figure). The same booking transaction
// (appointment + patient-list entry) is timed three ways, interleaved so machine noise hits all
// alike, on a database and redis-server of its own:
//   A  without the outbox (what a booking would cost with at-most-once publishing)
//   B  with the outbox row and the per-doctor sequence bump (appendEvents) in the transaction
//   C  B, then the post-commit dispatch (claim, publish to Redis, mark published), as
//      bookAppointment does before it answers
// Bookings run one at a time (no lock contention); prints median and p95 of each.
//
//   cd server && ROUNDS=300 node -r @swc-node/register ../bench/delivery/outbox-latency.ts
import { registerDoctor, registerPatient } from '../../server/test/helpers/accounts';
import { slotSeries } from '../../server/test/helpers/bookings';
import { AppointmentTopic } from '../../server/src/features/appointments/appointments.events';
import { appendEvents } from '../../server/src/live/outbox';
import { prismaSql } from '../../server/src/platform/sql';
import { doctorStream } from '../../server/src/live/streams';
import { percentile, startBenchEnv } from './bench-env';

const ROUNDS = Number(process.env['ROUNDS'] ?? 300);

async function main(): Promise<void> {
  const env = await startBenchEnv();
  try {
    // The sweep is pushed out of the way: only the measured dispatch publishes.
    const server = await env.startServer({ OUTBOX_SWEEP_INTERVAL: '10m' });
    const prisma = server.database.prisma;
    const doctor = await registerDoctor(server);
    const patient = await registerPatient(server);
    const slot = slotSeries();
    let next = 0;

    const book = (withOutbox: boolean) =>
      prisma.$transaction(async (tx) => {
        const startsAt = slot(next++);
        const row = await tx.appointment.create({
          data: { doctorId: doctor.id, patientId: patient.id, startsAt, endsAt: new Date(startsAt.getTime() + 30 * 60_000) },
        });
        const { count } = await tx.doctorPatient.createMany({
          data: [{ doctorId: doctor.id, patientId: patient.id, firstBookedAt: row.createdAt, lastBookedAt: row.createdAt }],
          skipDuplicates: true,
        });
        if (count === 0) {
          await tx.doctorPatient.update({ where: { doctorId_patientId: { doctorId: doctor.id, patientId: patient.id } }, data: { lastBookedAt: row.createdAt } });
        }
        if (!withOutbox) return undefined;
        const [event] = await appendEvents(prismaSql(tx), [{
          stream: doctorStream(doctor.id),
          topic: AppointmentTopic.PatientAdded,
          build: (seq) => ({
            seq,
            doctorId: doctor.id,
            firstVisit: count === 1,
            patient: { id: patient.id, name: patient.name, dateOfBirth: null },
            appointment: {
              id: row.id,
              doctorId: doctor.id,
              patientId: patient.id,
              startsAt: row.startsAt.toISOString(),
              endsAt: row.endsAt.toISOString(),
              status: row.status,
              reason: row.reason,
            },
          }),
        }]);
        return event;
      });

    const variants = {
      'A no outbox': async () => {
        await book(false);
      },
      'B outbox write': async () => {
        await book(true);
      },
      'C outbox write + dispatch': async () => {
        const event = await book(true);
        await server.outbox.publishCommitted([event!]);
      },
    };
    const samples: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
    for (let warmup = 0; warmup < 20; warmup += 1) for (const run of Object.values(variants)) await run();
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [name, run] of Object.entries(variants)) {
        const started = performance.now();
        await run();
        samples[name]!.push(performance.now() - started);
      }
    }
    const median = (name: string) => percentile(samples[name]!, 50);
    for (const name of Object.keys(variants)) {
      console.log(`${name.padEnd(28)} median ${median(name).toFixed(2)} ms   p95 ${percentile(samples[name]!, 95).toFixed(2)} ms   (${ROUNDS} bookings)`);
    }
    console.log(
      `outbox write adds ${(median('B outbox write') - median('A no outbox')).toFixed(2)} ms per booking (median); ` +
        `with the post-commit dispatch ${(median('C outbox write + dispatch') - median('A no outbox')).toFixed(2)} ms`,
    );
  } finally {
    await env.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
