// practiceAnalytics through GraphQL against a real database (PostgreSQL, and embedded PGlite):
// the SQL aggregates give exactly what the reference definitions (analytics.rules.ts) compute from
// the same hand-made history, across New York's fall-back day; rights and ranges are refused with
// their codes; and nothing of a patient leaves the server.
import { randomUUID } from 'node:crypto';
import { AppointmentStatus } from '../../generated/prisma/enums';
import { wallTimeToUtc, type LocalDate } from '../../platform/time-zones';
import { registerDoctor, registerPatient, type TestAccount } from '../../../test/helpers/accounts';
import { ADD_DAY_OFF, SET_HOURS, SLOTS } from '../../../test/helpers/clinic';
import { movableClock } from '../../../test/helpers/movable-clock';
import { createPractice, joinPractice, type TestPractice } from '../../../test/helpers/practices';
import { startTestServer, type GqlResponse, type Mode, type TestServer } from '../../../test/helpers/test-server';
import type { Schedule } from '../availability/availability.rules';
import { analyticsOfHistory, type AppointmentFacts, type PeriodAnalytics } from './analytics.rules';

jest.setTimeout(180_000);

const NY = 'America/New_York';
const FIGURES = `appointments booked completed cancelled noShows lateCancelled noShowRate lateCancellationRate utilization
  medianLeadTimeDays thirdNextAvailableDays newPatientShare selfBookedShare confirmedShare medianCycleMinutes
  leadTimes { fromDays toDays booked }
  byDay { date appointments completed cancelled noShows } byDoctor { doctor { id name } appointments noShowRate utilization }`;
export const PRACTICE_ANALYTICS = `query ($practiceId: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $doctorId: ID) {
  practiceAnalytics(practiceId: $practiceId, from: $from, to: $to, doctorId: $doctorId) { ${FIGURES} previous { ${FIGURES} previous { appointments } } } }`;

interface DoctorStatsData {
  doctor: { id: string; name: string };
  appointments: number;
  noShowRate: number | null;
  utilization: number | null;
}
type FiguresData = Omit<PeriodAnalytics, 'byDoctor'> & { byDoctor: DoctorStatsData[] };
interface AnalyticsData {
  practiceAnalytics: FiguresData & { previous: (FiguresData & { previous: null }) | null };
}

const MINUTE = 60_000;
const DAY = 86_400_000;
// The fall-back day of 2026 in New York (1 November) is inside the range; today (the clock) after it.
const RANGE = { from: new Date('2026-10-28T04:00:00.000Z'), to: new Date('2026-12-10T05:00:00.000Z') };
const NOW = new Date('2026-12-04T15:00:00.000Z');
const ny = (date: LocalDate, hour: number, minute = 0) => wallTimeToUtc(date, hour * 60 + minute, NY);
const day = (month: number, dayOfMonth: number, year = 2026): LocalDate => ({ year, month, day: dayOfMonth });

const codeOf = (response: GqlResponse<unknown>) => response.errors?.[0]?.extensions?.['code'] ?? (response.data ? 'OK' : 'NO DATA');

/** Floats from SQL and from the reference may differ in the last bits. */
function rounded<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (_key, field: unknown) => (typeof field === 'number' ? Math.round(field * 1e9) / 1e9 : field)),
  ) as T;
}

/** The GraphQL answer in the reference's shape (doctors by id, byDoctor sorted by id). */
function comparable(figures: FiguresData & { previous?: unknown }): PeriodAnalytics {
  const { byDoctor, previous: _previous, ...rest } = figures;
  const sorted = [...byDoctor].sort((a, b) => a.doctor.id.localeCompare(b.doctor.id));
  return rounded({
    ...rest,
    byDoctor: sorted.map(({ doctor, ...stats }) => ({ doctorId: doctor.id, ...stats })),
  } as PeriodAnalytics);
}

