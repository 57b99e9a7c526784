// Patients of a practice by invitation (issue 23): an admin invites a patient's email (role
// PATIENT); the patient registers with the code or, already registered, accepts it with
// acceptInvitation. Either way they join the practice's patient list (its staff may book for
// them), the code works once (also under concurrency), a wrong email, used, withdrawn or
// expired code is the same refusal as at registration, and InvitationUsed is a security event.
import { randomUUID } from 'node:crypto';
import { futureSlot, registerPatient, TEST_PASSWORD, type TestAccount } from '../../../test/helpers/accounts';
import {
  ACCEPT_INVITATION,
  CREATE_INVITATION,
  createPractice,
  invite,
  joinPractice,
  REGISTER,
  type TestPractice,
} from '../../../test/helpers/practices';
import { startTestServer, type GqlResponse, type TestServer } from '../../../test/helpers/test-server';

const BOOK_FOR = 'mutation ($input: BookAppointmentInput!) { bookAppointment(input: $input) { id patient { id } } }';
const EVENTS = 'query ($p: ID!) { practiceSecurityEvents(practiceId: $p, first: 200) { action outcome actorName } }';
const INVALID_CODE = 'This invitation code is not valid for this email and role (wrong, used, withdrawn or expired).';

let server: TestServer;
let practice: TestPractice;
let staff: TestAccount;
let doctor: TestAccount;

beforeAll(async () => {
  server = await startTestServer('services');
  practice = await createPractice(server);
  staff = await joinPractice(server, practice, 'STAFF');
  doctor = await joinPractice(server, practice, 'DOCTOR');
});
afterAll(async () => {
  await server.dispose();
});

const codeOf = (response: GqlResponse<unknown>) => response.errors?.[0]?.extensions?.['code'] ?? (response.data ? 'OK' : 'NO DATA');
const refusal = (response: GqlResponse<unknown>) => [response.errors?.[0]?.extensions?.['code'], response.errors?.[0]?.message];
const accept = (patient: TestAccount, code: string) =>
  server.gql<{ acceptInvitation: boolean }>(ACCEPT_INVITATION, { code }, patient.token);
const staffBooks = (patient: { id: string }) =>
  server.gql(BOOK_FOR, { input: { doctorId: doctor.id, patientId: patient.id, startsAt: futureSlot() } }, staff.token);
const registerWith = (email: string, invitationCode: string) =>
  server.gql<{ register: { token: string; user: { id: string } } }>(REGISTER, {
    input: { email, password: TEST_PASSWORD, name: `Invited ${email.slice(0, 8)}`, role: 'PATIENT', invitationCode },
  });
const usedEvents = async () => {
  const listed = await server.gql<{ practiceSecurityEvents: Array<{ action: string; outcome: string; actorName: string | null }> }>(
    EVENTS,
    { p: practice.id },
    practice.admin.token,
  );
  return listed.data!.practiceSecurityEvents.filter((event) => event.action === 'security.invitationUsed');
};

it('refuses a PATIENT invitation as admin, with BAD_USER_INPUT on admin', async () => {
  const result = await server.gql(
    CREATE_INVITATION,
    { input: { practiceId: practice.id, role: 'PATIENT', email: 'nobody@test.careline', admin: true } },
    practice.admin.token,
  );
  expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'admin' });
});

it('registers a patient with the code: they are a patient of the practice, bookable by its staff, and InvitationUsed is listed', async () => {
  const email = `invited-${randomUUID().slice(0, 8)}@test.careline`;
  const code = await invite(server, practice, 'PATIENT', email);
  const before = (await usedEvents()).length;

  const registered = await registerWith(email, code);
  expect(registered.errors).toBeUndefined();
  const patientId = registered.data!.register.user.id;
  expect(codeOf(await staffBooks({ id: patientId }))).toBe('OK');
  const used = await usedEvents();
  expect(used).toHaveLength(before + 1);
  expect(used[0]).toMatchObject({ outcome: 'SUCCESS', actorName: `Invited ${email.slice(0, 8)}` });

  // Used: the same code refuses a second registration with the one refusal, and nothing is created.
  const again = await registerWith(`other-${email}`, code);
  expect(refusal(again)).toEqual(['FORBIDDEN', INVALID_CODE]);
  expect(await server.database.prisma.user.count({ where: { email: `other-${email}` } })).toBe(0);
});

it('lets an existing patient accept the code once; a used, wrong-email, withdrawn or other-role code is the same refusal as at registration', async () => {
  const patient = await registerPatient(server);
  expect(codeOf(await staffBooks(patient))).toBe('FORBIDDEN');
  const code = await invite(server, practice, 'PATIENT', patient.email.toUpperCase());
  const before = (await usedEvents()).length;

  expect((await accept(patient, code)).data?.acceptInvitation).toBe(true);
  expect(codeOf(await staffBooks(patient))).toBe('OK');
  expect(await usedEvents()).toHaveLength(before + 1);

  const registeringRefusal = refusal(await registerWith(`x-${patient.email}`, 'not-a-real-code'));
  expect(registeringRefusal).toEqual(['FORBIDDEN', INVALID_CODE]);
  expect(refusal(await accept(patient, code))).toEqual(registeringRefusal);

  const someoneElse = await registerPatient(server);
  expect(refusal(await accept(someoneElse, await invite(server, practice, 'PATIENT', patient.email)))).toEqual(registeringRefusal);

  const withdrawn = await server.gql<{ createInvitation: { id: string; code: string } }>(
    CREATE_INVITATION,
    { input: { practiceId: practice.id, role: 'PATIENT', email: someoneElse.email } },
    practice.admin.token,
  );
  const { id, code: withdrawnCode } = withdrawn.data!.createInvitation;
  expect(codeOf(await server.gql('mutation ($id: ID!) { revokeInvitation(id: $id) }', { id }, practice.admin.token))).toBe('OK');
  expect(refusal(await accept(someoneElse, withdrawnCode))).toEqual(registeringRefusal);

  // A staff invitation for the patient's email is not a patient's to accept.
  expect(refusal(await accept(someoneElse, await invite(server, practice, 'STAFF', someoneElse.email)))).toEqual(registeringRefusal);
  expect(codeOf(await staffBooks(someoneElse))).toBe('FORBIDDEN');
  expect(await usedEvents()).toHaveLength(before + 1);
});

it('refuses acceptInvitation to anyone but a signed-in patient', async () => {
  const code = await invite(server, practice, 'PATIENT', staff.email);
  expect(codeOf(await server.gql(ACCEPT_INVITATION, { code }, staff.token))).toBe('FORBIDDEN');
  expect(codeOf(await server.gql(ACCEPT_INVITATION, { code }))).toBe('UNAUTHENTICATED');
});

it('accepts one code once when the patient sends it several times at once', async () => {
  const patient = await registerPatient(server);
  const code = await invite(server, practice, 'PATIENT', patient.email);
  const results = await Promise.all(Array.from({ length: 5 }, () => accept(patient, code)));
  expect(results.filter((result) => result.data?.acceptInvitation === true)).toHaveLength(1);
  expect(results.filter((result) => codeOf(result) === 'FORBIDDEN')).toHaveLength(4);
  expect(await server.database.prisma.practicePatient.count({ where: { practiceId: practice.id, patientId: patient.id } })).toBe(1);
});
