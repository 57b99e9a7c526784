// What the audit trail adds (issue 15's closing figures), on a database and redis-server of its own:
//   per booking: the booking transaction as bookAppointment runs it (appointment, patient-list
//     entry, patientAdded event through events.transaction), without and with its audit row
//     (audit.write: lock the partition head, chain, insert). One at a time, and 8 at once (8
//     doctor/patient pairs, so the audit partitions are the only lock they could share).
//   per patient-list read: doctorPatients' page of 50 through PatientService, without and with its
//     audit rows (one row per patient on the page, one INSERT, committed before the answer).
// Variants are interleaved so machine noise hits all alike; prints median and p95 of each.
//
//   cd server && ROUNDS=300 node -r @swc-node/register ../bench/delivery/audit-cost.ts
import 'reflect-metadata'; // before the first type-graphql class (the patients service's types)
import { registerDoctor, registerPatient, type TestAccount } from '../../server/test/helpers/accounts';
import { slotSeries } from '../../server/test/helpers/bookings';
import type { Viewer } from '../../server/src/accounts/authorization';
import { internalViewer } from '../../server/src/accounts/viewer';
import { AuditAction } from '../../server/src/audit/audit-entry';
import { AuditTrail } from '../../server/src/audit/audit-trail';
import { AppointmentTopic } from '../../server/src/features/appointments/appointments.events';
import { PatientService } from '../../server/src/features/patients/patients.service';
import { Role } from '../../server/src/generated/prisma/enums';
import { doctorStream } from '../../server/src/live/streams';
import type { TestServer } from '../../server/test/helpers/test-server';
import { inParallel, percentile, startBenchEnv } from './bench-env';

const ROUNDS = Number(process.env['ROUNDS'] ?? 300);
const CONCURRENCY = 8;
const PAGE = 50;

/** The audit trail switched off: what a read would cost without its audit rows. */
class NoAudit extends AuditTrail {
  override record(): Promise<void> {
    return Promise.resolve();
  }
}

/** Distinct slots of one doctor, in order. */
function slotsOf(): () => Date {
  const slot = slotSeries();
  let next = 0;
  return () => slot(next++);
}

function booker(server: TestServer, doctor: TestAccount, patient: TestAccount, nextSlot: () => Date = slotsOf()) {
  const viewer: Viewer = internalViewer(patient.id, Role.PATIENT);
  return (audited: boolean) =>
    server.services.events.transaction(async (tx, emit) => {
      const startsAt = nextSlot();
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
      await emit(doctorStream(doctor.id), AppointmentTopic.PatientAdded, (seq) => ({
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
      }));
      if (audited) await server.services.audit.write(tx, viewer, [{ action: AuditAction.BookAppointment, patientId: patient.id, objectType: 'appointment', objectId: row.id }]);
    });
}

async function measure(variants: Record<string, () => Promise<void>>, rounds: number): Promise<Record<string, number[]>> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
  for (let warmup = 0; warmup < 20; warmup += 1) for (const run of Object.values(variants)) await run();
  for (let round = 0; round < rounds; round += 1) {
    for (const [name, run] of Object.entries(variants)) {
      const started = performance.now();
      await run();
      samples[name]!.push(performance.now() - started);
    }
  }
  return samples;
}

function report(samples: Record<string, number[]>, unit: string): (name: string) => number {
  const median = (name: string) => percentile(samples[name]!, 50);
  for (const [name, values] of Object.entries(samples)) {
    console.log(`${name.padEnd(34)} median ${median(name).toFixed(2)} ms   p95 ${percentile(values, 95).toFixed(2)} ms   (${values.length} ${unit})`);
  }
  return median;
}

async function main(): Promise<void> {
  const env = await startBenchEnv();
  try {
    const server = await env.startServer({ OUTBOX_SWEEP_INTERVAL: '10m' });
    const pairs = await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => [await registerDoctor(server), await registerPatient(server)] as const),
    );
    const books = pairs.map(([doctor, patient]) => booker(server, doctor, patient));
    const one = books[0]!;
    const all = (audited: boolean) => inParallel(CONCURRENCY, CONCURRENCY, (i) => books[i]!(audited));
    const booking = report(
      await measure(
        {
          'A booking, no audit': () => one(false),
          'B booking + audit row': () => one(true),
          [`C ${CONCURRENCY} bookings at once, no audit`]: () => all(false),
          [`D ${CONCURRENCY} bookings at once + audit`]: () => all(true),
        },
        ROUNDS,
      ),
      'rounds',
    );

    // A doctor with a full page of patients on their list.
    const doctor = await registerDoctor(server);
    const patients: TestAccount[] = [];
    // A few at a time: bounded admission (HTTP_MAX_IN_FLIGHT) refuses a rush of 50 scrypt hashes.
    await inParallel(PAGE, 4, async () => void patients.push(await registerPatient(server)));
    const listSlots = slotsOf();
    for (const patient of patients) await booker(server, doctor, patient, listSlots)(false);
    const viewer = internalViewer(doctor.id, Role.DOCTOR);
    const plain = new PatientService(server.database.prisma, new NoAudit(server.database.prisma, server.database.sql));
    const audited = server.services.patients;
    const reads = report(
      await measure(
        {
          [`E list of ${PAGE}, no audit`]: async () => void (await plain.listDoctorPatients(viewer, doctor.id, PAGE)),
          [`F list of ${PAGE} + ${PAGE} audit rows`]: async () => void (await audited.listDoctorPatients(viewer, doctor.id, PAGE)),
        },
        ROUNDS,
      ),
      'reads',
    );
    console.log(
      `audit adds ${(booking('B booking + audit row') - booking('A booking, no audit')).toFixed(2)} ms per booking (median, one at a time), ` +
        `${(booking(`D ${CONCURRENCY} bookings at once + audit`) - booking(`C ${CONCURRENCY} bookings at once, no audit`)).toFixed(2)} ms per round of ${CONCURRENCY} concurrent bookings, ` +
        `${(reads(`F list of ${PAGE} + ${PAGE} audit rows`) - reads(`E list of ${PAGE}, no audit`)).toFixed(2)} ms per patient-list read of ${PAGE}`,
    );
  } finally {
    await env.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
