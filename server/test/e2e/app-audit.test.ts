// Audit rows of what a third-party app did for its user name the app beside the user: the patient's
// access log and the practice's audit read "<user> via <app>", and the hash chains still verify;
// the patient's own live stream followed through an app is audited per event, the dashboard's is not.
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { book, futureSlot, registerPatient, type TestAccount } from '../helpers/accounts';
import { authorizedTokens, configuration, freePort, registerApp, type RegisteredApp } from '../helpers/oauth';
import { allowBookingWithoutHours, createPractice, joinPractice, type TestPractice } from '../helpers/practices';
import { CANCEL, MY_APPOINTMENT_UPDATED } from '../helpers/clinic';
import { startTestServer, TEST_AUDIT_KEY, type TestServer } from '../helpers/test-server';
import { waitForPatientSubscribers } from '../helpers/wait-for';
import { subscribe } from '../helpers/ws-client';
import { verifyAuditChains } from '../../src/audit/audit-verify';

jest.setTimeout(180_000);

let server: TestServer;
let practice: TestPractice;
let doctor: TestAccount;
let patient: TestAccount;
let app: RegisteredApp;

beforeAll(async () => {
  const port = await freePort();
  server = await startTestServer('services', { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` });
  practice = await createPractice(server);
  await allowBookingWithoutHours(server, practice);
  doctor = await joinPractice(server, practice, 'DOCTOR');
  patient = await registerPatient(server);
  app = await registerApp(server, practice.admin, practice.id, ['openid', 'user/Patient.rs', 'patient/Appointment.rs']);
  const booked = await book(server, patient, { doctorId: doctor.id, startsAt: futureSlot().toISOString() });
  expect(booked.errors).toBeUndefined();
});
afterAll(async () => {
  await server.dispose();
});

type Entry = { actorName: string; actorRole: string; action: string; appName: string | null };

it('records the app beside the user, and shows "<user> via <app>" to the patient and to the practice admin', async () => {
  const config = await configuration(server, app.clientId);
  const doctorToken = (await authorizedTokens(server, config, 'openid user/Patient.rs', doctor)).access_token;
  const list = await server.gql('query ($d: ID!) { doctorPatients(doctorId: $d) { totalCount } }', { d: doctor.id }, doctorToken);
  expect(list.errors).toBeUndefined();
  const patientToken = (await authorizedTokens(server, config, 'openid patient/Appointment.rs', patient)).access_token;
  const own = await server.gql('{ me { patient { appointments { id } } } }', {}, patientToken);
  expect(own.errors).toBeUndefined();
  // The patient reading their own data in the dashboard is still not recorded.
  await server.gql('{ me { patient { appointments { id } } } }', {}, patient.token);

  const log = await server.gql<{ myAccessLog: Entry[] }>('{ myAccessLog { actorName actorRole action appName } }', {}, patient.token);
  expect(log.errors).toBeUndefined();
  expect(log.data!.myAccessLog).toEqual(
    expect.arrayContaining([
      { actorName: `${doctor.name} via Test Scheduler`, actorRole: 'DOCTOR', action: 'patients.list', appName: 'Test Scheduler' },
      { actorName: `${patient.name} via Test Scheduler`, actorRole: 'PATIENT', action: 'appointments.read', appName: 'Test Scheduler' },
    ]),
  );
  expect(log.data!.myAccessLog.filter((entry) => entry.action === 'appointments.read')).toHaveLength(1);

  const audit = await server.gql<{ practiceAuditEvents: Entry[] }>(
    'query ($p: ID!, $q: ID) { practiceAuditEvents(practiceId: $p, patientId: $q) { actorName actorRole action appName } }',
    { p: practice.id, q: patient.id },
    practice.admin.token,
  );
  expect(audit.errors).toBeUndefined();
  expect(audit.data!.practiceAuditEvents).toContainEqual({
    actorName: `${doctor.name} via Test Scheduler`,
    actorRole: 'DOCTOR',
    action: 'patients.list',
    appName: 'Test Scheduler',
  });
  // The booking made in the dashboard names no app.
  expect(audit.data!.practiceAuditEvents.find((entry) => entry.action === 'appointment.book')?.appName ?? null).toBeNull();

  const rows = await server.database.prisma.auditEvent.findMany({ where: { appId: app.id } });
  expect(rows.map((row) => row.actorUserId).sort()).toEqual([doctor.id, patient.id].sort());

  // The app is in what each row's hash covers, and every chain still verifies.
  const result = await verifyAuditChains(server.database, {
    key: TEST_AUDIT_KEY,
    checkpointFile: path.join(tmpdir(), `careline-none-${randomUUID()}.jsonl`),
    retentionSeconds: 10 * 365 * 86400,
    now: new Date(),
  });
  expect(result.firstBreak).toBeUndefined();
});

it("audits each event of the patient's own stream followed through an app, naming the app, and not the dashboard's", async () => {
  const config = await configuration(server, app.clientId);
  const token = (await authorizedTokens(server, config, 'openid patient/Appointment.rs', patient)).access_token;
  const viaApp = subscribe<{ myAppointmentUpdated: { appointment: { id: string } } }>(server.wsUrl, token, MY_APPOINTMENT_UPDATED);
  const inDashboard = subscribe<{ myAppointmentUpdated: { appointment: { id: string } } }>(
    server.wsUrl,
    patient.token,
    MY_APPOINTMENT_UPDATED,
  );
  await waitForPatientSubscribers(server, patient.id, 2);
  const booked = await book(server, patient, { doctorId: doctor.id, startsAt: futureSlot().toISOString() });
  expect(booked.errors).toBeUndefined();
  const appointmentId = booked.data!.bookAppointment.id;
  expect((await server.gql(CANCEL, { id: appointmentId }, patient.token)).errors).toBeUndefined();
  for (const live of [viaApp, inDashboard]) {
    const event = await live.next();
    expect(event.errors).toBeUndefined();
    expect(event.data?.myAppointmentUpdated.appointment.id).toBe(appointmentId);
  }
  await Promise.all([viaApp.dispose(), inDashboard.dispose()]);

  const rows = await server.database.prisma.auditEvent.findMany({ where: { action: 'event.appointmentUpdated', objectId: appointmentId } });
  expect(rows.map((row) => ({ actor: row.actorUserId, app: row.appId, patient: row.patientId }))).toEqual([
    { actor: patient.id, app: app.id, patient: patient.id },
  ]);
  const log = await server.gql<{ myAccessLog: Entry[] }>('{ myAccessLog { actorName actorRole action appName } }', {}, patient.token);
  expect(log.data!.myAccessLog).toContainEqual({
    actorName: `${patient.name} via Test Scheduler`,
    actorRole: 'PATIENT',
    action: 'event.appointmentUpdated',
    appName: 'Test Scheduler',
  });
});
