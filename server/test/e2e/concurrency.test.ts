// Double booking is impossible in the database itself: of many concurrent requests for one slot
// exactly one wins, the others get SLOT_UNAVAILABLE (never a 500). Runs on both deployments.
import { book, futureSlot, registerDoctor, registerPatient } from '../helpers/accounts';
import { startTestServer, type Mode, type TestServer } from '../helpers/test-server';

describe.each<Mode>(['services', 'embedded'])('concurrent bookings (%s)', (mode) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(mode);
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('lets exactly one of 20 concurrent bookings of one slot succeed; 19 get SLOT_UNAVAILABLE', async () => {
    const doctor = await registerDoctor(server);
    const patients = await Promise.all(Array.from({ length: 20 }, () => registerPatient(server)));
    const startsAt = futureSlot();
    const results = await Promise.all(patients.map((patient) => book(server, patient, { doctorId: doctor.id, startsAt })));
    const codes = results.map((result) => (result.errors ? String(result.errors[0]!.extensions?.['code']) : 'OK'));
    expect(codes.filter((code) => code === 'OK')).toHaveLength(1);
    expect(codes.filter((code) => code === 'SLOT_UNAVAILABLE')).toHaveLength(19);
    const list = await server.gql<{ doctorPatients: { totalCount: number } }>(
      'query ($d: ID!) { doctorPatients(doctorId: $d) { totalCount } }',
      { d: doctor.id },
      doctor.token,
    );
    expect(list.data?.doctorPatients.totalCount).toBe(1);
  });

  it('refuses an overlapping slot but accepts one that starts when the previous ends', async () => {
    const doctor = await registerDoctor(server);
    const [first, second] = await Promise.all([registerPatient(server), registerPatient(server)]);
    const startsAt = futureSlot();
    expect((await book(server, first, { doctorId: doctor.id, startsAt, durationMinutes: 30 })).errors).toBeUndefined();
    const overlapping = await book(server, second, {
      doctorId: doctor.id,
      startsAt: new Date(startsAt.getTime() + 29 * 60_000),
      durationMinutes: 30,
    });
    expect(overlapping.errors?.[0]?.extensions?.['code']).toBe('SLOT_UNAVAILABLE');
    const adjacent = await book(server, second, { doctorId: doctor.id, startsAt: new Date(startsAt.getTime() + 30 * 60_000) });
    expect(adjacent.errors).toBeUndefined();
  });

  it('refuses a patient two doctors at the same time, even when both requests race', async () => {
    const [doctorA, doctorB] = await Promise.all([registerDoctor(server), registerDoctor(server)]);
    const patient = await registerPatient(server);
    const startsAt = futureSlot();
    const results = await Promise.all([doctorA, doctorB].map((doctor) => book(server, patient, { doctorId: doctor.id, startsAt })));
    const codes = results.map((result) => (result.errors ? String(result.errors[0]!.extensions?.['code']) : 'OK')).sort();
    expect(codes).toEqual(['OK', 'SLOT_UNAVAILABLE']);
  });

  it('returns the first appointment for a repeated idempotency key, even when the repeats race', async () => {
    const doctor = await registerDoctor(server);
    const patient = await registerPatient(server);
    const input = { doctorId: doctor.id, startsAt: futureSlot(), idempotencyKey: `key-${Date.now()}` };
    const results = await Promise.all(Array.from({ length: 5 }, () => book(server, patient, input)));
    const ids = new Set(results.map((result) => result.data?.bookAppointment.id));
    expect(results.map((result) => result.errors)).toEqual(results.map(() => undefined));
    expect(ids.size).toBe(1);
    const conflict = await book(server, patient, { ...input, reason: 'different' });
    expect(conflict.errors?.[0]?.extensions?.['code']).toBe('CONFLICT');
  });
});
