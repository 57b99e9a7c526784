// Random input to every mutation, through HTTP against a real server (its own embedded database,
// so row counts are this test's alone): every answer is data or a public error code, never
// INTERNAL_SERVER_ERROR, and a refused call writes no row in any table but the audit trail (a refusal
// is recorded there on purpose: a DENIED read, a failed sign-in).
import fc from 'fast-check';
import { registerDoctor, registerPatient, type TestAccount } from '../helpers/accounts';
import { bookOrThrow, slotSeries } from '../helpers/bookings';
import { startTestServer, type TestServer } from '../helpers/test-server';

const PUBLIC_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'SLOT_UNAVAILABLE',
  'CONFLICT',
  'RATE_LIMITED',
  'CURSOR_EXPIRED',
];
const RUNS_PER_MUTATION = 25;
/** Where refusals are meant to leave a record (audit/README.md). */
const AUDIT_TABLES = ['audit_events', 'audit_chain_heads'];

let server: TestServer;
let doctor: TestAccount;
let patient: TestAccount;
let appointmentId: string;
let tables: string[];

beforeAll(async () => {
  // Limits off: the point is what the services do with the input, not the rate limiter.
  server = await startTestServer('embedded', { RATE_LIMIT_BOOKINGS_PER_MINUTE: '0', RATE_LIMIT_APPOINTMENT_CHANGES_PER_MINUTE: '0' });
  doctor = await registerDoctor(server);
  patient = await registerPatient(server);
  appointmentId = await bookOrThrow(server, patient, { doctorId: doctor.id, startsAt: slotSeries()(0) });
  // Tables as the application sees them: a partitioned table once, not each of its partitions.
  const rows = await server.database.prisma.$queryRaw<Array<{ name: string }>>`
    SELECT relname AS name FROM pg_class
    WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') AND NOT relispartition ORDER BY relname`;
  tables = rows.map((row) => row.name).filter((name) => !AUDIT_TABLES.includes(name));
}, 120_000);
afterAll(async () => {
  await server.dispose();
});

async function rowCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const [row] = await server.database.prisma.$queryRawUnsafe<Array<{ count: number }>>(`SELECT count(*)::int AS count FROM "${table}"`);
    counts[table] = row?.count ?? -1;
  }
  return counts;
}

// Building blocks: mostly hostile, sometimes plausible, so both refusals and successes happen.
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ minLength: 495, maxLength: 520 }),
  fc.constantFrom('', ' ', 'x'.repeat(10_001), 'x'.repeat(25_000), '\u0000', '😀'.repeat(300), "'; DROP TABLE users; --"),
);
const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
const dateTime = fc.oneof(
  fc.integer({ min: 1, max: 400 }).map((days) => new Date(Date.now() + days * 86_400_000).toISOString()),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  fc.constantFrom(
    '0000-01-01T00:00:00Z',
    '1899-12-31T23:59:59Z',
    '2201-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
    'tomorrow',
    '',
    '1999-02-30T10:00:00Z',
  ),
);
const integer = fc.oneof(fc.integer({ min: -10, max: 300 }), fc.integer(), fc.constantFrom(0, -1, 2 ** 31 - 1, -(2 ** 31)), fc.double());
const id = () => fc.oneof(fc.uuid(), fc.constantFrom(doctor.id, patient.id, appointmentId, 'not-an-id', ''), fc.string({ maxLength: 80 }));
const localDate = fc.oneof(
  fc.constantFrom('0000-01-01', '2199-12-31', '2201-01-01', '2026-02-30', '1899-12-31', 'monday'),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
);
const wallTime = fc.oneof(fc.constantFrom('08:00', '18:00', '24:00', '25:61', '', '9'), text);

interface Case {
  readonly name: string;
  readonly query: string;
  readonly variables: () => fc.Arbitrary<Record<string, unknown>>;
}

