// Accounts by invitation: without a valid code for that email and role, DOCTOR and STAFF
// registration is FORBIDDEN; a code is single use (even when registers race), expires, is stored
// only as a hash, and hands its plaintext only to the creator and the extension hook.
import { createHash } from 'node:crypto';
import type { InvitationRecord } from '../../src/features/practices/invitations.service';
import type { Tx } from '../../src/live/transactions';
import { TEST_PASSWORD } from '../helpers/accounts';
import { CREATE_INVITATION, createPractice, invite, REGISTER, type TestPractice } from '../helpers/practices';
import { startTestServer, type TestServer } from '../helpers/test-server';

type Registered = {
  register: {
    token: string;
    user: {
      id: string;
      role: string;
      staff: { admin: boolean; practice: { id: string } } | null;
      doctor: { practice: { id: string } } | null;
      adminOf: Array<{ id: string }>;
    };
  };
};

let server: TestServer;
let practice: TestPractice;
const hooked: Array<{ invitation: InvitationRecord; code: string; inTransaction: boolean }> = [];
let failNextHook = false;

const staffInput = (email: string, invitationCode?: string) => ({
  email,
  password: TEST_PASSWORD,
  name: 'Desk Person',
  role: 'STAFF',
  invitationCode,
});
const doctorInput = (email: string, invitationCode?: string) => ({
  ...staffInput(email, invitationCode),
  role: 'DOCTOR',
  specialty: 'Dermatology',
});
const codeOf = (response: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) =>
  response.errors?.[0]?.extensions?.['code'] ?? 'OK';
let counter = 0;
const freshEmail = () => `invited-${Date.now()}-${(counter += 1)}@test.careline`;

beforeAll(async () => {
  const onInvitationCreated = async (tx: Tx, created: { invitation: InvitationRecord; code: string }) => {
    if (failNextHook) {
      failNextHook = false;
      throw new Error('mail queue unavailable');
    }
    const [row] = await tx.query({ name: 'test_invitation_by_id', text: 'SELECT id FROM invitations WHERE id = $1::uuid' }, [
      created.invitation.id,
    ]);
    hooked.push({ ...created, inTransaction: row !== undefined });
  };
  server = await startTestServer('services', { DOCTOR_SELF_REGISTRATION: 'false' }, { onInvitationCreated: [onInvitationCreated] });
  practice = await createPractice(server, 'Europe/Lisbon');
});
afterAll(async () => {
  await server.dispose();
});

it('refuses DOCTOR and STAFF registration without a code, and accepts patients', async () => {
  expect(codeOf(await server.gql(REGISTER, { input: doctorInput(freshEmail()) }))).toBe('FORBIDDEN');
  expect(codeOf(await server.gql(REGISTER, { input: staffInput(freshEmail()) }))).toBe('FORBIDDEN');
  const patient = { email: freshEmail(), password: TEST_PASSWORD, name: 'Pat', role: 'PATIENT' };
  expect(codeOf(await server.gql(REGISTER, { input: patient }))).toBe('OK');
});

it("joins the practice with a valid code, as admin when the invitation says so, in the practice's zone by default", async () => {
  const email = freshEmail();
  const code = await invite(server, practice, 'STAFF', email, true);
  const staff = await server.gql<Registered>(REGISTER, { input: staffInput(email.toUpperCase(), code) });
  expect(staff.data?.register.user).toMatchObject({
    role: 'STAFF',
    staff: { admin: true, practice: { id: practice.id } },
    adminOf: [{ id: practice.id }],
  });

  const doctorEmail = freshEmail();
  const doctor = await server.gql<Registered>(REGISTER, {
    input: doctorInput(doctorEmail, await invite(server, practice, 'DOCTOR', doctorEmail)),
  });
  expect(doctor.data?.register.user).toMatchObject({ role: 'DOCTOR', doctor: { practice: { id: practice.id } }, adminOf: [] });
  const row = await server.database.prisma.doctor.findUniqueOrThrow({ where: { id: doctor.data!.register.user.id } });
  expect(row.timeZone).toBe('Europe/Lisbon');
});

