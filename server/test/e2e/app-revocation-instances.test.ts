// Revoking an app reaches every instance as soon as it is announced: the app's socket on instance B closes
// when its user revokes the app through instance A, and its token is then refused everywhere.
import { registerDoctor, registerPatient, type TestAccount } from '../helpers/accounts';
import { MY_APPOINTMENT_UPDATED } from '../helpers/clinic';
import { authorizedTokens, configuration, freePort, registerApp, type RegisteredApp } from '../helpers/oauth';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { waitForPatientSubscribers } from '../helpers/wait-for';
import { closedByAnnouncement, subscribe } from '../helpers/ws-client';

jest.setTimeout(180_000);

let instanceA: TestServer;
let instanceB: TestServer;
let patient: TestAccount;
let app: RegisteredApp;

beforeAll(async () => {
  // One deployment: both instances share PostgreSQL, Redis and the issuer (PUBLIC_URL).
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  instanceA = await startTestServer('services', { PORT: String(port), PUBLIC_URL: publicUrl });
  instanceB = await startTestServer('services', { PUBLIC_URL: publicUrl });
  const doctor = await registerDoctor(instanceA);
  const me = await instanceA.gql<{ me: { doctor: { practice: { id: string } } } }>(
    '{ me { doctor { practice { id } } } }',
    {},
    doctor.token,
  );
  app = await registerApp(instanceA, doctor, me.data!.me.doctor.practice.id, ['openid', 'patient/Appointment.rs']);
  patient = await registerPatient(instanceA);
});
afterAll(async () => {
  await Promise.all([instanceA.dispose(), instanceB.dispose()]);
});

it("closes the app's socket on instance B as revokeAppAuthorization on instance A is announced, then refuses its token", async () => {
  const tokens = await authorizedTokens(instanceA, await configuration(instanceA, app.clientId), 'openid patient/Appointment.rs', patient);
  const token = tokens.access_token;
  const live = subscribe<{ myAppointmentUpdated: { cursor: string } }>(instanceB.wsUrl, token, MY_APPOINTMENT_UPDATED);
  await waitForPatientSubscribers(instanceB, patient.id);
  expect((await instanceB.gql('{ me { id } }', {}, token)).data).toEqual({ me: { id: patient.id } });

  const revoked = await instanceA.gql('mutation ($id: ID!) { revokeAppAuthorization(appId: $id) }', { id: app.id }, patient.token);
  expect(revoked.data).toEqual({ revokeAppAuthorization: true });
  expect(await closedByAnnouncement(live)).toMatchObject({ code: 4401 });

  for (const instance of [instanceA, instanceB]) {
    expect((await instance.gql('{ me { id } }', {}, token)).errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    const fhir = await fetch(`${instance.url}/fhir/R4/Appointment`, { headers: { authorization: `Bearer ${token}` } });
    expect(fhir.status).toBe(401);
  }
  // A new socket with the revoked token is refused as well.
  const again = subscribe(instanceB.wsUrl, token, MY_APPOINTMENT_UPDATED);
  expect((await again.closed).code).toBe(4401);
});
