// Practices for tests: created the operator's way (a STAFF admin), members joining by invitation
// through the API, and a clinic-day clock for check-ins.
import { randomUUID } from 'node:crypto';
import { TEST_PASSWORD, type TestAccount } from './accounts';
import type { TestServer } from './test-server';

export const PRACTICE_FIELDS = 'id name timeZone';
export const CREATE_INVITATION = `mutation ($input: InvitationInput!) { createInvitation(input: $input) { id email role admin expiresAt code practice { id } } }`;
export const CHECK_IN = 'mutation ($id: ID!) { checkInAppointment(id: $id) { id status } }';
export const MARK_NO_SHOW = 'mutation ($id: ID!) { markNoShow(id: $id) { id status } }';
export const PRACTICE_PATIENTS = `query ($practiceId: ID!, $first: Int, $after: String, $search: String) {
  practicePatients(practiceId: $practiceId, first: $first, after: $after, search: $search) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name dateOfBirth latestVitals { id } appointments { id status } } } } }`;
export const PRACTICE_PATIENT_ADDED = `subscription ($practiceId: ID!, $after: String) {
  practicePatientAdded(practiceId: $practiceId, after: $after) { cursor doctorId firstVisit patient { id } appointment { id status doctor { id } } } }`;
export const PRACTICE_APPOINTMENT_UPDATED = `subscription ($practiceId: ID!, $after: String) {
  practiceAppointmentUpdated(practiceId: $practiceId, after: $after) { cursor change appointment { id status doctor { id } patient { id } } } }`;
export const REGISTER =
  'mutation ($input: RegisterInput!) { register(input: $input) { token user { id email role staff { id admin practice { id } } doctor { id practice { id } } adminOf { id } } } }';

export interface TestPractice {
  readonly id: string;
  readonly timeZone: string;
  /** Its STAFF admin. */
  readonly admin: TestAccount;
}

/**
 * An IANA zone (Etc/GMT±N) where it is around noon now, so "today in the practice" has hours on
 * both sides of the clock: check-ins of started visits never cross midnight, whatever the hour.
 */
export function noonZone(now: Date = new Date()): string {
  const hours = Math.max(-12, Math.min(14, 12 - now.getUTCHours()));
  // Etc/GMT-N is UTC+N (POSIX signs are inverted).
  return hours === 0 ? 'Etc/UTC' : hours > 0 ? `Etc/GMT-${hours}` : `Etc/GMT+${-hours}`;
}

/** A practice and its STAFF admin, created as the operator does (npm run admin / bootstrap). */
export async function createPractice(server: TestServer, timeZone: string = noonZone()): Promise<TestPractice> {
  const tag = randomUUID().slice(0, 8);
  const email = `admin-${tag}@test.careline`;
  const { practice, adminId } = await server.services.practices.createPracticeWithAdmin({
    name: `Practice ${tag}`,
    timeZone,
    adminEmail: email,
    adminName: `Admin ${tag}`,
    adminPassword: TEST_PASSWORD,
  });
  const login = await server.gql<{ login: { token: string } }>(
    'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }',
    { email, password: TEST_PASSWORD },
  );
  if (!login.data?.login) throw new Error(`admin login failed: ${JSON.stringify(login.errors)}`);
  return { id: practice.id, timeZone, admin: { id: adminId, email, token: login.data.login.token, name: `Admin ${tag}` } };
}

/** The admin invites `email` (a doctor, staff member or patient) and returns the code, or throws with the API's errors. */
export async function invite(
  server: Pick<TestServer, 'gql'>,
  practice: TestPractice,
  role: 'DOCTOR' | 'STAFF' | 'PATIENT',
  email: string,
  admin = false,
): Promise<string> {
  const result = await server.gql<{ createInvitation: { code: string } }>(
    CREATE_INVITATION,
    { input: { practiceId: practice.id, role, email, admin } },
    practice.admin.token,
  );
  if (!result.data?.createInvitation) throw new Error(`createInvitation failed: ${JSON.stringify(result.errors)}`);
  return result.data.createInvitation.code;
}

/** A new doctor or staff member of the practice, joined by invitation. */
export async function joinPractice(
  server: Pick<TestServer, 'gql'>,
  practice: TestPractice,
  role: 'DOCTOR' | 'STAFF',
  admin = false,
): Promise<TestAccount> {
  const tag = randomUUID().slice(0, 8);
  const email = `${role.toLowerCase()}-${tag}@test.careline`;
  const name = role === 'DOCTOR' ? `Dr. Member ${tag}` : `Desk ${tag}`;
  const invitationCode = await invite(server, practice, role, email, admin);
  const input = {
    email,
    password: TEST_PASSWORD,
    name,
    role,
    invitationCode,
    ...(role === 'DOCTOR' ? { specialty: 'General Practice' } : {}),
  };
  const result = await server.gql<{ register: { token: string; user: { id: string } } }>(REGISTER, { input });
  if (!result.data?.register) throw new Error(`register with invitation failed: ${JSON.stringify(result.errors)}`);
  return { id: result.data.register.user.id, email, token: result.data.register.token, name };
}

export const ACCEPT_INVITATION = 'mutation ($code: String!) { acceptInvitation(code: $code) }';

/**
 * Makes registered patients patients of the practice without a booking, the way a patient does
 * it: the admin invites their email (role PATIENT) and they accept the code. Its staff may then
 * book for them (staff book only patients of their practice).
 */
export async function linkPatients(
  server: Pick<TestServer, 'gql'>,
  practice: TestPractice,
  patients: readonly TestAccount[],
): Promise<void> {
  for (const patient of patients) {
    const code = await invite(server, practice, 'PATIENT', patient.email);
    const accepted = await server.gql<{ acceptInvitation: boolean }>(ACCEPT_INVITATION, { code }, patient.token);
    if (accepted.data?.acceptInvitation !== true) throw new Error(`acceptInvitation failed: ${JSON.stringify(accepted.errors)}`);
  }
}

let clinicMinutes = 0;
const clinicAnchor = Date.now();
/**
 * Moves a booked appointment to earlier today (it has started; bookings can only be made for the
 * future): this is the test's clock for check-ins and no-shows. Each call goes ten minutes
 * further back with a ten-minute visit, so two of one doctor never overlap.
 */
export async function moveToEarlierToday(server: Pick<TestServer, 'database'>, appointmentId: string): Promise<void> {
  clinicMinutes += 10;
  const startsAt = new Date(clinicAnchor - clinicMinutes * 60_000);
  await server.database.prisma.appointment.update({
    where: { id: appointmentId },
    data: { startsAt, endsAt: new Date(startsAt.getTime() + 10 * 60_000) },
  });
}

/**
 * The practice's admin lets its doctors without working hours be offered at any time
 * (Practice.bookableWithoutHours, off by default): what tests of free times need for invited doctors.
 */
export async function allowBookingWithoutHours(server: Pick<TestServer, 'gql'>, practice: TestPractice): Promise<void> {
  const set = await server.gql(
    'mutation ($p: ID!) { setPracticeBookableWithoutHours(practiceId: $p, allowed: true) { id } }',
    { p: practice.id },
    practice.admin.token,
  );
  if (set.errors) throw new Error(`setPracticeBookableWithoutHours failed: ${JSON.stringify(set.errors)}`);
}
