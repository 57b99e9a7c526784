// SMART on FHIR: the configuration at the issuer and under /fhir/R4, the CapabilityStatement's
// security, and an app's token on /fhir/R4 limited to its SMART v2 scopes and, for patient/ scopes,
// to its own patient; every token got through a real authorization-code flow with openid-client.
import type { Appointment, Bundle, CapabilityStatement, OperationOutcome } from '@medplum/fhirtypes';
import { book, futureSlot, registerPatient, type TestAccount } from '../helpers/accounts';
import { expectValid, loadR4Definitions } from '../helpers/fhir';
import { authorizedTokens, configuration, freePort, registerApp, type RegisteredApp } from '../helpers/oauth';
import { allowBookingWithoutHours, createPractice, joinPractice, type TestPractice } from '../helpers/practices';
import { startTestServer, type TestServer } from '../helpers/test-server';

jest.setTimeout(180_000);

const ALL_SCOPES = [
  'openid',
  'fhirUser',
  'launch/patient',
  'patient/Appointment.rs',
  'patient/Appointment.cu',
  'patient/Observation.rs',
  'patient/Slot.rs',
  'user/Appointment.rs',
  'user/Patient.rs',
];

let server: TestServer;
let practice: TestPractice;
let doctor: TestAccount;
let patient: TestAccount;
let other: TestAccount;
let app: RegisteredApp;
let othersAppointmentId: string;