const cases: readonly Case[] = [
  {
    name: 'register',
    query: 'mutation ($i: RegisterInput!) { register(input: $i) { token } }',
    variables: () =>
      fc.record({
        i: fc.record({
          email: fc.oneof(fc.emailAddress(), text),
          password: text,
          name: text,
          role: fc.constantFrom('DOCTOR', 'PATIENT', 'ADMIN'),
          specialty: optional(text),
          timeZone: optional(fc.oneof(fc.constantFrom('Europe/Paris', 'Mars/Olympus'), text)),
          dateOfBirth: optional(dateTime),
        }),
      }),
  },
  {
    name: 'login',
    query: 'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
    variables: () => fc.record({ e: text, p: text }),
  },
  {
    name: 'bookAppointment',
    query: 'mutation ($i: BookAppointmentInput!) { bookAppointment(input: $i) { id } }',
    variables: () =>
      fc.record({
        i: fc.record({
          doctorId: id(),
          startsAt: dateTime,
          durationMinutes: optional(integer),
          reason: optional(text),
          idempotencyKey: optional(text),
        }),
      }),
  },
  {
    name: 'cancelAppointment',
    query: 'mutation ($id: ID!, $r: String) { cancelAppointment(id: $id, reason: $r) { id } }',
    variables: () => fc.record({ id: id(), r: optional(text) }),
  },
  {
    name: 'rescheduleAppointment',
    query: 'mutation ($id: ID!, $s: DateTimeISO!, $d: Int) { rescheduleAppointment(id: $id, startsAt: $s, durationMinutes: $d) { id } }',
    variables: () => fc.record({ id: id(), s: dateTime, d: optional(integer) }),
  },
  {
    name: 'completeAppointment',
    query: 'mutation ($id: ID!) { completeAppointment(id: $id) { id } }',
    variables: () => fc.record({ id: id() }),
  },
  {
    name: 'recordVitals',
    query: 'mutation ($p: ID!, $i: RecordVitalsInput!) { recordVitals(patientId: $p, input: $i) { id } }',
    variables: () =>
      fc.record({
        p: id(),
        i: fc.record({
          heartRate: optional(integer),
          systolic: optional(integer),
          diastolic: optional(integer),
          temperatureC: optional(fc.oneof(fc.double(), fc.constantFrom(37, 30, 45.1))),
          spo2Percent: optional(integer),
          respiratoryRate: optional(integer),
          weightKg: optional(fc.double()),
        }),
      }),
  },
  {
    name: 'addMedicalRecord',
    query: 'mutation ($p: ID!, $i: AddMedicalRecordInput!) { addMedicalRecord(patientId: $p, input: $i) { id } }',
    variables: () =>
      fc.record({
        p: id(),
        i: fc.record({
          diagnosis: text,
          notes: optional(text),
          icd10Code: optional(fc.oneof(fc.constantFrom('I10', 'E11.9'), text)),
          supersedesId: optional(id()),
        }),
      }),
  },
  {
    name: 'setWorkingHours',
    query: 'mutation ($d: ID!, $h: [WorkingHoursInput!]!) { setWorkingHours(doctorId: $d, hours: $h) { timeZone } }',
    variables: () =>
      fc.record({ d: id(), h: fc.array(fc.record({ weekday: integer, startTime: wallTime, endTime: wallTime }), { maxLength: 30 }) }),
  },
  {
    name: 'addDayOff',
    query: 'mutation ($d: ID!, $date: String!) { addDayOff(doctorId: $d, date: $date) { daysOff } }',
    variables: () => fc.record({ d: id(), date: localDate }),
  },
  {
    name: 'removeDayOff',
    query: 'mutation ($d: ID!, $date: String!) { removeDayOff(doctorId: $d, date: $date) { daysOff } }',
    variables: () => fc.record({ d: id(), date: localDate }),
  },
];

describe.each(cases)('$name with random input', ({ query, variables }) => {
  it('answers data or a public code (never INTERNAL_SERVER_ERROR), and a refusal writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        variables(),
        fc.constantFrom<'doctor' | 'patient' | 'anonymous'>('doctor', 'patient', 'anonymous'),
        async (values, as) => {
          const token = as === 'doctor' ? doctor.token : as === 'patient' ? patient.token : undefined;
          const before = await rowCounts();
          const result = await server.gql(query, values, token);
          const codes = (result.errors ?? []).map((error) => String(error.extensions?.['code']));
          for (const code of codes) expect(PUBLIC_CODES).toContain(code);
          if (codes.length > 0) expect(await rowCounts()).toEqual(before);
        },
      ),
      { numRuns: RUNS_PER_MUTATION },
    );
    // Each run counts every table twice on the embedded database; sign-ins hash with scrypt.
  }, 180_000);
});
