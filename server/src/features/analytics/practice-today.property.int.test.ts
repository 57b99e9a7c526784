// A property of practiceToday against real PostgreSQL: after any sequence of bookings (today and
// tomorrow), cancellations, check-ins and undone check-ins, made by patients and the desk over the
// API, the live board the desk's socket shows settles on exactly what a batch recompute of the
// appointments table gives (today's appointments of the practice by status, counted by the test's
// own SQL) and on the free slots availableSlots gives. fast-check shrinks a failing sequence and
// prints its seed; the clock is fixed, so open slots move with bookings only.
import fc from 'fast-check';
import { z } from 'zod';
import { registerPatient, type TestAccount } from '../../../test/helpers/accounts';
import { CANCEL } from '../../../test/helpers/clinic';
import { movableClock } from '../../../test/helpers/movable-clock';
import { allowBookingWithoutHours, CHECK_IN, createPractice, joinPractice, linkPatients } from '../../../test/helpers/practices';
import { startTestServer, type TestServer } from '../../../test/helpers/test-server';
import { subscribe } from '../../../test/helpers/ws-client';
import { todayOf, type TodayCounts } from './analytics.rules';

jest.setTimeout(600_000);

const PRACTICE_TODAY = `subscription ($practiceId: ID!) {
  practiceToday(practiceId: $practiceId) { date booked checkedIn completed noShows cancelled openSlots } }`;
const BOOK = 'mutation ($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }';
const UNDO_CHECK_IN = 'mutation ($id: ID!) { undoCheckIn(id: $id) { id } }';
const SLOTS = 'query ($d: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { availableSlots(doctorId: $d, from: $from, to: $to) }';

/** The batch recompute: today's appointments of these doctors by status, straight from the table. */
const RECOUNT = {
  name: 'test_practice_today_recount',
  text: `SELECT status::text AS status, count(*)::int AS count FROM appointments
         WHERE doctor_id = ANY($1::uuid[]) AND starts_at >= $2 AND starts_at < $3 AND status <> 'HELD' GROUP BY status`,
};
const RecountRow = z.object({ status: z.string(), count: z.number().int() });

type Step =
  | {
      readonly kind: 'book';
      readonly patient: number;
      readonly doctor: number;
      readonly slot: number;
      readonly tomorrow: boolean;
      readonly byDesk: boolean;
    }
  | { readonly kind: 'cancel' | 'checkIn' | 'undoCheckIn'; readonly pick: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('book' as const),
      patient: fc.nat(2),
      doctor: fc.nat(1),
      slot: fc.nat(5),
      tomorrow: fc.boolean(),
      byDesk: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('checkIn' as const), pick: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('undoCheckIn' as const), pick: fc.nat(20) }) },
);

describe('practiceToday (services): the live board always equals a batch recompute', () => {
  let server: TestServer;
  // A fixed now, just past a half hour: today's slots start at the next half hour.
  const now = new Date(Math.ceil(Date.now() / 1_800_000) * 1_800_000 + 60_000);
  const firstSlot = now.getTime() - 60_000 + 30 * 60_000;

  beforeAll(async () => {
    server = await startTestServer('services', {}, { clock: movableClock(now) });
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('settles on the recomputed counts and free slots after every step of any sequence', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        const practice = await createPractice(server);
        await allowBookingWithoutHours(server, practice);
        const doctors = [await joinPractice(server, practice, 'DOCTOR'), await joinPractice(server, practice, 'DOCTOR')];
        const patients: TestAccount[] = [await registerPatient(server), await registerPatient(server), await registerPatient(server)];
        // Patients of the practice, so the desk may book them too.
        await linkPatients(server, practice, patients);
        const today = todayOf(now, practice.timeZone);
        const booked: string[] = [];

        const recompute = async (): Promise<TodayCounts> => {
          const rows = (await server.database.sql.query(RECOUNT, [doctors.map((d) => d.id), today.start, today.end])).map((row) =>
            RecountRow.parse(row),
          );
          const of = (status: string) => rows.find((row) => row.status === status)?.count ?? 0;
          let openSlots = 0;
          for (const doctor of doctors) {
            const slots = await server.gql<{ availableSlots: string[] }>(
              SLOTS,
              { d: doctor.id, from: now.toISOString(), to: today.end.toISOString() },
              practice.admin.token,
            );
            openSlots += slots.data!.availableSlots.length;
          }
          return {
            date: today.date,
            booked: of('BOOKED'),
            checkedIn: of('CHECKED_IN'),
            completed: of('COMPLETED'),
            noShows: of('NO_SHOW'),
            cancelled: of('CANCELLED'),
            openSlots,
          };
        };

        const board = subscribe<{ practiceToday: TodayCounts }>(server.wsUrl, practice.admin.token, PRACTICE_TODAY, {
          practiceId: practice.id,
        });
        try {
          /** Boards until one equals the recompute: a board may lag by the folded events of one change, never stay wrong. */
          const settles = async () => {
            const expected = await recompute();
            let seen: TodayCounts | undefined;
            for (let boards = 0; boards < 10; boards++) {
              seen = (await board.next({ timeoutMs: 10_000 })).data?.practiceToday;
              if (JSON.stringify(seen) === JSON.stringify(expected)) return;
            }
            expect(seen).toEqual(expected);
          };
          await settles();
          for (const next of steps) {
            let committed: boolean;
            if (next.kind === 'book') {
              const startsAt = new Date(firstSlot + next.slot * 30 * 60_000 + (next.tomorrow ? 86_400_000 : 0));
              const patient = patients[next.patient]!;
              const result = await server.gql<{ bookAppointment: { id: string } }>(
                BOOK,
                {
                  input: {
                    doctorId: doctors[next.doctor]!.id,
                    startsAt: startsAt.toISOString(),
                    // A walk-in booked by the desk, or the patient's own booking.
                    ...(next.byDesk ? { patientId: patient.id } : {}),
                  },
                },
                next.byDesk ? practice.admin.token : patient.token,
              );
              const id = result.data?.bookAppointment.id;
              if (id) booked.push(id);
              committed = id !== undefined;
            } else {
              const id = booked[next.pick % Math.max(1, booked.length)];
              if (id === undefined) continue;
              const mutation = next.kind === 'cancel' ? CANCEL : next.kind === 'checkIn' ? CHECK_IN : UNDO_CHECK_IN;
              const result = await server.gql(mutation, { id }, practice.admin.token);
              committed = result.errors === undefined;
            }
            // A refused step (a taken slot, a tomorrow check-in, a second cancel) commits nothing and sends no board.
            if (committed) await settles();
          }
        } finally {
          await board.dispose();
        }
      }),
      { numRuns: 10 },
    );
  });
});
