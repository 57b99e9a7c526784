// doctorSchedule: a doctor's own day, in time order, and nobody else's.
import { book, futureSlot, registerDoctor, registerPatient } from '../helpers/accounts';
import { startTestServer, type TestServer } from '../helpers/test-server';

const SCHEDULE = /* GraphQL */ `
  query Schedule($doctorId: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {
    doctorSchedule(doctorId: $doctorId, from: $from, to: $to) {
      id
      startsAt
      endsAt
      reason
      patient {
        name
      }
    }
  }
`;

interface ScheduleData {
  doctorSchedule: Array<{ id: string; startsAt: string; endsAt: string; reason: string | null; patient: { name: string } }>;
}

const HOUR = 3_600_000;

describe('a doctor reading their schedule', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer('embedded');
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('lists the appointments overlapping the range in time order, and only those', async () => {
    const doctor = await registerDoctor(server);
    const [alice, bob] = await Promise.all([registerPatient(server), registerPatient(server)]);
    const day = futureSlot();
    const at = (hours: number) => new Date(day.getTime() + hours * HOUR).toISOString();
    const late = await book(server, alice, { doctorId: doctor.id, startsAt: at(3), reason: 'Late' });
    const early = await book(server, bob, { doctorId: doctor.id, startsAt: at(1), reason: 'Early' });
    await book(server, bob, { doctorId: doctor.id, startsAt: at(30), reason: 'Next day' });

    const result = await server.gql<ScheduleData>(SCHEDULE, { doctorId: doctor.id, from: at(0), to: at(24) }, doctor.token);

    expect(result.errors).toBeUndefined();
    expect(result.data!.doctorSchedule.map((a) => a.id)).toEqual([early.data!.bookAppointment.id, late.data!.bookAppointment.id]);
    expect(result.data!.doctorSchedule[0]).toMatchObject({ reason: 'Early', patient: { name: bob.name } });
  });

  it("refuses another doctor's schedule with FORBIDDEN, saying it is about the schedule", async () => {
    const [doctor, other] = await Promise.all([registerDoctor(server), registerDoctor(server)]);
    const from = futureSlot();
    const result = await server.gql(SCHEDULE, { doctorId: doctor.id, from, to: new Date(from.getTime() + HOUR) }, other.token);
    expect(result.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(result.errors?.[0]?.message).toBe('You can only see your own schedule.');
  });

  it('refuses a patient with FORBIDDEN and an anonymous caller with UNAUTHENTICATED', async () => {
    const doctor = await registerDoctor(server);
    const patient = await registerPatient(server);
    const from = futureSlot();
    const variables = { doctorId: doctor.id, from, to: new Date(from.getTime() + HOUR) };
    const asPatient = await server.gql(SCHEDULE, variables, patient.token);
    const anonymous = await server.gql(SCHEDULE, variables);
    expect(asPatient.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(anonymous.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });

  it('rejects a backwards or longer than 31-day range with BAD_USER_INPUT on the field "to"', async () => {
    const doctor = await registerDoctor(server);
    const from = futureSlot();
    const backwards = await server.gql(SCHEDULE, { doctorId: doctor.id, from, to: new Date(from.getTime() - HOUR) }, doctor.token);
    const tooLong = await server.gql(SCHEDULE, { doctorId: doctor.id, from, to: new Date(from.getTime() + 32 * 24 * HOUR) }, doctor.token);
    for (const result of [backwards, tooLong]) {
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    }
  });
});