beforeAll(async () => {
  loadR4Definitions();
  const port = await freePort();
  server = await startTestServer('services', { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` });
  practice = await createPractice(server);
  await allowBookingWithoutHours(server, practice);
  doctor = await joinPractice(server, practice, 'DOCTOR');
  patient = await registerPatient(server);
  other = await registerPatient(server);
  app = await registerApp(server, practice.admin, practice.id, ALL_SCOPES);
  const booked = await book(server, other, { doctorId: doctor.id, startsAt: futureSlot().toISOString() });
  if (!booked.data) throw new Error(JSON.stringify(booked.errors));
  othersAppointmentId = booked.data.bookAppointment.id;
});
afterAll(async () => {
  await server.dispose();
});

async function tokenFor(account: TestAccount, scope: string) {
  return authorizedTokens(server, await configuration(server, app.clientId), scope, account);
}

async function fhir(token: string, path: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${server.url}/fhir/R4/${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json', ...(init.headers ?? {}) },
  });
  return { status: response.status, body: await response.json() };
}

/** A refusal as "<status> <issue code>: <diagnostics>", the OperationOutcome validated. */
function refusal(answer: { status: number; body: unknown }): string {
  const outcome = answer.body as OperationOutcome;
  expect(outcome.resourceType).toBe('OperationOutcome');
  expectValid(outcome);
  return `${answer.status} ${outcome.issue[0]?.code}: ${outcome.issue[0]?.diagnostics}`;
}

const findBody = (doctorId: string) => ({
  resourceType: 'Parameters',
  parameter: [
    { name: 'start', valueDateTime: futureSlot(700).toISOString() },
    { name: 'end', valueDateTime: new Date(futureSlot(700).getTime() + 4 * 3600_000).toISOString() },
    { name: 'practitioner', valueReference: { reference: `Practitioner/${doctorId}` } },
  ],
});

const bookBody = (patientId: string | undefined, start: Date) => ({
  resourceType: 'Parameters',
  parameter: [
    {
      name: 'appointment',
      resource: {
        resourceType: 'Appointment',
        status: 'proposed',
        start: start.toISOString(),
        end: new Date(start.getTime() + 30 * 60_000).toISOString(),
        participant: [
          { actor: { reference: `Practitioner/${doctor.id}` }, status: 'needs-action' },
          ...(patientId ? [{ actor: { reference: `Patient/${patientId}` }, status: 'needs-action' }] : []),
        ],
      },
    },
  ],
});

describe('SMART on FHIR', () => {
  it('publishes the SMART configuration at the issuer and under /fhir/R4, and names it in the CapabilityStatement', async () => {
    for (const path of ['/.well-known/smart-configuration', '/fhir/R4/.well-known/smart-configuration']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status).toBe(200);
      const smart = (await response.json()) as Record<string, unknown>;
      expect(smart).toMatchObject({
        authorization_endpoint: `${server.url}/oauth/auth`,
        token_endpoint: `${server.url}/oauth/token`,
        code_challenge_methods_supported: ['S256'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
      });
      expect(smart['scopes_supported']).toEqual(expect.arrayContaining(ALL_SCOPES));
      expect(smart['capabilities']).toEqual(
        expect.arrayContaining([
          'launch-standalone',
          'client-public',
          'client-confidential-symmetric',
          'context-standalone-patient',
          'permission-v2',
          'permission-patient',
          'permission-user',
          'sso-openid-connect',
        ]),
      );
    }
    const metadata = (await (await fetch(`${server.url}/fhir/R4/metadata`)).json()) as CapabilityStatement;
    expectValid(metadata);
    const security = metadata.rest?.[0]?.security;
    expect(security?.service?.[0]?.coding?.[0]).toEqual({
      system: 'http://terminology.hl7.org/CodeSystem/restful-security-service',
      code: 'SMART-on-FHIR',
    });
    const uris = security?.extension?.find((extension) => extension.url.endsWith('/oauth-uris'))?.extension;
    expect(Object.fromEntries((uris ?? []).map((uri) => [uri.url, uri.valueUri]))).toEqual({
      authorize: `${server.url}/oauth/auth`,
      token: `${server.url}/oauth/token`,
      revoke: `${server.url}/oauth/token/revocation`,
      introspect: `${server.url}/oauth/token/introspection`,
    });
  });

  it("lets a patient's app read its patient's appointments and free times, and names the scope it lacks for the rest", async () => {
    const tokens = await tokenFor(patient, 'openid launch/patient patient/Appointment.rs patient/Slot.rs');
    // The standalone patient launch: the token response names the patient.
    expect(tokens['patient']).toBe(patient.id);
    const token = tokens.access_token;
    const booked = await book(server, patient, { doctorId: doctor.id, startsAt: futureSlot().toISOString() });
    const appointmentId = booked.data!.bookAppointment.id;

    const search = await fhir(token, 'Appointment');
    expect(search.status).toBe(200);
    expectValid(search.body as Bundle);
    expect((search.body as Bundle).entry?.map((entry) => entry.resource?.id)).toEqual([appointmentId]);
    expect((await fhir(token, `Appointment/${appointmentId}`)).status).toBe(200);
    const found = await fhir(token, 'Appointment/$find', { method: 'POST', body: JSON.stringify(findBody(doctor.id)) });
    expect(found.status).toBe(200);
    expect(((found.body as Bundle).entry ?? []).length).toBeGreaterThan(0);

    expect(refusal(await fhir(token, 'Observation'))).toMatch(/^403 forbidden: .*patient\/Observation\.rs/);
    expect(refusal(await fhir(token, `Patient/${patient.id}`))).toMatch(/^403 forbidden: .*user\/Patient\.rs/);
    const booking = await fhir(token, 'Appointment/$book', { method: 'POST', body: JSON.stringify(bookBody(undefined, futureSlot())) });
    expect(refusal(booking)).toMatch(/^403 forbidden: .*patient\/Appointment\.cu/);
    const hold = await fhir(token, 'Appointment/$hold', { method: 'POST', body: JSON.stringify(bookBody(undefined, futureSlot())) });
    expect(refusal(hold)).toMatch(/^403 forbidden: .*patient\/Appointment\.cu/);
    const cancel = await fhir(token, `Appointment/${appointmentId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json-patch+json' },
      body: JSON.stringify([{ op: 'replace', path: '/status', value: 'cancelled' }]),
    });
    expect(refusal(cancel)).toMatch(/^403 forbidden: .*patient\/Appointment\.cu/);
  });

  it('books and cancels with patient/Appointment.cu for its own patient only', async () => {
    const token = (await tokenFor(patient, 'openid patient/Appointment.rs patient/Appointment.cu')).access_token;
    const booked = await fhir(token, 'Appointment/$book', { method: 'POST', body: JSON.stringify(bookBody(patient.id, futureSlot())) });
    expect(booked.status).toBe(200);
    const appointment = (booked.body as Bundle).entry?.[0]?.resource as Appointment;
    expect(appointment.participant.map((participant) => participant.actor?.reference)).toContain(`Patient/${patient.id}`);
    const cancel = (id: string) =>
      fhir(token, `Appointment/${id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json-patch+json' },
        body: JSON.stringify([{ op: 'replace', path: '/status', value: 'cancelled' }]),
      });
    const cancelled = await cancel(appointment.id!);
    expect(cancelled.status).toBe(200);
    expect((cancelled.body as Appointment).status).toBe('cancelled');

    // A hold for its own patient, then booked by its id.
    const held = await fhir(token, 'Appointment/$hold', { method: 'POST', body: JSON.stringify(bookBody(patient.id, futureSlot())) });
    expect(held.status).toBe(200);
    expect((held.body as Appointment).status).toBe('pending');

    // Another patient: refused (nothing booked or held for them, nothing of theirs read or cancelled).
    const forOther = await fhir(token, 'Appointment/$book', { method: 'POST', body: JSON.stringify(bookBody(other.id, futureSlot())) });
    expect(refusal(forOther)).toMatch(new RegExp(`^403 forbidden: .*Patient/${patient.id}`));
    const holdForOther = await fhir(token, 'Appointment/$hold', { method: 'POST', body: JSON.stringify(bookBody(other.id, futureSlot())) });
    expect(refusal(holdForOther)).toMatch(new RegExp(`^403 forbidden: .*Patient/${patient.id}`));
    expect(refusal(await fhir(token, `Appointment?patient=Patient/${other.id}`))).toMatch(/^403 forbidden/);
    expect(refusal(await fhir(token, `Appointment/${othersAppointmentId}`))).toMatch(/^(403 forbidden|404 not-found)/);
    expect(refusal(await cancel(othersAppointmentId))).toMatch(/^(403 forbidden|404 not-found)/);
    const others = await server.gql<{ me: { patient: { appointments: { id: string; status: string }[] } } }>(
      '{ me { patient { appointments { id status } } } }',
      {},
      other.token,
    );
    expect(others.data?.me.patient.appointments).toEqual([{ id: othersAppointmentId, status: 'BOOKED' }]);
  });

  it("reads vitals with patient/Observation.rs, and never another patient's", async () => {
    const token = (await tokenFor(patient, 'openid patient/Observation.rs')).access_token;
    const own = await fhir(token, 'Observation');
    expect(own.status).toBe(200);
    expectValid(own.body as Bundle);
    expect(refusal(await fhir(token, `Observation?patient=Patient/${other.id}`))).toMatch(/^403 forbidden/);
  });

  it("limits a doctor's app to user/ scopes: patient/ scopes have no patient for them", async () => {
    const token = (await tokenFor(doctor, 'openid user/Appointment.rs user/Patient.rs patient/Appointment.rs')).access_token;
    const schedule = await fhir(token, `Appointment?practitioner=Practitioner/${doctor.id}`);
    expect(schedule.status).toBe(200);
    expect((schedule.body as Bundle).entry?.map((entry) => entry.resource?.id)).toContain(othersAppointmentId);
    expect((await fhir(token, `Patient/${other.id}`)).status).toBe(200);

    const patientOnly = (await tokenFor(doctor, 'openid patient/Appointment.rs')).access_token;
    expect(refusal(await fhir(patientOnly, 'Appointment'))).toMatch(/^403 forbidden: .*not a patient/);
    // The user's own rights still apply: another doctor's app token sees nothing of this doctor's patients.
    const stranger = await joinPractice(server, await createPractice(server), 'DOCTOR');
    const strangers = (await tokenFor(stranger, 'openid user/Patient.rs')).access_token;
    expect(refusal(await fhir(strangers, `Patient/${other.id}`))).toMatch(/^(403 forbidden|404 not-found)/);
  });

  it("answers an app's token the dashboard's way once revoked: 401 login", async () => {
    const token = (await tokenFor(patient, 'openid patient/Appointment.rs')).access_token;
    expect((await fhir(token, 'Appointment')).status).toBe(200);
    await server.gql('mutation ($id: ID!) { revokeAppAuthorization(appId: $id) }', { id: app.id }, patient.token);
    expect(refusal(await fhir(token, 'Appointment'))).toMatch(/^401 login/);
  });
});
