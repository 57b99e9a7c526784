import * as oidc from 'openid-client';
import { generate } from 'otplib';
import {
  allowBookingWithoutHours,
  book,
  futureSlot,
  registerDoctor,
  registerPatient,
  TEST_PASSWORD,
  type TestAccount,
} from '../helpers/accounts';
import { CANCEL, MY_APPOINTMENT_UPDATED, MY_VITALS_RECORDED } from '../helpers/clinic';
import { openSocket } from '../helpers/socket-operations';
import { subscribe } from '../helpers/ws-client';
import { createPractice, joinPractice } from '../helpers/practices';
import { startTestServer, type TestServer } from '../helpers/test-server';
import {
  authorize as authorizeAs,
  Browser,
  configuration as configurationOf,
  follow as followIn,
  freePort,
  REDIRECT_URI,
  REGISTER_APP,
} from '../helpers/oauth';
import { OAuthTranscript } from '../helpers/oauth-transcript';
import { waitForPatientSubscribers } from '../helpers/wait-for';

// The whole OAuth 2 / OpenID Connect flow of a third-party app, with openid-client as the
// independent client: discovery, PKCE S256, the sign-in and consent page, code exchange, GraphQL
// with the access token (within and outside its scopes), refresh rotation, revocation; and the
// refusals the RFCs name for bad requests.

let server: TestServer;
let doctor: TestAccount;
let patient: TestAccount;
let app: { id: string; clientId: string; clientSecret: string | null };
let practiceId: string;

const absolute = (location: string) => new URL(location, server.url).href;
const configuration = (clientId: string, secret?: string) => configurationOf(server, clientId, secret);
const authorize = (config: oidc.Configuration, scope: string, decision: 'allow' | 'deny' = 'allow', account: TestAccount = patient) =>
  authorizeAs(server, config, scope, account, { decision });

async function gql(token: string, query: string, variables?: Record<string, unknown>) {
  return server.gql<Record<string, unknown>>(query, variables, token);
}