describe.each<Mode>(['services', 'embedded'])('practiceAnalytics (%s)', (mode) => {
  let server: TestServer;
  let practice: TestPractice;
  let staff: TestAccount;
  let doctorA: TestAccount;
  let doctorB: TestAccount;
  let outsider: TestAccount;
  let patients: TestAccount[];
  let history: AppointmentFacts[];
  let scheduleA: Schedule;

  const ask = (token: string | undefined, variables: Record<string, unknown> = {}) =>
    server.gql<AnalyticsData>(
      PRACTICE_ANALYTICS,
      { practiceId: practice.id, from: RANGE.from.toISOString(), to: RANGE.to.toISOString(), ...variables },
      token,
    );

  beforeAll(async () => {
    server = await startTestServer(mode, {}, { clock: movableClock(NOW) });
    practice = await createPractice(server, NY);
    staff = await joinPractice(server, practice, 'STAFF');
    doctorA = await joinPractice(server, practice, 'DOCTOR');
    doctorB = await joinPractice(server, practice, 'DOCTOR');
    outsider = await registerDoctor(server, { timeZone: NY });
    patients = await Promise.all([1, 2, 3, 4].map(() => registerPatient(server)));

    // Doctor A works Monday to Friday 09:00-17:00 and is off on 11 November; doctor B has no hours.
    const hours = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startTime: '09:00', endTime: '17:00' }));
    const set = await server.gql<{ setWorkingHours: { timeZone: string } }>(SET_HOURS, { doctorId: doctorA.id, hours }, doctorA.token);
    expect(codeOf(set)).toBe('OK');
    expect(codeOf(await server.gql(ADD_DAY_OFF, { doctorId: doctorA.id, date: '2026-11-11' }, doctorA.token))).toBe('OK');
    scheduleA = {
      timeZone: set.data!.setWorkingHours.timeZone,
      intervals: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startMinute: 540, endMinute: 1020 })),
      daysOff: new Set(['2026-11-11']),
    };

    const [p1, p2, p3, p4] = patients.map((patient) => patient.id) as [string, string, string, string];
    const visit = (doctorId: string, patientId: string, startsAt: Date, more: Partial<AppointmentFacts> = {}): AppointmentFacts => ({
      id: randomUUID(),
      doctorId,
      patientId,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 30 * MINUTE),
      status: AppointmentStatus.BOOKED,
      createdAt: new Date(startsAt.getTime() - 10 * DAY),
      createdById: patientId,
      cancelledAt: null,
      checkedInAt: null,
      completedAt: null,
      confirmedAt: null,
      ...more,
    });
    const a = doctorA.id;
    const b = doctorB.id;
    const evening = ny(day(11, 1), 23, 30); // Sunday 1 November 23:30 EST: 2 November in UTC
    const walkIn = ny(day(11, 20), 14);
    history = [
      visit(a, p1, ny(day(8, 3), 10), { status: AppointmentStatus.COMPLETED }), // p1's first booking, long before
      visit(a, p1, evening, {
        status: AppointmentStatus.COMPLETED,
        checkedInAt: new Date(evening.getTime() + 5 * MINUTE),
        completedAt: new Date(evening.getTime() + 30 * MINUTE),
      }),
      // The first 01:30 of the fall-back day (EDT), booked by the desk.
      visit(a, p2, new Date('2026-11-01T05:30:00.000Z'), { status: AppointmentStatus.NO_SHOW, createdById: staff.id }),
      visit(a, p1, ny(day(11, 10), 10), { status: AppointmentStatus.CANCELLED, cancelledAt: ny(day(11, 10), 8) }), // late
      visit(a, p3, ny(day(11, 12), 10), { status: AppointmentStatus.CANCELLED, cancelledAt: ny(day(11, 9), 10) }), // early
      visit(b, p3, ny(day(11, 12), 11)), // passed, never marked
      visit(a, p3, walkIn, {
        status: AppointmentStatus.COMPLETED,
        createdAt: new Date(walkIn.getTime() - 5 * MINUTE),
        createdById: staff.id,
        checkedInAt: walkIn,
        completedAt: new Date(walkIn.getTime() + 20 * MINUTE),
      }),
      // Ahead of now, an hour, confirmed by the patient.
      visit(a, p4, ny(day(12, 8), 9), { endsAt: ny(day(12, 8), 10), createdAt: ny(day(12, 1), 12), confirmedAt: ny(day(12, 2), 9) }),
      // The previous period: [2026-09-14, 2026-10-28) in New York.
      visit(a, p2, ny(day(9, 30), 10), { status: AppointmentStatus.COMPLETED }),
      visit(b, p2, ny(day(10, 5), 10), { status: AppointmentStatus.CANCELLED, cancelledAt: ny(day(10, 5), 9) }),
    ];
    const outsiderVisit = visit(outsider.id, p4, ny(day(6, 1), 10), { createdAt: new Date('2025-11-15T12:00:00.000Z') });
    // A hold (slot held, never booked) is not an appointment: no figure may count it.
    const held = { ...visit(b, p1, ny(day(11, 16), 10)), status: AppointmentStatus.HELD, holdExpiresAt: ny(day(11, 16), 10) };
    await server.database.prisma.appointment.createMany({ data: [...history, outsiderVisit, held] });
  });

  afterAll(async () => {
    await server.dispose();
  });

  it('gives exactly the reference definitions over the same history, for the practice and the previous period', async () => {
    const response = await ask(staff.token);
    expect(codeOf(response)).toBe('OK');
    const answer = response.data!.practiceAnalytics;
    const schedules = new Map([[doctorA.id, scheduleA]]);
    const doctorIds = [doctorA.id, doctorB.id].sort();
    const third = answer.thirdNextAvailableDays;
    const expected = analyticsOfHistory({
      history,
      range: { start: RANGE.from, end: RANGE.to },
      now: NOW,
      timeZone: NY,
      doctorIds,
      schedules,
      thirdNextAvailableDays: third,
    });
    expect(comparable(answer)).toEqual(rounded(expected));
    // Spot checks of the hand-made history, so the reference cannot drift silently.
    expect(answer).toMatchObject({
      appointments: 7,
      booked: 5,
      completed: 2,
      cancelled: 2,
      noShows: 1,
      lateCancelled: 1,
    });
    expect(answer.noShowRate).toBeCloseTo(1 / 4);
    // p4's visit ahead is the one confirmed.
    expect(answer.confirmedShare).toBeCloseTo(1 / 5);
    // Only p4's visit is a first booking: their older visit was with another practice's doctor.
    expect(answer.newPatientShare).toBeCloseTo(1 / 5);
    expect(answer.selfBookedShare).toBeCloseTo(3 / 5);
    expect(answer.byDay[0]?.date).toBe('2026-10-28');
    expect(answer.byDay.at(-1)?.date).toBe('2026-12-09');
    expect(answer.byDay).toHaveLength(43);
    expect(answer.byDay.find((entry) => entry.date === '2026-11-01')).toEqual({
      date: '2026-11-01',
      appointments: 2,
      completed: 1,
      cancelled: 0,
      noShows: 1,
    });
    expect(answer.byDay.find((entry) => entry.date === '2026-11-02')?.appointments).toBe(0);

    const previousRange = { start: new Date(RANGE.from.getTime() - (RANGE.to.getTime() - RANGE.from.getTime())), end: RANGE.from };
    const expectedPrevious = analyticsOfHistory({ history, range: previousRange, now: NOW, timeZone: NY, doctorIds, schedules });
    const { previous } = answer;
    expect(previous?.previous).toBeNull();
    expect(comparable(previous!)).toEqual(rounded(expectedPrevious));
    expect(previous).toMatchObject({ appointments: 2, cancelled: 1, lateCancelled: 1, thirdNextAvailableDays: null });
  });

  it('finds the third next free 30-minute slot from the free-slot engine (doctor B, without hours, has none)', async () => {
    const response = await ask(staff.token);
    const slots = await server.gql<{ availableSlots: string[] }>(
      SLOTS,
      { doctorId: doctorA.id, from: NOW.toISOString(), to: new Date(NOW.getTime() + 31 * DAY).toISOString(), durationMinutes: 30 },
      staff.token,
    );
    const third = new Date(slots.data!.availableSlots[2]!);
    expect(response.data?.practiceAnalytics.thirdNextAvailableDays).toBeCloseTo((third.getTime() - NOW.getTime()) / DAY, 9);
  });

  it("lets a member doctor see their own figures only, and an admin the practice's", async () => {
    const own = await ask(doctorA.token, { doctorId: doctorA.id });
    expect(codeOf(own)).toBe('OK');
    expect(own.data?.practiceAnalytics.byDoctor.map((entry) => entry.doctor.id)).toEqual([doctorA.id]);
    expect(own.data?.practiceAnalytics.appointments).toBe(6);
    expect(codeOf(await ask(practice.admin.token))).toBe('OK');
    expect(codeOf(await ask(staff.token, { doctorId: doctorB.id }))).toBe('OK');
  });

  it('refuses everyone else with FORBIDDEN, anonymous callers with UNAUTHENTICATED', async () => {
    expect(codeOf(await ask(doctorA.token))).toBe('FORBIDDEN');
    expect(codeOf(await ask(doctorA.token, { doctorId: doctorB.id }))).toBe('FORBIDDEN');
    expect(codeOf(await ask(outsider.token, { doctorId: outsider.id }))).toBe('FORBIDDEN');
    expect(codeOf(await ask(patients[0]!.token))).toBe('FORBIDDEN');
    expect(codeOf(await ask(staff.token, { doctorId: outsider.id }))).toBe('FORBIDDEN');
    expect(codeOf(await ask(staff.token, { practiceId: randomUUID() }))).toBe('FORBIDDEN');
    expect(codeOf(await ask(undefined))).toBe('UNAUTHENTICATED');
  });

  it('refuses a backwards or longer-than-366-days range with BAD_USER_INPUT', async () => {
    const backwards = await ask(staff.token, { from: RANGE.to.toISOString(), to: RANGE.from.toISOString() });
    expect(codeOf(backwards)).toBe('BAD_USER_INPUT');
    const tooLong = await ask(staff.token, { to: new Date(RANGE.from.getTime() + 367 * DAY).toISOString() });
    expect(codeOf(tooLong)).toBe('BAD_USER_INPUT');
  });

  it("answers aggregates only: no patient's name or id in the answer", async () => {
    const body = JSON.stringify(await ask(staff.token));
    for (const patient of patients) {
      expect(body).not.toContain(patient.name);
      expect(body).not.toContain(patient.id);
    }
  });

  describe('GET /analytics/export.csv', () => {
    const exportCsv = (token: string | undefined, params: Record<string, string> = {}) => {
      const query = new URLSearchParams({ practiceId: practice.id, from: RANGE.from.toISOString(), to: RANGE.to.toISOString(), ...params });
      return fetch(`${server.url}/analytics/export.csv?${query.toString()}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    };
    const errorCodeOf = async (response: Response) =>
      ((await response.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]?.extensions.code;

    it("gives practiceAnalytics' byDay as text/csv with its header row", async () => {
      const response = await exportCsv(staff.token);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
      const lines = (await response.text()).trimEnd().split('\r\n');
      expect(lines[0]).toBe('date,appointments,completed,cancelled,noShows');
      const graphql = (await ask(staff.token)).data!.practiceAnalytics.byDay;
      expect(lines.slice(1)).toEqual(
        graphql.map((row) => [row.date, row.appointments, row.completed, row.cancelled, row.noShows].join(',')),
      );
      expect(lines).toContain('2026-11-01,2,1,0,1');
    });

    it("exports a member doctor's own days only", async () => {
      const own = await exportCsv(doctorA.token, { doctorId: doctorA.id });
      expect(own.status).toBe(200);
      expect(await own.text()).toContain('2026-11-12,1,0,1,0');
    });

    it('answers errors as JSON with their code: 401, 403, 400', async () => {
      const anonymous = await exportCsv(undefined);
      expect(anonymous.status).toBe(401);
      expect(await errorCodeOf(anonymous)).toBe('UNAUTHENTICATED');
      const doctor = await exportCsv(doctorA.token);
      expect(doctor.status).toBe(403);
      expect(await errorCodeOf(doctor)).toBe('FORBIDDEN');
      const patient = await exportCsv(patients[0]!.token);
      expect(patient.status).toBe(403);
      const badDate = await exportCsv(staff.token, { from: 'yesterday' });
      expect(badDate.status).toBe(400);
      expect(await errorCodeOf(badDate)).toBe('BAD_USER_INPUT');
      const backwards = await exportCsv(staff.token, { from: RANGE.to.toISOString(), to: RANGE.from.toISOString() });
      expect(backwards.status).toBe(400);
      const noPractice = await fetch(`${server.url}/analytics/export.csv?from=${RANGE.from.toISOString()}`, {
        headers: { authorization: `Bearer ${staff.token}` },
      });
      expect(noPractice.status).toBe(400);
      expect(await errorCodeOf(noPractice)).toBe('BAD_USER_INPUT');
    });
  });
});
