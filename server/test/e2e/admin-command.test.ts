// `npm run admin -- <verb>`: the operator creates a practice with its admin, lists practices and
// issues and revokes invitations, removes members, on PostgreSQL or the embedded database (refused, saying why, while a server holds it).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generate } from 'otplib';
import { INVITATION_MAIL_KIND } from '../../src/features/notifications/invitation-mail';
import { TEST_PASSWORD } from '../helpers/accounts';
import { createPractice, invite, joinPractice, PRACTICE_PATIENT_ADDED, REGISTER } from '../helpers/practices';
import { REDIS_URL, runDatabaseUrl, runRedisPrefix } from '../helpers/test-env';
import { waitForSubscribers, waitUntil } from '../helpers/wait-for';
import { subscribe } from '../helpers/ws-client';
import { practiceStream } from '../../src/live/streams';
import { dataKeyId } from '../../src/platform/data-cipher';
import { createOwnDatabase, type OwnDatabase } from '../helpers/own-database';
import { startTestServer, TEST_AUDIT_KEY, TEST_DATA_ENCRYPTION_KEY, type TestServer } from '../helpers/test-server';

const SERVER_DIR = path.resolve(__dirname, '..', '..');

function admin(args: string[], env: Record<string, string>, stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/scripts/admin.ts', ...args], {
    cwd: SERVER_DIR,
    // The servers' AUDIT_KEY and DATA_ENCRYPTION_KEY, as an operator runs it: the command chains the
    // audit rows it writes and opens the secrets the servers sealed.
    env: {
      PATH: process.env['PATH'] ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      AUDIT_KEY: TEST_AUDIT_KEY,
      DATA_ENCRYPTION_KEY: TEST_DATA_ENCRYPTION_KEY,
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('on PostgreSQL', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('services', { DOCTOR_SELF_REGISTRATION: 'false' });
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('creates a practice with its admin, lists it, and issues an invitation that registers a doctor', async () => {
    const env = { DATABASE_URL: runDatabaseUrl() };
    const email = `ops-${Date.now()}@test.careline`;
    const name = `Ops Clinic ${Date.now()}`;
    const created = await admin(
      ['create-practice', '--name', name, '--time-zone', 'Europe/Rome', '--admin-email', email, '--password-stdin'],
      env,
      `${TEST_PASSWORD}\n`,
    );
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const practiceId = /created practice ([0-9a-f-]{36})/.exec(created.stdout)?.[1];
    expect(practiceId).toBeDefined();
    const login = await server.gql('mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', {
      e: email,
      p: TEST_PASSWORD,
    });
    expect(login.errors).toBeUndefined();

    const listed = await admin(['list-practices'], env);
    expect(listed.stdout).toContain(`${practiceId}  ${name}  (Europe/Rome)  doctors: 0  staff: 1  admins: ${email}`);

    const doctorEmail = `ops-doctor-${Date.now()}@test.careline`;
    const invited = await admin(['invite', '--practice', practiceId!, '--email', doctorEmail, '--role', 'doctor'], env);
    const code = /code: (\S+)/.exec(invited.stdout)?.[1];
    expect(invited.code).toBe(0);
    // Mailed like an invitation from the members page: a job the running server's worker sends.
    // Drained until settled: the worker's own poll may hold the job when a drain returns.
    const mailed = () =>
      server.database.prisma.job.findMany({ where: { kind: INVITATION_MAIL_KIND, payload: { path: ['email'], equals: doctorEmail } } });
    await waitUntil('the invitation mail to be sent', async () => {
      await server.background.worker.drain();
      return (await mailed()).every((job) => job.status !== 'pending' && job.status !== 'running');
    });
    expect((await mailed()).map((job) => job.status)).toEqual(['done']);
    const registered = await server.gql(REGISTER, {
      input: { email: doctorEmail, password: TEST_PASSWORD, name: 'Dr. Ops', role: 'DOCTOR', specialty: 'ENT', invitationCode: code },
    });
    expect(registered.errors).toBeUndefined();
  });

  // Regression: `--password-stdin` with nothing on stdin created an admin with an EMPTY password.
  it.each([
    ['an empty password', '', /BAD_USER_INPUT: password must not be blank/],
    ['a common password', 'Password123!\n', /BAD_USER_INPUT: password is one of the most common passwords/],
  ])('refuses %s from stdin and creates nothing', async (_name, stdin, message) => {
    const env = { DATABASE_URL: runDatabaseUrl() };
    const email = `ops-weak-${Date.now()}@test.careline`;
    const name = `Weak Clinic ${Date.now()}`;
    const created = await admin(
      ['create-practice', '--name', name, '--time-zone', 'UTC', '--admin-email', email, '--password-stdin'],
      env,
      stdin,
    );
    expect([created.code, created.stderr]).toEqual([1, expect.stringMatching(message)]);
    expect(await server.database.prisma.user.findUnique({ where: { email } })).toBeNull();
    expect(await server.database.prisma.practice.findFirst({ where: { name } })).toBeNull();
  });

  it('removes a member (sessions ended on the running server over Redis, the last admin kept) and revokes an invitation', async () => {
    const env = { DATABASE_URL: runDatabaseUrl(), REDIS_URL, REDIS_PREFIX: runRedisPrefix() };
    const practice = await createPractice(server);
    const staff = await joinPractice(server, practice, 'STAFF');
    const desk = subscribe(server.wsUrl, staff.token, PRACTICE_PATIENT_ADDED, { practiceId: practice.id });
    await waitForSubscribers(server, practiceStream(practice.id));

    const removed = await admin(['remove-member', '--practice', practice.id, '--user', staff.id], env);
    expect([removed.code, removed.stderr]).toEqual([0, '']);
    expect(removed.stdout).toContain('1 session(s) ended');
    expect((await desk.closed).code).toBe(4401);
    expect((await server.gql('{ me { id } }', {}, staff.token)).errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    const last = await admin(['remove-member', '--practice', practice.id, '--user', practice.admin.id], env);
    expect([last.code, last.stderr]).toEqual([1, expect.stringContaining('BAD_USER_INPUT')]);

    const email = `ops-revoked-${Date.now()}@test.careline`;
    const code = await invite(server, practice, 'STAFF', email);
    const invitation = await server.database.prisma.invitation.findFirstOrThrow({ where: { email } });
    const revoked = await admin(['revoke-invitation', '--invitation', invitation.id], env);
    expect([revoked.code, revoked.stderr]).toEqual([0, '']);
    const registered = await server.gql(REGISTER, {
      input: { email, password: TEST_PASSWORD, name: 'Late', role: 'STAFF', invitationCode: code },
    });
    expect(registered.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  it("resets a member's lost second factor: sessions ended, a password signs in again, and the reset is a security event", async () => {
    const env = { DATABASE_URL: runDatabaseUrl(), REDIS_URL, REDIS_PREFIX: runRedisPrefix() };
    const practice = await createPractice(server);
    const staff = await joinPractice(server, practice, 'STAFF');
    const started = await server.gql<{ startMfaEnrollment: { secret: string } }>(
      'mutation { startMfaEnrollment { secret } }',
      {},
      staff.token,
    );
    const code = await generate({ secret: started.data!.startMfaEnrollment.secret });
    expect(
      (await server.gql('mutation ($c: String!) { confirmMfaEnrollment(code: $c) }', { c: code }, staff.token)).errors,
    ).toBeUndefined();

    const reset = await admin(['reset-mfa', '--user', staff.id], env);
    expect([reset.code, reset.stderr]).toEqual([0, '']);
    expect(reset.stdout).toContain('1 session(s) ended');
    expect((await server.gql('{ me { id } }', {}, staff.token)).errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    const login = await server.gql<{ login: { user: { mfaEnabled: boolean } } }>(
      'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { user { mfaEnabled } } }',
      { e: staff.email, p: TEST_PASSWORD },
    );
    expect(login.data?.login.user.mfaEnabled).toBe(false);
    const events = await server.gql<{ practiceSecurityEvents: Array<{ action: string; actorName: string | null }> }>(
      'query ($p: ID!) { practiceSecurityEvents(practiceId: $p) { action actorName } }',
      { p: practice.id },
      practice.admin.token,
    );
    expect(events.data?.practiceSecurityEvents).toContainEqual(expect.objectContaining({ action: 'security.mfaDisabled' }));

    const again = await admin(['reset-mfa', '--user', staff.id], env);
    expect([again.code, again.stderr]).toEqual([1, expect.stringContaining('NOT_FOUND')]);
  });

  it('answers a usage error with exit code 2 and an unknown practice plainly', async () => {
    const env = { DATABASE_URL: runDatabaseUrl() };
    expect((await admin(['invite', '--email', 'a@b.co', '--role', 'STAFF'], env)).code).toBe(2);
    const unknown = await admin(
      ['invite', '--practice', '00000000-0000-4000-8000-000000000000', '--email', 'a@b.co', '--role', 'STAFF'],
      env,
    );
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringContaining('no practice with id')]);
  });
});

// Every server that starts re-seals the plaintext secrets of its database: on the run's shared
// database, another file's server could seal this one first, so reseal-secrets works on a database of its own.
describe('reseal-secrets, on a database of its own', () => {
  let database: OwnDatabase;
  let server: TestServer;
  beforeAll(async () => {
    database = await createOwnDatabase('careline_test_reseal');
    server = await startTestServer('services', { DATABASE_URL: database.url });
  });
  afterAll(async () => {
    await server.dispose();
    await database.drop();
  });

  it('seals a plaintext webhook secret under DATA_ENCRYPTION_KEY, and names the secrets no key opens', async () => {
    const practice = await createPractice(server);
    const endpoint = await server.database.prisma.webhookEndpoint.create({
      data: { practiceId: practice.id, url: 'https://hooks.example.org/in', events: ['appointment.booked'], secret: 'whsec_plaintext' },
    });
    const resealed = await admin(['reseal-secrets'], { DATABASE_URL: database.url });
    expect([resealed.code, resealed.stderr]).toEqual([0, '']);
    expect(resealed.stdout).toMatch(/webhook secrets: 1 re-sealed under the current key/);
    const stored = (await server.database.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).secret;
    expect(stored).toMatch(new RegExp(`^v1\\.${dataKeyId(Buffer.from(TEST_DATA_ENCRYPTION_KEY, 'hex'))}\\.`));

    const otherKey = await admin(['reseal-secrets'], { DATABASE_URL: database.url, DATA_ENCRYPTION_KEY: 'ee'.repeat(32) });
    expect(otherKey.code).toBe(1);
    expect(otherKey.stderr).toContain(endpoint.id);
    expect(otherKey.stderr).toContain('DATA_ENCRYPTION_PREVIOUS_KEYS');
  });
});

it('refuses the embedded database while a server holds it, saying so', async () => {
  const folder = await mkdtemp(path.join(tmpdir(), 'careline-admin-'));
  const dataDir = path.join(folder, 'data');
  const server = await startTestServer('embedded', { DATA_DIR: dataDir });
  try {
    const result = await admin(['list-practices'], { DATA_DIR: dataDir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/in use by another CareLine process \(pid \d+\)/);
    expect(result.stderr).toMatch(/The running server holds the embedded database: stop it first/);
  } finally {
    await server.dispose();
    await rm(folder, { recursive: true, force: true });
  }
});
