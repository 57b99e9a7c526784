// Offboarding (issue 23): an admin removes a member. Two instances on one Redis: the member's
// sessions end on both (HTTP UNAUTHENTICATED, their socket closed 4401), the account can no longer
// sign in, and nothing of a later booking reaches them. Practice streams re-check membership for
// every event. The last admin stays; a revoked invitation's code is refused; every step is a
// security event.
import { randomUUID } from 'node:crypto';
import { book, futureSlot, login, registerPatient, TEST_PASSWORD } from '../helpers/accounts';
import { createPractice, invite, joinPractice, PRACTICE_PATIENT_ADDED, REGISTER } from '../helpers/practices';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { waitForSubscribers } from '../helpers/wait-for';
import { subscribe } from '../helpers/ws-client';
import { practiceStream } from '../../src/live/streams';

let instanceA: TestServer;
let instanceB: TestServer;
beforeAll(async () => {
  [instanceA, instanceB] = await Promise.all([
    startTestServer('services', { DOCTOR_SELF_REGISTRATION: 'false' }),
    startTestServer('services', { DOCTOR_SELF_REGISTRATION: 'false' }),
  ]);
});

const REMOVE = 'mutation ($p: ID!, $u: ID!) { removeMember(practiceId: $p, userId: $u) }';
const REVOKE = 'mutation ($id: ID!) { revokeInvitation(id: $id) }';
const ME = '{ me { id } }';
const MEMBERS = 'query ($id: ID!) { practice(id: $id) { members { id } doctors { id } pendingInvitations { id } } }';
const SECURITY = 'query ($p: ID!) { practiceSecurityEvents(practiceId: $p) { action outcome actorName userAgent } }';
type Added = { practicePatientAdded: { patient: { id: string } } };
const codeOf = (result: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) => result.errors?.[0]?.extensions?.['code'];

it('ends a removed staff member on every instance: tokens refused, socket closed 4401, no sign-in, nothing of a later booking', async () => {
  const practice = await createPractice(instanceA);
  const [staff, doctor, patient] = [
    await joinPractice(instanceA, practice, 'STAFF'),
    await joinPractice(instanceA, practice, 'DOCTOR'),
    await registerPatient(instanceA),
  ];
  const desk = subscribe<Added>(instanceB.wsUrl, staff.token, PRACTICE_PATIENT_ADDED, { practiceId: practice.id });
  await waitForSubscribers(instanceB, practiceStream(practice.id));
  await book(instanceA, patient, { doctorId: doctor.id, startsAt: futureSlot() });
  expect((await desk.next({ timeoutMs: 5000 })).data?.practicePatientAdded.patient.id).toBe(patient.id);

  const removed = await instanceA.gql(REMOVE, { p: practice.id, u: staff.id }, practice.admin.token);
  expect(removed.errors).toBeUndefined();
  expect(removed.data).toEqual({ removeMember: true });

  expect((await desk.closed).code).toBe(4401);
  for (const instance of [instanceA, instanceB]) expect(codeOf(await instance.gql(ME, {}, staff.token))).toBe('UNAUTHENTICATED');
  await expect(login(instanceB, staff.email, TEST_PASSWORD)).rejects.toThrow();

  // A booking after the removal: nothing reaches the removed member (a new socket is refused too).
  const again = subscribe<Added>(instanceB.wsUrl, staff.token, PRACTICE_PATIENT_ADDED, { practiceId: practice.id });
  await book(instanceA, await registerPatient(instanceA), { doctorId: doctor.id, startsAt: futureSlot() });
  const after = await again.next({ timeoutMs: 5000 }).catch(() => undefined);
  expect(after?.data ?? null).toBeNull();

  const members = await instanceA.gql<{ practice: { members: Array<{ id: string }> } }>(MEMBERS, { id: practice.id }, practice.admin.token);
  expect(members.data!.practice.members.map((m) => m.id)).not.toContain(staff.id);
  const events = await instanceB.gql<{
    practiceSecurityEvents: Array<{ action: string; actorName: string | null; userAgent: string | null }>;
  }>(SECURITY, { p: practice.id }, practice.admin.token);
  expect(events.data!.practiceSecurityEvents[0]).toMatchObject({ action: 'security.memberRemoved', actorName: practice.admin.name });
  expect(events.data!.practiceSecurityEvents.map((e) => e.action)).toEqual(
    expect.arrayContaining(['security.invitationCreated', 'security.invitationUsed', 'security.memberJoined']),
  );
});

it('re-checks membership for every event: a member who left by hand gets FORBIDDEN, not the booking', async () => {
  const practice = await createPractice(instanceA);
  const [staff, doctor, patient] = [
    await joinPractice(instanceA, practice, 'STAFF'),
    await joinPractice(instanceA, practice, 'DOCTOR'),
    await registerPatient(instanceA),
  ];
  const desk = subscribe<Added>(instanceB.wsUrl, staff.token, PRACTICE_PATIENT_ADDED, { practiceId: practice.id });
  await waitForSubscribers(instanceB, practiceStream(practice.id));
  await book(instanceA, patient, { doctorId: doctor.id, startsAt: futureSlot() });
  expect((await desk.next({ timeoutMs: 5000 })).data?.practicePatientAdded.patient.id).toBe(patient.id);

  // The membership ends without a removal (an operator's SQL), then any membership change is heard.
  await instanceA.database.prisma.$executeRawUnsafe(`DELETE FROM staff_members WHERE id = '${staff.id}'`);
  instanceB.services.practiceMembers.changed();
  await book(instanceA, await registerPatient(instanceA), { doctorId: doctor.id, startsAt: futureSlot() });
  // The subscription ends (FORBIDDEN from the re-check) and the booking is never sent.
  await within(desk.done, 5000);
  expect(desk.pending).toBe(0);
});

