// Two-step sign-in (issue 23): TOTP enrollment, MFA_REQUIRED_ROLES over HTTP and the socket, codes
// and recovery codes accepted once, turning it off, and the security events an admin sees.
import { randomUUID } from 'node:crypto';
import { generate } from 'otplib';
import { TEST_PASSWORD } from '../helpers/accounts';
import { movableClock } from '../helpers/movable-clock';
import { createPractice, joinPractice, type TestPractice } from '../helpers/practices';
import { startTestServer, TEST_DATA_ENCRYPTION_KEY, type TestServer } from '../helpers/test-server';
import { resealSecondFactorSecrets } from '../../src/accounts/second-factor';
import { createDataCipher } from '../../src/platform/data-cipher';
import { openSocket } from '../helpers/socket-operations';

const clock = movableClock();
let server: TestServer;
let practice: TestPractice;
beforeAll(async () => {
  // Doctors must use MFA here; the practice's STAFF admin may but need not (the helpers sign it in with a password).
  server = await startTestServer('services', { MFA_REQUIRED_ROLES: 'DOCTOR', REDIS_PREFIX: `mfa-${randomUUID()}:` }, { clock });
  practice = await createPractice(server);
});
afterAll(async () => {
  await server.dispose();
});

const LOGIN = 'mutation ($e: String!, $p: String!, $o: String) { login(email: $e, password: $p, otp: $o) { token user { mfaEnabled } } }';
const START = 'mutation { startMfaEnrollment { secret otpauthUrl recoveryCodes } }';
const CONFIRM = 'mutation ($c: String!) { confirmMfaEnrollment(code: $c) }';
const DISABLE = 'mutation ($p: String!, $o: String!) { disableMfa(password: $p, otp: $o) }';
const MY_PATIENTS = 'query ($d: ID!) { doctorPatients(doctorId: $d) { totalCount } }';
type Enrollment = { secret: string; otpauthUrl: string; recoveryCodes: string[] };

/** The code an authenticator app shows now (by the server's clock), after moving past the last step used. */
async function nextCode(secret: string): Promise<string> {
  clock.advance(30_000);
  return generate({ secret, epoch: Math.floor(clock().getTime() / 1000) });
}

async function enroll(token: string): Promise<Enrollment> {
  const started = await server.gql<{ startMfaEnrollment: Enrollment }>(START, {}, token);
  expect(started.errors).toBeUndefined();
  const enrollment = started.data!.startMfaEnrollment;
  expect((await server.gql(CONFIRM, { c: await nextCode(enrollment.secret) }, token)).data).toEqual({ confirmMfaEnrollment: true });
  return enrollment;
}

function codeOf(result: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }): unknown {
  return result.errors?.[0]?.extensions?.['code'];
}

it('holds a doctor without MFA to enrolling, over HTTP and the socket, and lets the same token and socket through once enrolled', async () => {
  const doctor = await joinPractice(server, practice, 'DOCTOR');
  expect(codeOf(await server.gql(MY_PATIENTS, { d: doctor.id }, doctor.token))).toBe('MFA_REQUIRED');
  expect((await server.gql<{ me: { mfaEnabled: boolean } }>('{ me { mfaEnabled } }', {}, doctor.token)).data?.me.mfaEnabled).toBe(false);

  const socket = openSocket(server.wsUrl, doctor.token);
  const refused = await socket.run(MY_PATIENTS, { d: doctor.id });
  expect(refused.errors?.[0]?.extensions?.['code'] ?? codeOf(refused.results[0] ?? {})).toBe('MFA_REQUIRED');

  const started = await server.gql<{ startMfaEnrollment: Enrollment }>(START, {}, doctor.token);
  const enrollment = started.data!.startMfaEnrollment;
  expect(enrollment.secret).toMatch(/^[A-Z2-7]{32}$/);
  const url = new URL(enrollment.otpauthUrl);
  expect(url.protocol).toBe('otpauth:');
  expect(url.searchParams.get('secret')).toBe(enrollment.secret);
  expect(decodeURIComponent(url.pathname)).toContain(doctor.email);
  expect(enrollment.recoveryCodes).toHaveLength(10);
  expect(new Set(enrollment.recoveryCodes).size).toBe(10);

  const wrong = await server.gql(CONFIRM, { c: '000000' }, doctor.token);
  expect(codeOf(wrong)).toBe('BAD_USER_INPUT');
  expect((await server.gql(CONFIRM, { c: await nextCode(enrollment.secret) }, doctor.token)).data).toEqual({ confirmMfaEnrollment: true });

  // The same token, at once; and the socket opened before enrolling, without reconnecting.
  expect((await server.gql(MY_PATIENTS, { d: doctor.id }, doctor.token)).errors).toBeUndefined();
  const allowed = await socket.run(MY_PATIENTS, { d: doctor.id });
  expect(allowed.errors).toBeUndefined();
  expect(allowed.results[0]?.data).toEqual({ doctorPatients: { totalCount: 0 } });
  await socket.dispose();

  // Enrolling again needs turning it off first.
  expect(codeOf(await server.gql(START, {}, doctor.token))).toBe('BAD_USER_INPUT');
  // The secret is stored sealed, never in clear.
  const stored = await server.database.prisma.mfaCredential.findUniqueOrThrow({ where: { userId: doctor.id } });
  expect(stored.secretSealed).not.toContain(enrollment.secret);
}, 120_000);

