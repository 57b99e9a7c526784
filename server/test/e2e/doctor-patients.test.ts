// doctorPatients loads a page with one query per level, whatever the page size (no N+1).
import { book, futureSlot, registerDoctor, registerPatient } from '../helpers/accounts';
import { startTestServer, type TestServer } from '../helpers/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer('services');
});
afterAll(async () => {
  await server.dispose();
});

it('batches appointments, vitals and doctors of a 12-patient page into one call each', async () => {
  const doctor = await registerDoctor(server);
  const patients = await Promise.all(Array.from({ length: 12 }, () => registerPatient(server)));
  for (const patient of patients) await book(server, patient, { doctorId: doctor.id, startsAt: futureSlot() });
  await server.database.prisma.vitals.create({ data: { patientId: patients[0]!.id, heartRate: 61 } });

  const appointments = jest.spyOn(server.services.appointments, 'appointmentsOfPatients');
  const vitals = jest.spyOn(server.services.vitals, 'latestVitalsOfPatients');
  const doctors = jest.spyOn(server.services.doctors, 'doctorsByIds');
  try {
    const result = await server.gql<{
      doctorPatients: { edges: Array<{ node: { id: string; latestVitals: { heartRate: number } | null } }> };
    }>(
      `query ($d: ID!) { doctorPatients(doctorId: $d, first: 50) {
         edges { node { id latestVitals { heartRate } appointments { id doctor { id name } } } } } }`,
      { d: doctor.id },
      doctor.token,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.doctorPatients.edges).toHaveLength(12);
    expect(result.data!.doctorPatients.edges.find((edge) => edge.node.id === patients[0]!.id)?.node.latestVitals).toEqual({
      heartRate: 61,
    });
    expect(appointments).toHaveBeenCalledTimes(1);
    expect(appointments.mock.calls[0]![1]).toHaveLength(12);
    expect(vitals).toHaveBeenCalledTimes(1);
    expect(doctors).toHaveBeenCalledTimes(1);
  } finally {
    jest.restoreAllMocks();
  }
});

it('shows a doctor only their appointments with a shared patient, and the patient all of theirs', async () => {
  const [doctor, otherDoctor] = await Promise.all([registerDoctor(server), registerDoctor(server)]);
  const patient = await registerPatient(server);
  await book(server, patient, { doctorId: doctor.id, startsAt: futureSlot() });
  await book(server, patient, { doctorId: otherDoctor.id, startsAt: futureSlot() });
  const query = `query ($d: ID!) { doctorPatients(doctorId: $d) { edges { node { appointments { doctor { id } } } } } }`;
  const mine = await server.gql<{ doctorPatients: { edges: Array<{ node: { appointments: Array<{ doctor: { id: string } }> } }> } }>(
    query,
    { d: doctor.id },
    doctor.token,
  );
  expect(mine.data!.doctorPatients.edges[0]!.node.appointments).toEqual([{ doctor: { id: doctor.id } }]);

  const me = await server.gql<{ me: { patient: { appointments: unknown[] } } }>(
    '{ me { patient { appointments { id } } } }',
    {},
    patient.token,
  );
  expect(me.data!.me.patient.appointments).toHaveLength(2);
});