/** `promise`, or a rejection after `ms` (a bounded wait). */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`not within ${ms} ms`)), ms)));
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

it('removes a doctor: gone from the practice and the directory, no sign-in, their token refused', async () => {
  const practice = await createPractice(instanceA);
  const [doctor, patient] = [await joinPractice(instanceA, practice, 'DOCTOR'), await registerPatient(instanceA)];
  await book(instanceA, patient, { doctorId: doctor.id, startsAt: futureSlot() });
  const chart = 'query ($p: ID!) { patientVitals(patientId: $p) { id } }';
  expect((await instanceA.gql(chart, { p: patient.id }, doctor.token)).errors).toBeUndefined();

  expect((await instanceA.gql(REMOVE, { p: practice.id, u: doctor.id }, practice.admin.token)).errors).toBeUndefined();
  expect(codeOf(await instanceB.gql(chart, { p: patient.id }, doctor.token))).toBe('UNAUTHENTICATED');
  await expect(login(instanceA, doctor.email, TEST_PASSWORD)).rejects.toThrow();
  const after = await instanceA.gql<{ practice: { members: Array<{ id: string }>; doctors: Array<{ id: string }> } }>(
    MEMBERS,
    { id: practice.id },
    practice.admin.token,
  );
  expect(after.data!.practice.members.map((m) => m.id)).not.toContain(doctor.id);
  expect(after.data!.practice.doctors.map((m) => m.id)).not.toContain(doctor.id);
});

it('refuses the last admin (BAD_USER_INPUT) and non-admins (FORBIDDEN), leaving membership intact', async () => {
  const practice = await createPractice(instanceA);
  const staff = await joinPractice(instanceA, practice, 'STAFF');
  expect(codeOf(await instanceA.gql(REMOVE, { p: practice.id, u: practice.admin.id }, practice.admin.token))).toBe('BAD_USER_INPUT');
  expect(codeOf(await instanceA.gql(REMOVE, { p: practice.id, u: practice.admin.id }, staff.token))).toBe('FORBIDDEN');
  expect(codeOf(await instanceA.gql(REMOVE, { p: practice.id, u: randomUUID() }, practice.admin.token))).toBe('NOT_FOUND');
  const other = await createPractice(instanceA);
  expect(codeOf(await instanceA.gql(REMOVE, { p: practice.id, u: staff.id }, other.admin.token))).toBe('FORBIDDEN');
  // Still the admin, still signed in.
  expect((await instanceA.gql(ME, {}, practice.admin.token)).errors).toBeUndefined();
  expect((await instanceA.gql(MEMBERS, { id: practice.id }, practice.admin.token)).errors).toBeUndefined();

  // With a second admin, the first may go.
  const second = await joinPractice(instanceA, practice, 'STAFF', true);
  expect((await instanceA.gql(REMOVE, { p: practice.id, u: practice.admin.id }, second.token)).errors).toBeUndefined();
  expect(codeOf(await instanceA.gql(REMOVE, { p: practice.id, u: second.id }, second.token))).toBe('BAD_USER_INPUT');
});

it('refuses a revoked invitation code at once and drops it from pendingInvitations', async () => {
  const practice = await createPractice(instanceA);
  const email = `revoked-${randomUUID().slice(0, 8)}@test.careline`;
  const code = await invite(instanceA, practice, 'STAFF', email);
  const pending = await instanceA.gql<{ practice: { pendingInvitations: Array<{ id: string }> } }>(
    MEMBERS,
    { id: practice.id },
    practice.admin.token,
  );
  const id = pending.data!.practice.pendingInvitations[0]!.id;
  const staff = await joinPractice(instanceA, practice, 'STAFF');

  expect(codeOf(await instanceA.gql(REVOKE, { id }, staff.token))).toBe('FORBIDDEN');
  expect(codeOf(await instanceA.gql(REVOKE, { id: randomUUID() }, practice.admin.token))).toBe('FORBIDDEN');
  expect((await instanceB.gql(REVOKE, { id }, practice.admin.token)).data).toEqual({ revokeInvitation: true });

  const input = { email, password: TEST_PASSWORD, name: 'Too Late', role: 'STAFF', invitationCode: code };
  expect(codeOf(await instanceA.gql(REGISTER, { input }))).toBe('FORBIDDEN');
  const after = await instanceA.gql<{ practice: { pendingInvitations: Array<{ id: string }> } }>(
    MEMBERS,
    { id: practice.id },
    practice.admin.token,
  );
  expect(after.data!.practice.pendingInvitations.map((i) => i.id)).not.toContain(id);
  const events = await instanceA.gql<{ practiceSecurityEvents: Array<{ action: string }> }>(
    SECURITY,
    { p: practice.id },
    practice.admin.token,
  );
  expect(events.data!.practiceSecurityEvents[0]!.action).toBe('security.invitationRevoked');
});
