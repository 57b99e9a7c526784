// The core promise, end to end: a patient books, the doctor's open dashboard receives the booking
// over a real graphql-ws socket, and doctorPatients returns the same patient from the database.
// Runs on both deployments: embedded (PGlite + in-memory) and services (PostgreSQL + Redis).
import { book, futureSlot, registerDoctor, registerPatient, TEST_PASSWORD } from '../helpers/accounts';
import { startTestServer, type Mode, type TestServer } from '../helpers/test-server';
import { waitForDoctorSubscribers } from '../helpers/wait-for';
import { subscribe } from '../helpers/ws-client';

const PATIENT_ADDED = /* GraphQL */ `
  subscription PatientAdded($doctorId: ID!, $after: String) {
    patientAdded(doctorId: $doctorId, after: $after) {
      cursor
      doctorId
      firstVisit
      patient {
        id
        name
        appointments {
          id
          startsAt
        }
      }
      appointment {
        id
        startsAt
        endsAt
        status
        reason
        doctor {
          id
        }
        patient {
          id
        }
      }
    }
  }
`;

const DOCTOR_PATIENTS = /* GraphQL */ `
  query DoctorPatients($doctorId: ID!, $first: Int, $after: String) {
    doctorPatients(doctorId: $doctorId, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
          name
          appointments {
            id
            reason
          }
          latestVitals {
            heartRate
          }
        }
      }
    }
  }
`;

interface PatientAddedData {
  patientAdded: {
    cursor: string;
    doctorId: string;
    firstVisit: boolean;
    patient: { id: string; name: string; appointments: Array<{ id: string }> };
    appointment: {
      id: string;
      startsAt: string;
      endsAt: string;
      status: string;
      reason: string | null;
      doctor: { id: string };
      patient: { id: string };
    };
  };
}