beforeAll(async () => {
  const port = await freePort();
  server = await startTestServer('services', { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` });
  doctor = await registerDoctor(server);
  patient = await registerPatient(server);
  const me = await server.gql<{ me: { doctor: { practice: { id: string } } } }>('{ me { doctor { practice { id } } } }', {}, doctor.token);
  practiceId = me.data!.me.doctor.practice.id;
  const registered = await server.gql<{ registerApp: { id: string; clientId: string; clientSecret: string | null } }>(
    REGISTER_APP,
    {
      input: {
        practiceId,
        name: 'Test Scheduler',
        redirectUris: [REDIRECT_URI],
        scopes: ['openid', 'offline_access', 'patient/Appointment.rs', 'patient/Slot.rs'],
      },
    },
    doctor.token,
  );
  expect(registered.errors).toBeUndefined();
  app = registered.data!.registerApp;
  expect(app.clientSecret).toBeNull();
});

describe('third-party apps over OAuth 2 / OpenID Connect', () => {
  it('publishes discovery at the issuer with code + PKCE S256 only, revocation and introspection', async () => {
    const config = await configuration(app.clientId);
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(server.url.replace('localhost', '127.0.0.1'));
    expect(metadata.response_types_supported).toEqual(['code']);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.revocation_endpoint).toBeDefined();
    expect(metadata.introspection_endpoint).toBeDefined();
    const smart = (await (await fetch(`${server.url}/.well-known/smart-configuration`)).json()) as Record<string, unknown>;
    expect(smart['code_challenge_methods_supported']).toEqual(['S256']);
  });

  it('signs in on the consent page, exchanges the code, calls GraphQL within its scopes, rotates and revokes', async () => {
    const config = await configuration(app.clientId);
    const { callback, verifier, state } = await authorize(config, 'openid offline_access patient/Appointment.rs');
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    expect(tokens.access_token).toBeTruthy();
    expect(tokens.refresh_token).toBeTruthy();
    expect(tokens.claims()?.sub).toBe(patient.id);

    // Within its scopes: me (openid) and the patient's appointments (patient/Appointment.rs).
    const allowed = await gql(tokens.access_token, '{ me { id patient { appointments { id } } } }');
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data).toEqual({ me: { id: patient.id, patient: { appointments: [] } } });
    // Outside them: booking (patient/Appointment.cu not granted), and the user's own business.
    const booking = await gql(tokens.access_token, 'mutation ($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }', {
      input: { doctorId: doctor.id, startsAt: new Date(Date.now() + 86_400_000).toISOString() },
    });
    expect(booking.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const sessions = await gql(tokens.access_token, '{ mySessions { id } }');
    expect(sessions.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    // FHIR: Patient needs user/Patient.rs, which this app was not given (fhir-smart.test.ts has the rest).
    const fhir = await fetch(`${server.url}/fhir/R4/Patient/${patient.id}`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(fhir.status).toBe(403);
    expect(await fhir.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'forbidden' }] });
    const apps = await gql(patient.token, '{ myAuthorizedApps { appId name practiceName scopes } }');
    expect(apps.data).toEqual({
      myAuthorizedApps: [
        expect.objectContaining({ appId: app.id, name: 'Test Scheduler', scopes: ['openid', 'offline_access', 'patient/Appointment.rs'] }),
      ],
    });

    // Refresh rotation: the new refresh token works, the used one is refused (and ends the grant).
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });

    // A new authorization, then the user revokes the app: its token stops at once.
    const second = await authorize(config, 'openid patient/Appointment.rs');
    const secondTokens = await oidc.authorizationCodeGrant(config, second.callback, {
      pkceCodeVerifier: second.verifier,
      expectedState: second.state,
    });
    expect((await gql(secondTokens.access_token, '{ me { id } }')).data).toEqual({ me: { id: patient.id } });
    await oidc.tokenRevocation(config, secondTokens.access_token);
    const afterRevocation = await gql(secondTokens.access_token, '{ me { id } }');
    expect(afterRevocation.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');

    const third = await authorize(config, 'openid patient/Appointment.rs');
    const thirdTokens = await oidc.authorizationCodeGrant(config, third.callback, {
      pkceCodeVerifier: third.verifier,
      expectedState: third.state,
    });
    const revoked = await gql(patient.token, 'mutation ($id: ID!) { revokeAppAuthorization(appId: $id) }', { id: app.id });
    expect(revoked.data).toEqual({ revokeAppAuthorization: true });
    expect((await gql(thirdTokens.access_token, '{ me { id } }')).errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });

  it('asks an account with two-step verification for its code on the consent page before the app gets a code', async () => {
    const careful = await registerPatient(server);
    const started = await server.gql<{ startMfaEnrollment: { secret: string; recoveryCodes: string[] } }>(
      'mutation { startMfaEnrollment { secret recoveryCodes } }',
      {},
      careful.token,
    );
    const { secret, recoveryCodes } = started.data!.startMfaEnrollment;
    const code = await generate({ secret, epoch: Math.floor(Date.now() / 1000) });
    expect(
      (await server.gql('mutation ($c: String!) { confirmMfaEnrollment(code: $c) }', { c: code }, careful.token)).errors,
    ).toBeUndefined();

    const config = await configuration(app.clientId);
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const browser = new Browser();
    const page = await followIn(server, browser, await browser.fetch(url.href));
    if (page instanceof URL) throw new Error('no consent page');
    const action = absolute(/<form method="post" action="([^"]+)"/.exec(await page.text())![1]!);
    const post = (fields: Record<string, string>) =>
      browser.fetch(action, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email: careful.email, password: TEST_PASSWORD, decision: 'allow', ...fields }).toString(),
      });
    const withoutCode = await post({ otp: '' });
    expect(withoutCode.status).toBe(401);
    const html = await withoutCode.text();
    expect(html).toContain('role="alert"');
    expect(html).toMatch(/<input id="otp"[^>]* required>/);
    const withCode = await followIn(server, browser, await post({ otp: recoveryCodes[0]! }));
    if (!(withCode instanceof URL)) throw new Error(`no redirect: ${withCode.status}`);
    expect(withCode.searchParams.get('code')).toBeTruthy();
  });

  it('returns access_denied to the app when the user denies', async () => {
    const config = await configuration(app.clientId);
    const { callback } = await authorize(config, 'openid patient/Appointment.rs', 'deny');
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('code')).toBeNull();
  });

  it('refuses a reused code and a wrong verifier with invalid_grant', async () => {
    const config = await configuration(app.clientId);
    const first = await authorize(config, 'openid patient/Appointment.rs');
    await expect(
      oidc.authorizationCodeGrant(config, first.callback, { pkceCodeVerifier: oidc.randomPKCECodeVerifier(), expectedState: first.state }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
    const second = await authorize(config, 'openid patient/Appointment.rs');
    const issued = await oidc.authorizationCodeGrant(config, second.callback, {
      pkceCodeVerifier: second.verifier,
      expectedState: second.state,
    });
    expect((await gql(issued.access_token, '{ me { id } }')).data).toEqual({ me: { id: patient.id } });
    await expect(
      oidc.authorizationCodeGrant(config, second.callback, { pkceCodeVerifier: second.verifier, expectedState: second.state }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
    // A reused code may mean it was stolen: the tokens issued with it are revoked too.
    expect((await gql(issued.access_token, '{ me { id } }')).errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });

  it('records the flow with every token, code, verifier and password redacted (written to OAUTH_TRANSCRIPT when set)', async () => {
    const transcript = new OAuthTranscript(server.url);
    transcript.step('Discovery (openid-client)');
    const config = await oidc.discovery(new URL(server.url), app.clientId, undefined, oidc.None(), {
      execute: [oidc.allowInsecureRequests],
      [oidc.customFetch]: transcript.fetch,
    });
    transcript.step('SMART configuration');
    await transcript.fetch(`${server.url}/fhir/R4/.well-known/smart-configuration`);
    transcript.step("Authorization request with PKCE S256, sign-in and consent (the user's browser)");
    const scope = 'openid offline_access patient/Appointment.rs';
    const { callback, verifier, state } = await authorizeAs(server, config, scope, patient, { fetch: transcript.fetch });
    transcript.step('Code exchange (authorization_code + code_verifier)');
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    transcript.step('GraphQL and FHIR with the access token');
    const bearer = { authorization: `Bearer ${tokens.access_token}` };
    const me = await transcript.fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer },
      body: JSON.stringify({ query: '{ me { id patient { appointments { id } } } }' }),
    });
    expect(me.status).toBe(200);
    await transcript.fetch(`${server.url}/fhir/R4/Appointment`, { headers: bearer });
    transcript.step('Refresh (the refresh token rotates)');
    const renewed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    transcript.step('Introspection (RFC 7662)');
    expect(await oidc.tokenIntrospection(config, renewed.access_token)).toMatchObject({ active: true, sub: patient.id });
    transcript.step('Revocation (RFC 7009), then introspection again');
    await oidc.tokenRevocation(config, renewed.access_token);
    expect(await oidc.tokenIntrospection(config, renewed.access_token)).toMatchObject({ active: false });
    transcript.step('The spent refresh token presented again');
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });

    const text = transcript.toMarkdown('OAuth flow transcript', 'Recorded by server/test/e2e/oauth-flow.test.ts.');
    const code = callback.searchParams.get('code');
    const secrets = [tokens.access_token, tokens.refresh_token, tokens.id_token, renewed.access_token, renewed.refresh_token];
    for (const secret of [...secrets, verifier, state, code, TEST_PASSWORD]) {
      expect(secret).toBeTruthy();
      expect(text).not.toContain(secret!);
    }
    expect(text).toContain('grant_type=authorization_code');
    expect(text).toContain('code_challenge_method=S256');
    expect(text).toContain('"active": false');
    const path = process.env['OAUTH_TRANSCRIPT'];
    if (path)
      transcript.write(
        path,
        'OAuth 2 / OpenID Connect flow of a third-party app: a recorded run',
        [
          'Every request and response of one run of `server/test/e2e/oauth-flow.test.ts` (`OAUTH_TRANSCRIPT=<file> npm run -w server test -- --runInBand test/e2e/oauth-flow.test.ts`),',
          'driven by `openid-client` and a test browser on loopback. Tokens, codes, the PKCE verifier, `state`, the password,',
          'cookies and interaction ids are replaced by `[redacted]`; HTML pages are shown by their heading and size. See [apps.md](apps.md).',
        ].join('\n'),
      );
  });

  it('answers introspection for an active token and for a revoked one', async () => {
    const config = await configuration(app.clientId);
    const { callback, verifier, state } = await authorize(config, 'openid patient/Appointment.rs');
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    const active = await oidc.tokenIntrospection(config, tokens.access_token);
    expect(active).toMatchObject({ active: true, sub: patient.id, client_id: app.clientId, scope: 'openid patient/Appointment.rs' });
    await oidc.tokenRevocation(config, tokens.access_token);
    expect(await oidc.tokenIntrospection(config, tokens.access_token)).toMatchObject({ active: false });
  });

  it('accepts an app token on a socket within its scopes, refuses other subscriptions, and closes it when the user revokes the app', async () => {
    await allowBookingWithoutHours(server, doctor);
    const config = await configuration(app.clientId);
    const { callback, verifier, state } = await authorize(config, 'openid patient/Appointment.rs');
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });

    const socket = openSocket(server.wsUrl, tokens.access_token);
    const vitals = await socket.run(MY_VITALS_RECORDED);
    expect(vitals.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    await socket.dispose();

    const live = subscribe<{ myAppointmentUpdated: { appointment: { id: string } } }>(
      server.wsUrl,
      tokens.access_token,
      MY_APPOINTMENT_UPDATED,
    );
    await waitForPatientSubscribers(server, patient.id);
    const booked = await book(server, patient, { doctorId: doctor.id, startsAt: futureSlot().toISOString() });
    expect(booked.errors).toBeUndefined();
    // A booking is not an update; its cancellation is.
    const cancelled = await gql(patient.token, CANCEL, { id: booked.data!.bookAppointment.id, reason: 'Travelling' });
    expect(cancelled.errors).toBeUndefined();
    const event = await live.next({ timeoutMs: 10_000 });
    expect(event.data?.myAppointmentUpdated.appointment.id).toBe(booked.data!.bookAppointment.id);

    await gql(patient.token, 'mutation ($id: ID!) { revokeAppAuthorization(appId: $id) }', { id: app.id });
    expect((await live.closed).code).toBe(4401);
  });

  it('never redirects to an unknown client or an unregistered redirect URI, and requires PKCE S256', async () => {
    const base = `${server.url}/oauth/auth`;
    const query = (params: Record<string, string>) =>
      fetch(`${base}?${new URLSearchParams({ response_type: 'code', scope: 'openid', ...params })}`, { redirect: 'manual' });
    const challenge = await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier());

    const unknown = await query({
      client_id: 'nobody',
      redirect_uri: REDIRECT_URI,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('location')).toBeNull();
    expect(await unknown.text()).toContain('invalid_client');

    const elsewhere = await query({
      client_id: app.clientId,
      redirect_uri: 'https://attacker.example/cb',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.headers.get('location')).toBeNull();
    expect(await elsewhere.text()).toContain('invalid_redirect_uri');

    const noInteraction = await fetch(`${server.url}/oauth/interaction/unknown`, { redirect: 'manual' });
    expect(noInteraction.status).toBe(400);
    expect(await noInteraction.text()).toContain('<code>invalid_request</code>');

    const withoutPkce = await query({ client_id: app.clientId, redirect_uri: REDIRECT_URI });
    expect(new URL(withoutPkce.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');

    const plain = await query({
      client_id: app.clientId,
      redirect_uri: REDIRECT_URI,
      code_challenge: challenge,
      code_challenge_method: 'plain',
    });
    expect(new URL(plain.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
  });

  it('refuses registerApp to anyone but the practice admin, and unsafe redirect URIs or unknown scopes', async () => {
    const me = await server.gql<{ me: { doctor: { practice: { id: string } } } }>(
      '{ me { doctor { practice { id } } } }',
      {},
      doctor.token,
    );
    const practiceId = me.data!.me.doctor.practice.id;
    const input = { practiceId, name: 'X', redirectUris: ['https://app.example/cb'], scopes: ['openid'] };
    expect((await server.gql(REGISTER_APP, { input }, patient.token)).errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const http = await server.gql(REGISTER_APP, { input: { ...input, redirectUris: ['http://app.example/cb'] } }, doctor.token);
    expect(http.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    const scope = await server.gql(REGISTER_APP, { input: { ...input, scopes: ['system/*.*'] } }, doctor.token);
    expect(scope.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    const confidential = await server.gql<{ registerApp: { clientSecret: string | null } }>(
      REGISTER_APP,
      { input: { ...input, confidential: true } },
      doctor.token,
    );
    expect(confidential.data?.registerApp.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("lists a practice's apps to its admins only, newest first, never with a secret", async () => {
    const practice = await createPractice(server);
    const member = await joinPractice(server, practice, 'DOCTOR');
    const input = { practiceId: practice.id, redirectUris: ['https://app.example/cb'], scopes: ['openid'] };
    const first = await server.gql<{ registerApp: { id: string } }>(
      REGISTER_APP,
      { input: { ...input, name: 'First App' } },
      practice.admin.token,
    );
    const second = await server.gql<{ registerApp: { id: string; clientSecret: string | null } }>(
      REGISTER_APP,
      { input: { ...input, name: 'Second App', confidential: true, redirectUris: ['https://app.example/cb', 'http://127.0.0.1:9/cb'] } },
      practice.admin.token,
    );
    expect(second.data?.registerApp.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const PRACTICE_APPS =
      'query ($id: ID!) { practiceApps(practiceId: $id) { id clientId name redirectUris scopes confidential createdAt clientSecret } }';
    const listed = await server.gql<{
      practiceApps: {
        id: string;
        name: string;
        redirectUris: string[];
        confidential: boolean;
        createdAt: string;
        clientSecret: string | null;
      }[];
    }>(PRACTICE_APPS, { id: practice.id }, practice.admin.token);
    expect(listed.errors).toBeUndefined();
    const apps = listed.data!.practiceApps;
    expect(apps.map((app) => app.id)).toEqual([second.data!.registerApp.id, first.data!.registerApp.id]);
    expect(apps.map((app) => [app.name, app.confidential])).toEqual([
      ['Second App', true],
      ['First App', false],
    ]);
    expect(apps[0]!.redirectUris).toEqual(['https://app.example/cb', 'http://127.0.0.1:9/cb']);
    expect(apps.every((app) => app.clientSecret === null && !Number.isNaN(Date.parse(app.createdAt)))).toBe(true);
    expect(JSON.stringify(listed.data)).not.toContain(second.data!.registerApp.clientSecret!);
    // A member who is not an admin, and another practice's admin: FORBIDDEN, nothing listed.
    for (const token of [member.token, doctor.token]) {
      const refused = await server.gql(PRACTICE_APPS, { id: practice.id }, token);
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
      expect(refused.data?.['practiceApps']).toBeUndefined();
    }
  });

  it("lists registering, allowing and revoking the app among its practice's security events", async () => {
    const events = await server.gql<{ practiceSecurityEvents: { action: string; outcome: string }[] }>(
      'query ($id: ID!) { practiceSecurityEvents(practiceId: $id, first: 200) { action outcome } }',
      { id: practiceId },
      doctor.token,
    );
    const actions = new Set(events.data!.practiceSecurityEvents.map((event) => event.action));
    for (const action of ['security.appRegistered', 'security.appAuthorized', 'security.appAuthorizationRevoked']) {
      expect(actions.has(action)).toBe(true);
    }
  });

  it('shares its keys and tokens with a second instance of the deployment, which makes no key of its own', async () => {
    const config = await configuration(app.clientId);
    const { callback, verifier, state } = await authorize(config, 'openid patient/Appointment.rs');
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    const other = await startTestServer('services', { PUBLIC_URL: server.url });
    try {
      const keysOf = async (url: string) => ((await (await fetch(`${url}/oauth/jwks`)).json()) as { keys: { kid: string }[] }).keys;
      expect(await keysOf(other.url)).toEqual(await keysOf(server.url));
      expect((await other.gql('{ me { id } }', {}, tokens.access_token)).data).toEqual({ me: { id: patient.id } });
    } finally {
      await other.dispose();
    }
  });

  it("ends a removed member's app tokens with the member's sessions", async () => {
    const practice = await createPractice(server);
    const member = await joinPractice(server, practice, 'DOCTOR');
    const registered = await server.gql<{ registerApp: { clientId: string } }>(
      REGISTER_APP,
      {
        input: {
          practiceId: practice.id,
          name: 'Test Scheduler',
          redirectUris: [REDIRECT_URI],
          scopes: ['openid', 'patient/Appointment.rs', 'user/Appointment.rs'],
        },
      },
      practice.admin.token,
    );
    const config = await configuration(registered.data!.registerApp.clientId);
    const { callback, verifier, state } = await authorize(config, 'openid user/Appointment.rs', 'allow', member);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    expect((await gql(tokens.access_token, '{ me { id } }')).data).toEqual({ me: { id: member.id } });
    const removed = await server.gql(
      'mutation ($p: ID!, $u: ID!) { removeMember(practiceId: $p, userId: $u) }',
      { p: practice.id, u: member.id },
      practice.admin.token,
    );
    expect(removed.errors).toBeUndefined();
    expect((await gql(tokens.access_token, '{ me { id } }')).errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });
});
