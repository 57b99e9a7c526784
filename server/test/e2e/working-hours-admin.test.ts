// Issue 25: a practice's admins keep its doctors' working hours (the doctor may too), nobody else;
// and a doctor without hours is offered for booking only when the practice allows it
// (Practice.bookableWithoutHours, off by default): no free slots, and Doctor.bookable false.
import { registerPatient, type TestAccount } from '../helpers/accounts';
import { ADD_DAY_OFF, REMOVE_DAY_OFF, SET_HOURS, SLOTS } from '../helpers/clinic';
import { daysFromNow, isoDate } from '../helpers/calendar';
import { createPractice, joinPractice, type TestPractice } from '../helpers/practices';
import { startTestServer, type TestServer } from '../helpers/test-server';

const ALLOW =
  'mutation ($p: ID!, $allowed: Boolean!) { setPracticeBookableWithoutHours(practiceId: $p, allowed: $allowed) { id bookableWithoutHours } }';
const BOOKABLE = 'query ($p: ID!) { practice(id: $p) { bookableWithoutHours doctors { id bookable } } }';
const WEEK = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startTime: '08:00', endTime: '18:00' }));

let server: TestServer;
let practice: TestPractice;
let other: TestPractice;
let doctor: TestAccount;
let staff: TestAccount;
let patient: TestAccount;

beforeAll(async () => {
  server = await startTestServer('services');
  [practice, other] = [await createPractice(server), await createPractice(server)];
  doctor = await joinPractice(server, practice, 'DOCTOR');
  staff = await joinPractice(server, practice, 'STAFF');
  patient = await registerPatient(server);
});
afterAll(async () => {
  await server?.dispose();
});

const codeOf = (result: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) =>
  result.errors?.[0]?.extensions?.['code'] ?? 'OK';

it("lets an admin of the doctor's practice set their hours and days off; another practice's admin and non-admin staff are FORBIDDEN", async () => {
  const day = isoDate(daysFromNow(20));
  const byAdmin = await server.gql<{ setWorkingHours: { weeklyHours: unknown[] } }>(
    SET_HOURS,
    { doctorId: doctor.id, hours: WEEK },
    practice.admin.token,
  );
  expect(codeOf(byAdmin)).toBe('OK');
  expect(byAdmin.data?.setWorkingHours.weeklyHours).toHaveLength(7);
  expect(codeOf(await server.gql(ADD_DAY_OFF, { doctorId: doctor.id, date: day }, practice.admin.token))).toBe('OK');
  expect(codeOf(await server.gql(REMOVE_DAY_OFF, { doctorId: doctor.id, date: day }, practice.admin.token))).toBe('OK');

  for (const token of [other.admin.token, staff.token, patient.token]) {
    expect(codeOf(await server.gql(SET_HOURS, { doctorId: doctor.id, hours: [] }, token))).toBe('FORBIDDEN');
    expect(codeOf(await server.gql(ADD_DAY_OFF, { doctorId: doctor.id, date: day }, token))).toBe('FORBIDDEN');
  }
});

it('offers a doctor without hours only when the practice allows it, and only its admins change that', async () => {
  const newcomer = await joinPractice(server, practice, 'DOCTOR');
  const from = new Date(Date.now() + 86_400_000);
  const slots = async () =>
    (
      await server.gql<{ availableSlots: string[] }>(
        SLOTS,
        { doctorId: newcomer.id, from, to: new Date(from.getTime() + 86_400_000), durationMinutes: 30 },
        patient.token,
      )
    ).data?.availableSlots ?? [];
  const bookable = async () =>
    (
      await server.gql<{ practice: { doctors: Array<{ id: string; bookable: boolean }> } }>(BOOKABLE, { p: practice.id }, staff.token)
    ).data?.practice.doctors.find((d) => d.id === newcomer.id)?.bookable;

  expect(await slots()).toEqual([]);
  expect(await bookable()).toBe(false);

  expect(codeOf(await server.gql(ALLOW, { p: practice.id, allowed: true }, staff.token))).toBe('FORBIDDEN');
  expect(codeOf(await server.gql(ALLOW, { p: practice.id, allowed: true }, other.admin.token))).toBe('FORBIDDEN');
  const allowed = await server.gql<{ setPracticeBookableWithoutHours: { bookableWithoutHours: boolean } }>(
    ALLOW,
    { p: practice.id, allowed: true },
    practice.admin.token,
  );
  expect(allowed.data?.setPracticeBookableWithoutHours.bookableWithoutHours).toBe(true);
  expect((await slots()).length).toBe(48);
  expect(await bookable()).toBe(true);

  await server.gql(ALLOW, { p: practice.id, allowed: false }, practice.admin.token);
  expect(await slots()).toEqual([]);
  // Hours make the doctor bookable whatever the setting.
  await server.gql(SET_HOURS, { doctorId: newcomer.id, hours: WEEK }, newcomer.token);
  expect(await bookable()).toBe(true);
  expect((await slots()).length).toBeGreaterThan(0);
});
