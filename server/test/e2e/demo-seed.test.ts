// The demo data obeys the clinic's rules: Dr. Chen has working hours and every demo booking falls
// inside them (seeding goes through the real booking service, so a booking outside them would fail
// the server's start). On PostgreSQL: cheaper to start than an embedded database.
import { DEMO_PASSWORD } from '../../src/features/demo/demo.seed';
import { AVAILABILITY } from '../helpers/clinic';
import { startTestServer, type TestServer } from '../helpers/test-server';

describe('the demo clinic', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer('services', { SEED_DEMO: 'true' });
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('gives Dr. Maya Chen Monday-to-Friday 09:00-17:00 London hours and books her patients inside them', async () => {
    const login = await server.gql<{ login: { token: string; user: { id: string } } }>(
      'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token user { id } } }',
      { email: 'dr.chen@careline.demo', password: DEMO_PASSWORD },
    );
    const { token, user } = login.data!.login;
    const availability = await server.gql<{
      doctorAvailability: { timeZone: string; weeklyHours: Array<{ weekday: number; startTime: string; endTime: string }> };
    }>(AVAILABILITY, { doctorId: user.id }, token);
    expect(availability.data!.doctorAvailability.timeZone).toBe('Europe/London');
    expect(availability.data!.doctorAvailability.weeklyHours).toEqual(
      [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startTime: '09:00', endTime: '17:00' })),
    );
    const list = await server.gql<{
      doctorPatients: { totalCount: number; edges: Array<{ node: { appointments: Array<{ status: string }> } }> };
    }>(
      'query ($doctorId: ID!) { doctorPatients(doctorId: $doctorId) { totalCount edges { node { appointments { status } } } } }',
      { doctorId: user.id },
      token,
    );
    expect(list.data!.doctorPatients.totalCount).toBe(3);
    expect(list.data!.doctorPatients.edges.flatMap((edge) => edge.node.appointments.map((a) => a.status))).toEqual([
      'BOOKED',
      'BOOKED',
      'BOOKED',
    ]);
  });
});