describe.each<Mode>(['embedded', 'services'])('booking a patient onto a live dashboard (%s)', (mode) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(mode);
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('delivers the booking to the subscribed doctor and lists the patient', async () => {
    const doctor = await registerDoctor(server);
    const patient = await registerPatient(server);
    const login = await server.gql<{ login: { token: string } }>(
      'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }',
      { email: patient.email.toUpperCase(), password: TEST_PASSWORD },
    );
    const patientToken = login.data!.login.token;

    const dashboard = subscribe<PatientAddedData>(server.wsUrl, doctor.token, PATIENT_ADDED, { doctorId: doctor.id });
    await waitForDoctorSubscribers(server, doctor.id);

    const startsAt = futureSlot();
    const sentAt = performance.now();
    const booked = await book(
      server,
      { ...patient, token: patientToken },
      { doctorId: doctor.id, startsAt, reason: 'Chest pain', durationMinutes: 45 },
    );
    expect(booked.errors).toBeUndefined();
    const event = await dashboard.next({ timeoutMs: 5000 });
    const latencyMs = performance.now() - sentAt;
    console.info(`[${mode}] booking -> event latency: ${latencyMs.toFixed(1)} ms (mutation sent to event received)`);

    expect(event.errors).toBeUndefined();
    const added = event.data!.patientAdded;
    expect(added.doctorId).toBe(doctor.id);
    expect(added.firstVisit).toBe(true);
    expect(added.patient).toMatchObject({ id: patient.id, name: patient.name });
    expect(added.patient.appointments.map((a) => a.id)).toEqual([booked.data!.bookAppointment.id]);
    expect(added.appointment).toMatchObject({
      id: booked.data!.bookAppointment.id,
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 45 * 60_000).toISOString(),
      status: 'BOOKED',
      reason: 'Chest pain',
      doctor: { id: doctor.id },
      patient: { id: patient.id },
    });
    expect(typeof added.cursor).toBe('string');

    const list = await server.gql<{
      doctorPatients: { totalCount: number; edges: Array<{ node: { id: string; appointments: Array<{ reason: string }> } }> };
    }>(DOCTOR_PATIENTS, { doctorId: doctor.id }, doctor.token);
    expect(list.errors).toBeUndefined();
    expect(list.data!.doctorPatients.totalCount).toBe(1);
    expect(list.data!.doctorPatients.edges[0]!.node).toMatchObject({ id: patient.id, appointments: [{ reason: 'Chest pain' }] });
  });

  it('marks only the first booking of a patient with a doctor as a first visit, and moves them to the top', async () => {
    const doctor = await registerDoctor(server);
    const [first, second] = [await registerPatient(server), await registerPatient(server)];
    const dashboard = subscribe<PatientAddedData>(server.wsUrl, doctor.token, PATIENT_ADDED, { doctorId: doctor.id });
    await waitForDoctorSubscribers(server, doctor.id);

    await book(server, first, { doctorId: doctor.id, startsAt: futureSlot(700) });
    await book(server, second, { doctorId: doctor.id, startsAt: futureSlot(701) });
    await book(server, first, { doctorId: doctor.id, startsAt: futureSlot(702) });

    const events = [await dashboard.next(), await dashboard.next(), await dashboard.next()].map((r) => r.data!.patientAdded);
    expect(events.map((e) => [e.patient.id, e.firstVisit])).toEqual([
      [first.id, true],
      [second.id, true],
      [first.id, false],
    ]);

    const list = await server.gql<{
      doctorPatients: { totalCount: number; edges: Array<{ node: { id: string; appointments: unknown[] } }> };
    }>(DOCTOR_PATIENTS, { doctorId: doctor.id }, doctor.token);
    expect(list.data!.doctorPatients.totalCount).toBe(2);
    expect(list.data!.doctorPatients.edges.map((edge) => [edge.node.id, edge.node.appointments.length])).toEqual([
      [first.id, 2],
      [second.id, 1],
    ]);
  });

  it('pages the patient list by cursor, newest booking first', async () => {
    const doctor = await registerDoctor(server);
    const patients = [];
    for (let i = 0; i < 5; i += 1) {
      const patient = await registerPatient(server);
      await book(server, patient, { doctorId: doctor.id, startsAt: futureSlot(650 + i) });
      patients.push(patient.id);
    }
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 3; page += 1) {
      const result: Awaited<
        ReturnType<
          typeof server.gql<{
            doctorPatients: {
              totalCount: number;
              pageInfo: { hasNextPage: boolean; endCursor: string | null };
              edges: Array<{ node: { id: string } }>;
            };
          }>
        >
      > = await server.gql(DOCTOR_PATIENTS, { doctorId: doctor.id, first: 2, after }, doctor.token);
      const connection = result.data!.doctorPatients;
      expect(connection.totalCount).toBe(5);
      seen.push(...connection.edges.map((edge) => edge.node.id));
      expect(connection.pageInfo.hasNextPage).toBe(page < 2);
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual([...patients].reverse());
  });

  it('replays every event after a cursor, then continues live, none missing and none twice', async () => {
    const doctor = await registerDoctor(server);
    const patient = await registerPatient(server);
    const first = subscribe<PatientAddedData>(server.wsUrl, doctor.token, PATIENT_ADDED, { doctorId: doctor.id });
    await waitForDoctorSubscribers(server, doctor.id);
    await book(server, patient, { doctorId: doctor.id, startsAt: futureSlot(600) });
    const cursor = (await first.next()).data!.patientAdded.cursor;
    await first.dispose();

    const missed = [];
    for (let i = 0; i < 3; i += 1)
      missed.push((await book(server, patient, { doctorId: doctor.id, startsAt: futureSlot(610 + i) })).data!.bookAppointment.id);

    const resumed = subscribe<PatientAddedData>(server.wsUrl, doctor.token, PATIENT_ADDED, { doctorId: doctor.id, after: cursor });
    const replayed = [await resumed.next(), await resumed.next(), await resumed.next()].map((r) => r.data!.patientAdded.appointment.id);
    expect(replayed).toEqual(missed);
    await waitForDoctorSubscribers(server, doctor.id);
    const live = (await book(server, patient, { doctorId: doctor.id, startsAt: futureSlot(620) })).data!.bookAppointment.id;
    expect((await resumed.next()).data!.patientAdded.appointment.id).toBe(live);
    expect(resumed.pending).toBe(0);
  });
});