it('asks for a code at sign-in once MFA is on, and accepts each code and each recovery code once', async () => {
  const doctor = await joinPractice(server, practice, 'DOCTOR');
  const { secret, recoveryCodes } = await enroll(doctor.token);
  const login = (otp?: string) =>
    server.gql<{ login: { token: string; user: { mfaEnabled: boolean } } }>(LOGIN, { e: doctor.email, p: TEST_PASSWORD, o: otp });

  expect(codeOf(await login())).toBe('MFA_REQUIRED');
  expect(codeOf(await login('123456'))).toBe('MFA_REQUIRED');
  const code = await nextCode(secret);
  const signedIn = await login(code);
  expect(signedIn.data?.login.user.mfaEnabled).toBe(true);
  expect((await server.gql(MY_PATIENTS, { d: doctor.id }, signedIn.data!.login.token)).errors).toBeUndefined();
  // The same code a second time (still inside its 30 s): refused, so an overheard code is worth nothing.
  expect(codeOf(await login(code))).toBe('MFA_REQUIRED');

  // A recovery code, typed in lower case without its dash: once.
  const recovery = recoveryCodes[0]!.replace('-', '').toLowerCase();
  expect(codeOf(await login(recovery))).toBeUndefined();
  expect(codeOf(await login(recovery))).toBe('MFA_REQUIRED');
  // A wrong password with a right code is still a wrong password.
  const withWrongPassword = await server.gql(LOGIN, { e: doctor.email, p: 'not the password at all', o: await nextCode(secret) });
  expect(codeOf(withWrongPassword)).toBe('UNAUTHENTICATED');

  const events = await server.gql<{ practiceSecurityEvents: Array<{ action: string; outcome: string; actorName: string | null }> }>(
    'query ($p: ID!) { practiceSecurityEvents(practiceId: $p, first: 200) { action outcome actorName } }',
    { p: practice.id },
    practice.admin.token,
  );
  const mine = events
    .data!.practiceSecurityEvents.filter((event) => event.actorName === doctor.name)
    .map((e) => `${e.action} ${e.outcome}`);
  expect(mine).toEqual(expect.arrayContaining(['security.mfaEnabled SUCCESS', 'security.signIn MFA_FAILED', 'security.signIn SUCCESS']));
  expect(mine.filter((line) => line === 'security.signIn MFA_FAILED')).toHaveLength(4);
}, 120_000);

it('turns MFA off only with the password and a current code, after which a password signs in again', async () => {
  const staff = await joinPractice(server, practice, 'STAFF');
  const { secret } = await enroll(staff.token);
  expect(codeOf(await server.gql(DISABLE, { p: 'not the password at all', o: await nextCode(secret) }, staff.token))).toBe(
    'BAD_USER_INPUT',
  );
  expect(codeOf(await server.gql(DISABLE, { p: TEST_PASSWORD, o: '000000' }, staff.token))).toBe('BAD_USER_INPUT');
  expect((await server.gql(DISABLE, { p: TEST_PASSWORD, o: await nextCode(secret) }, staff.token)).data).toEqual({ disableMfa: true });

  const login = await server.gql<{ login: { user: { mfaEnabled: boolean } } }>(LOGIN, { e: staff.email, p: TEST_PASSWORD });
  expect(login.errors).toBeUndefined();
  expect(login.data?.login.user.mfaEnabled).toBe(false);
  expect(await server.database.prisma.mfaRecoveryCode.count({ where: { userId: staff.id } })).toBe(0);
}, 120_000);

it('moves TOTP secrets to a new DATA_ENCRYPTION_KEY, which the new key alone then opens; one it cannot open is reported', async () => {
  // Its own embedded database: the pass re-seals every secret of the database it is given.
  const own = await startTestServer('embedded', { MFA_REQUIRED_ROLES: '' }, { clock });
  const account = await own.gql<{ register: { token: string; user: { id: string } } }>(
    'mutation ($input: RegisterInput!) { register(input: $input) { token user { id } } }',
    { input: { email: `rotate-${randomUUID().slice(0, 8)}@test.careline`, password: TEST_PASSWORD, name: 'Rosa Parks', role: 'PATIENT' } },
  );
  const token = account.data!.register.token;
  const started = await own.gql<{ startMfaEnrollment: Enrollment }>(START, {}, token);
  const { secret } = started.data!.startMfaEnrollment;
  expect((await own.gql(CONFIRM, { c: await nextCode(secret) }, token)).data).toEqual({ confirmMfaEnrollment: true });

  const oldKey = Buffer.from(TEST_DATA_ENCRYPTION_KEY, 'hex');
  const newKey = Buffer.alloc(32, 7);
  const onlyOld = await resealSecondFactorSecrets(own.database.sql, createDataCipher({ current: newKey, previous: [] }));
  expect(onlyOld).toEqual({ resealed: 0, unreadable: [account.data!.register.user.id] });
  const rotated = await resealSecondFactorSecrets(own.database.sql, createDataCipher({ current: newKey, previous: [oldKey] }));
  expect(rotated).toEqual({ resealed: 1, unreadable: [] });
  const stored = await own.database.prisma.mfaCredential.findUniqueOrThrow({ where: { userId: account.data!.register.user.id } });
  const opened = createDataCipher({ current: newKey, previous: [] }).open(
    stored.secretSealed,
    `mfa_credentials.secret:${account.data!.register.user.id}`,
  );
  expect(opened).toBe(secret);
  await own.dispose();
}, 180_000);