it('refuses a code for another email or role, a used code and an expired one, with FORBIDDEN', async () => {
  const email = freshEmail();
  const code = await invite(server, practice, 'STAFF', email);
  expect(codeOf(await server.gql(REGISTER, { input: staffInput(freshEmail(), code) }))).toBe('FORBIDDEN');
  expect(codeOf(await server.gql(REGISTER, { input: doctorInput(email, code) }))).toBe('FORBIDDEN');
  expect(codeOf(await server.gql(REGISTER, { input: staffInput(email, `${code}x`) }))).toBe('FORBIDDEN');
  expect(codeOf(await server.gql(REGISTER, { input: staffInput(email, code) }))).toBe('OK');
  expect(codeOf(await server.gql(REGISTER, { input: staffInput(freshEmail(), code) }))).toBe('FORBIDDEN');

  const late = freshEmail();
  const expiring = await invite(server, practice, 'DOCTOR', late);
  await server.database.prisma.invitation.updateMany({ where: { email: late }, data: { expiresAt: new Date(Date.now() - 1000) } });
  expect(codeOf(await server.gql(REGISTER, { input: doctorInput(late, expiring) }))).toBe('FORBIDDEN');
});

it('lets exactly one of many concurrent registers with one code through', async () => {
  const email = freshEmail();
  const code = await invite(server, practice, 'STAFF', email);
  const outcomes = await Promise.all(
    Array.from({ length: 6 }, () => server.gql(REGISTER, { input: staffInput(email, code) }).then(codeOf)),
  );
  expect(outcomes.filter((outcome) => outcome === 'OK')).toHaveLength(1);
  expect(outcomes.filter((outcome) => outcome !== 'OK').every((outcome) => outcome === 'FORBIDDEN' || outcome === 'CONFLICT')).toBe(true);
  expect(await server.database.prisma.user.count({ where: { email } })).toBe(1);
});

it('stores only a hash of the code, shows the code once, and lists pending invitations without it', async () => {
  const email = freshEmail();
  const created = await server.gql<{ createInvitation: { id: string; code: string; expiresAt: string } }>(
    CREATE_INVITATION,
    { input: { practiceId: practice.id, role: 'DOCTOR', email } },
    practice.admin.token,
  );
  const { id, code, expiresAt } = created.data!.createInvitation;
  expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
  const row = await server.database.prisma.invitation.findUniqueOrThrow({ where: { id } });
  expect(row.codeHash).toBe(createHash('sha256').update(code).digest('hex'));
  expect(JSON.stringify(row)).not.toContain(code);
  const event = await server.database.prisma.event.findFirstOrThrow({
    where: { topic: 'INVITATION_CREATED', payload: { path: ['invitationId'], equals: id } },
  });
  expect(JSON.stringify(event.payload)).not.toContain(code);
  const pending = await server.gql<{ practice: { pendingInvitations: Array<{ id: string; code: string | null }> } }>(
    'query ($id: ID!) { practice(id: $id) { pendingInvitations { id code } } }',
    { id: practice.id },
    practice.admin.token,
  );
  expect(pending.data!.practice.pendingInvitations.find((invitation) => invitation.id === id)).toEqual({ id, code: null });
  expect(hooked.find((entry) => entry.invitation.id === id)).toMatchObject({
    code,
    inTransaction: true,
    invitation: { email, role: 'DOCTOR', practiceId: practice.id },
  });
});

it('creates nothing when the extension hook fails, and refuses a PATIENT invitation as admin', async () => {
  const email = freshEmail();
  failNextHook = true;
  const failed = await server.gql(CREATE_INVITATION, { input: { practiceId: practice.id, role: 'STAFF', email } }, practice.admin.token);
  expect(codeOf(failed)).toBe('INTERNAL_SERVER_ERROR');
  expect(await server.database.prisma.invitation.count({ where: { email } })).toBe(0);
  const patient = await server.gql(
    CREATE_INVITATION,
    { input: { practiceId: practice.id, role: 'PATIENT', email, admin: true } },
    practice.admin.token,
  );
  expect(codeOf(patient)).toBe('BAD_USER_INPUT');
});

describe('with DOCTOR_SELF_REGISTRATION=true', () => {
  let sandbox: TestServer;
  beforeAll(async () => {
    sandbox = await startTestServer('services', { DOCTOR_SELF_REGISTRATION: 'true' });
  });
  afterAll(async () => {
    await sandbox.dispose();
  });

  it('puts a doctor without a code in a new one-doctor practice of which they are the admin; staff still need a code', async () => {
    const doctor = await sandbox.gql<Registered>(REGISTER, { input: doctorInput(freshEmail()) });
    const user = doctor.data!.register.user;
    expect(user.adminOf).toEqual([{ id: user.doctor!.practice.id }]);
    expect(await sandbox.database.prisma.doctor.count({ where: { practiceId: user.doctor!.practice.id } })).toBe(1);
    expect(codeOf(await sandbox.gql(REGISTER, { input: staffInput(freshEmail()) }))).toBe('FORBIDDEN');
  });
});
