// practiceToday over a real graphql-ws socket: the board of today at once, then a new board after
// each committed booking and cancellation (no polling), counts only; the desk only.
import { bookOrThrow } from '../../../test/helpers/bookings';
import { registerPatient } from '../../../test/helpers/accounts';
import { CANCEL } from '../../../test/helpers/clinic';
import { movableClock } from '../../../test/helpers/movable-clock';
import { allowBookingWithoutHours, createPractice, joinPractice } from '../../../test/helpers/practices';
import { startTestServer, type Mode, type TestServer } from '../../../test/helpers/test-server';
import { subscribe } from '../../../test/helpers/ws-client';
import { formatLocalDate, localDateOf } from '../../platform/time-zones';
import type { TodayCounts } from './analytics.rules';

jest.setTimeout(180_000);

const PRACTICE_TODAY = `subscription ($practiceId: ID!) {
  practiceToday(practiceId: $practiceId) { date booked checkedIn completed noShows cancelled openSlots } }`;

describe.each<Mode>(['services', 'embedded'])('practiceToday (%s)', (mode) => {
  let server: TestServer;
  // A fixed now: open slots move only with bookings, not with the seconds the test takes.
  const now = new Date(Math.ceil(Date.now() / 1_800_000) * 1_800_000 + 60_000);

  beforeAll(async () => {
    server = await startTestServer(mode, {}, { clock: movableClock(now) });
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('sends the board at once, then after a booking and a cancellation, moved by those events', async () => {
    const practice = await createPractice(server);
    await allowBookingWithoutHours(server, practice);
    const staff = await joinPractice(server, practice, 'STAFF');
    const doctor = await joinPractice(server, practice, 'DOCTOR');
    const patient = await registerPatient(server);
    const board = subscribe<{ practiceToday: TodayCounts }>(server.wsUrl, staff.token, PRACTICE_TODAY, { practiceId: practice.id });

    const first = (await board.next()).data!.practiceToday;
    expect(first).toMatchObject({ date: formatLocalDate(localDateOf(now, practice.timeZone)), booked: 0, cancelled: 0 });
    expect(first.openSlots).toBeGreaterThan(1);

    // The next free slot of today (the practice is around noon: hours of today remain).
    const startsAt = new Date(now.getTime() - 60_000 + 30 * 60_000);
    const id = await bookOrThrow(server, patient, { doctorId: doctor.id, startsAt: startsAt.toISOString() });
    const afterBooking = (await board.next()).data!.practiceToday;
    expect(afterBooking).toMatchObject({ booked: 1, cancelled: 0, openSlots: first.openSlots - 1 });

    const cancelled = await server.gql(CANCEL, { id }, patient.token);
    expect(cancelled.errors).toBeUndefined();
    const afterCancel = (await board.next()).data!.practiceToday;
    expect(afterCancel).toMatchObject({ booked: 0, cancelled: 1, openSlots: first.openSlots });
    expect(JSON.stringify([first, afterBooking, afterCancel])).not.toContain(patient.name);
    await board.dispose();
  });

  it('gives every desk of the practice the same board after a change (one computation shared on this instance)', async () => {
    const practice = await createPractice(server);
    await allowBookingWithoutHours(server, practice);
    const desks = [await joinPractice(server, practice, 'STAFF'), await joinPractice(server, practice, 'STAFF')];
    const doctor = await joinPractice(server, practice, 'DOCTOR');
    const patient = await registerPatient(server);
    const boards = desks.map((desk) =>
      subscribe<{ practiceToday: TodayCounts }>(server.wsUrl, desk.token, PRACTICE_TODAY, { practiceId: practice.id }),
    );
    const firsts = await Promise.all(boards.map(async (board) => (await board.next()).data!.practiceToday));
    expect(firsts[1]).toEqual(firsts[0]);

    const startsAt = new Date(now.getTime() - 60_000 + 60 * 60_000);
    await bookOrThrow(server, patient, { doctorId: doctor.id, startsAt: startsAt.toISOString() });
    const after = await Promise.all(boards.map(async (board) => (await board.next()).data!.practiceToday));
    expect(after[0]).toMatchObject({ booked: 1, openSlots: firsts[0]!.openSlots - 1 });
    expect(after[1]).toEqual(after[0]);
    await Promise.all(boards.map((board) => board.dispose()));
  });

  it("refuses a doctor who is not an admin, a patient and another practice's staff with FORBIDDEN", async () => {
    const practice = await createPractice(server);
    const other = await createPractice(server);
    const doctor = await joinPractice(server, practice, 'DOCTOR');
    const patient = await registerPatient(server);
    const otherStaff = await joinPractice(server, other, 'STAFF');
    for (const token of [doctor.token, patient.token, otherStaff.token]) {
      const refused = subscribe(server.wsUrl, token, PRACTICE_TODAY, { practiceId: practice.id });
      const result = await refused.next();
      expect(result.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
      await refused.dispose();
    }
  });
});
