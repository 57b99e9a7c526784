// A practice admin edits and deletes a registered app: updateApp renames it and changes its
// redirect URIs and scopes (authorizations holding a scope taken away end), deleteApp ends every
// authorization (tokens refused, sockets closed on the other instance too) and removes the app.
import * as oidc from 'openid-client';
import { registerPatient, type TestAccount } from '../helpers/accounts';
import { MY_APPOINTMENT_UPDATED } from '../helpers/clinic';
import { authorizedTokens, configuration, freePort, REDIRECT_URI, registerApp, type RegisteredApp } from '../helpers/oauth';
import { createPractice, joinPractice, type TestPractice } from '../helpers/practices';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { waitForPatientSubscribers } from '../helpers/wait-for';
import { closedByAnnouncement, subscribe } from '../helpers/ws-client';

jest.setTimeout(180_000);

const UPDATE_APP = 'mutation ($input: UpdateAppInput!) { updateApp(input: $input) { id name redirectUris scopes clientSecret } }';
const DELETE_APP = 'mutation ($id: ID!) { deleteApp(appId: $id) }';
const PRACTICE_APPS = 'query ($id: ID!) { practiceApps(practiceId: $id) { id name } }';

let instanceA: TestServer;
let instanceB: TestServer;
let practice: TestPractice;
let patient: TestAccount;

beforeAll(async () => {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  instanceA = await startTestServer('services', { PORT: String(port), PUBLIC_URL: publicUrl });
  instanceB = await startTestServer('services', { PUBLIC_URL: publicUrl });
  practice = await createPractice(instanceA);
  patient = await registerPatient(instanceA);
});
afterAll(async () => {
  await Promise.all([instanceA.dispose(), instanceB.dispose()]);
});

const codeOf = (result: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> | undefined }) =>
  result.errors?.[0]?.extensions?.['code'];

it('lets only the practice admin edit an app, and ends the authorizations that hold a scope taken away', async () => {
  const app: RegisteredApp = await registerApp(instanceA, practice.admin, practice.id, ['openid', 'patient/Appointment.rs']);
  const config = await configuration(instanceA, app.clientId);
  const wide = await authorizedTokens(instanceA, config, 'openid patient/Appointment.rs', patient);
  const narrow = await authorizedTokens(instanceA, config, 'openid', patient);

  // Not the admin (a doctor of the practice), and never an app's token.
  const doctor = await joinPractice(instanceA, practice, 'DOCTOR');
  const input = { appId: app.id, name: 'Renamed Scheduler', redirectUris: [REDIRECT_URI, 'https://app.example/cb'], scopes: ['openid'] };
  expect(codeOf(await instanceA.gql(UPDATE_APP, { input }, doctor.token))).toBe('FORBIDDEN');
  expect(codeOf(await instanceA.gql(UPDATE_APP, { input }, wide.access_token))).toBe('FORBIDDEN');
  expect(codeOf(await instanceA.gql(UPDATE_APP, { input: { ...input, scopes: ['patient/Everything.rs'] } }, practice.admin.token))).toBe(
    'BAD_USER_INPUT',
  );

  const updated = await instanceA.gql<{ updateApp: Record<string, unknown> }>(UPDATE_APP, { input }, practice.admin.token);
  expect(updated.errors).toBeUndefined();
  expect(updated.data!.updateApp).toEqual({
    id: app.id,
    name: 'Renamed Scheduler',
    redirectUris: [REDIRECT_URI, 'https://app.example/cb'],
    scopes: ['openid'],
    clientSecret: null,
  });
  // patient/Appointment.rs was taken away: the authorization holding it ended; the other goes on.
  expect(codeOf(await instanceB.gql('{ me { id } }', {}, wide.access_token))).toBe('UNAUTHENTICATED');
  expect((await instanceB.gql('{ me { id } }', {}, narrow.access_token)).data).toEqual({ me: { id: patient.id } });
  // A name alone changes nothing else.
  const renamed = await instanceA.gql<{ updateApp: { name: string; scopes: string[] } }>(
    UPDATE_APP,
    { input: { appId: app.id, name: 'Scheduler' } },
    practice.admin.token,
  );
  expect(renamed.data!.updateApp).toMatchObject({ name: 'Scheduler', scopes: ['openid'] });
  expect((await instanceB.gql('{ me { id } }', {}, narrow.access_token)).data).toEqual({ me: { id: patient.id } });
});

it('deletes an app: its sockets close on the other instance, its tokens are refused, and it is gone from every list', async () => {
  const app = await registerApp(instanceA, practice.admin, practice.id, ['openid', 'patient/Appointment.rs'], { name: 'Doomed App' });
  const config = await configuration(instanceA, app.clientId);
  const tokens = await authorizedTokens(instanceA, config, 'openid patient/Appointment.rs', patient, 'Doomed App');
  const live = subscribe(instanceB.wsUrl, tokens.access_token, MY_APPOINTMENT_UPDATED);
  await waitForPatientSubscribers(instanceB, patient.id);

  const doctor = await joinPractice(instanceA, practice, 'DOCTOR');
  expect(codeOf(await instanceA.gql(DELETE_APP, { id: app.id }, doctor.token))).toBe('FORBIDDEN');
  expect((await instanceA.gql(DELETE_APP, { id: app.id }, practice.admin.token)).data).toEqual({ deleteApp: true });
  expect(await closedByAnnouncement(live)).toMatchObject({ code: 4401 });

  for (const instance of [instanceA, instanceB])
    expect(codeOf(await instance.gql('{ me { id } }', {}, tokens.access_token))).toBe('UNAUTHENTICATED');
  const listed = await instanceA.gql<{ practiceApps: { id: string }[] }>(PRACTICE_APPS, { id: practice.id }, practice.admin.token);
  expect(listed.data!.practiceApps.map((entry) => entry.id)).not.toContain(app.id);
  const mine = await instanceA.gql<{ myAuthorizedApps: { appId: string }[] }>('{ myAuthorizedApps { appId } }', {}, patient.token);
  expect(mine.data!.myAuthorizedApps.map((entry) => entry.appId)).not.toContain(app.id);
  // Deleting it again finds nothing; the client is unknown to the provider from now on.
  expect((await instanceA.gql(DELETE_APP, { id: app.id }, practice.admin.token)).data).toEqual({ deleteApp: false });
  await expect(oidc.refreshTokenGrant(config, tokens.refresh_token ?? 'none')).rejects.toBeDefined();
  const authorization = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope: 'openid',
    code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
    code_challenge_method: 'S256',
  });
  const refused = await fetch(authorization, { redirect: 'manual' });
  expect(refused.status).toBe(400);
  expect(await refused.text()).toContain('invalid_client');
});
