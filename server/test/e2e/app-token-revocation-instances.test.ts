// Revoking one access token (RFC 7009, or a reused refresh token ending its grant) closes the
// sockets opened with it on every instance as soon as it is announced, while the same user's other
// authorization of the same app (another grant, another session) keeps its socket and its events.
import * as oidc from 'openid-client';
import { book, futureSlot, registerPatient, type TestAccount } from '../helpers/accounts';
import { CANCEL, MY_APPOINTMENT_UPDATED } from '../helpers/clinic';
import { authorizedTokens, configuration, freePort, registerApp, type RegisteredApp } from '../helpers/oauth';
import { allowBookingWithoutHours, createPractice, joinPractice, type TestPractice } from '../helpers/practices';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { waitForPatientSubscribers } from '../helpers/wait-for';
import { closedByAnnouncement, subscribe } from '../helpers/ws-client';

jest.setTimeout(180_000);

const SCOPES = 'openid offline_access patient/Appointment.rs';

let instanceA: TestServer;
let instanceB: TestServer;
let practice: TestPractice;
let doctor: TestAccount;
let patient: TestAccount;
let app: RegisteredApp;

beforeAll(async () => {
  // One deployment: both instances share PostgreSQL, Redis and the issuer (PUBLIC_URL).
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  instanceA = await startTestServer('services', { PORT: String(port), PUBLIC_URL: publicUrl });
  instanceB = await startTestServer('services', { PUBLIC_URL: publicUrl });
  practice = await createPractice(instanceA);
  await allowBookingWithoutHours(instanceA, practice);
  doctor = await joinPractice(instanceA, practice, 'DOCTOR');
  app = await registerApp(instanceA, practice.admin, practice.id, ['openid', 'offline_access', 'patient/Appointment.rs']);
  patient = await registerPatient(instanceA);
});
afterAll(async () => {
  await Promise.all([instanceA.dispose(), instanceB.dispose()]);
});

type Update = { myAppointmentUpdated: { change: string } };

it("closes the revoked token's socket on instance B as its revocation at instance A is announced, and only that one", async () => {
  const config = await configuration(instanceA, app.clientId);
  const revokedTokens = await authorizedTokens(instanceA, config, SCOPES, patient);
  const keptTokens = await authorizedTokens(instanceA, config, SCOPES, patient);
  const revokedLive = subscribe<Update>(instanceB.wsUrl, revokedTokens.access_token, MY_APPOINTMENT_UPDATED);
  const keptLive = subscribe<Update>(instanceB.wsUrl, keptTokens.access_token, MY_APPOINTMENT_UPDATED);
  await waitForPatientSubscribers(instanceB, patient.id, 2);

  await oidc.tokenRevocation(config, revokedTokens.access_token);
  expect(await closedByAnnouncement(revokedLive)).toMatchObject({ code: 4401 });

  for (const instance of [instanceA, instanceB]) {
    expect((await instance.gql('{ me { id } }', {}, revokedTokens.access_token)).errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  }
  // The provider ends the revoked token's grant (its refresh token too), not the user's other authorization.
  await expect(oidc.refreshTokenGrant(config, revokedTokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  expect((await instanceB.gql('{ me { id } }', {}, keptTokens.access_token)).data).toEqual({ me: { id: patient.id } });

  // The other authorization's socket is still open and still receives the patient's events.
  const booked = await book(instanceA, patient, { doctorId: doctor.id, startsAt: futureSlot().toISOString() });
  expect(booked.errors).toBeUndefined();
  const cancelled = await instanceA.gql(CANCEL, { id: booked.data!.bookAppointment.id }, patient.token);
  expect(cancelled.errors).toBeUndefined();
  const event = await keptLive.next();
  expect(event.errors).toBeUndefined();
  expect(event.data?.myAppointmentUpdated.change).toBe('CANCELLED');
  await keptLive.dispose();

  // A new socket with the revoked token is refused.
  const again = subscribe(instanceB.wsUrl, revokedTokens.access_token, MY_APPOINTMENT_UPDATED);
  expect((await again.closed).code).toBe(4401);
});

it('closes the sockets of a grant ended by a reused refresh token, on the other instance, as it is announced', async () => {
  const config = await configuration(instanceA, app.clientId);
  const first = await authorizedTokens(instanceA, config, SCOPES, patient);
  const renewed = await oidc.refreshTokenGrant(config, first.refresh_token!);
  const live = subscribe<Update>(instanceB.wsUrl, renewed.access_token, MY_APPOINTMENT_UPDATED);
  await waitForPatientSubscribers(instanceB, patient.id, 1);

  await expect(oidc.refreshTokenGrant(config, first.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  expect(await closedByAnnouncement(live)).toMatchObject({ code: 4401 });
  expect((await instanceB.gql('{ me { id } }', {}, renewed.access_token)).errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
});
