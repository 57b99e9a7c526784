import { randomUUID } from 'node:crypto';
import type { TestServer } from './test-server';

export interface TestAccount {
  readonly id: string;
  readonly email: string;
  readonly token: string;
  readonly name: string;
}

export const TEST_PASSWORD = 'correct horse battery';

const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterInput!) {
    register(input: $input) {
      token
      user {
        id
        email
      }
    }
  }
`;

async function register(server: Pick<TestServer, 'gql'>, input: Record<string, unknown>): Promise<TestAccount> {
  const result = await server.gql<{ register: { token: string; user: { id: string; email: string } } }>(REGISTER, { input });
  if (!result.data?.register) throw new Error(`register failed: ${JSON.stringify(result.errors)}`);
  const { token, user } = result.data.register;
  return { id: user.id, email: user.email, token, name: String(input['name']) };
}

const LOGIN = 'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }';

/** Signs in (a new session) and returns its token; throws with the error codes otherwise. */
export async function login(server: Pick<TestServer, 'gql'>, email: string, password: string): Promise<string> {
  const result = await server.gql<{ login: { token: string } }>(LOGIN, { email, password });
  if (!result.data?.login) throw new Error(`login failed: ${(result.errors ?? []).map((error) => error.extensions?.['code']).join(', ')}`);
  return result.data.login.token;
}

/** A new doctor with a unique email. */
export function registerDoctor(server: Pick<TestServer, 'gql'>, overrides: Record<string, unknown> = {}): Promise<TestAccount> {
  const tag = randomUUID().slice(0, 8);
  return register(server, {
    email: `doctor-${tag}@test.careline`,
    password: TEST_PASSWORD,
    name: `Dr. Test ${tag}`,
    role: 'DOCTOR',
    specialty: 'Cardiology',
    timeZone: 'Europe/Paris',
    ...overrides,
  });
}

/**
 * Lets a self-registered doctor (admin of their one-doctor practice) be booked without working
 * hours, as every doctor could before Practice.bookableWithoutHours: for tests of slots that are not about hours.
 */
export async function allowBookingWithoutHours(server: Pick<TestServer, 'gql'>, doctor: TestAccount): Promise<void> {
  const me = await server.gql<{ me: { doctor: { practice: { id: string } } | null } }>(
    '{ me { doctor { practice { id } } } }',
    {},
    doctor.token,
  );
  const practiceId = me.data?.me.doctor?.practice.id;
  if (!practiceId) throw new Error(`no practice for doctor ${doctor.id}: ${JSON.stringify(me.errors)}`);
  const set = await server.gql(
    'mutation ($p: ID!) { setPracticeBookableWithoutHours(practiceId: $p, allowed: true) { id } }',
    { p: practiceId },
    doctor.token,
  );
  if (set.errors) throw new Error(`setPracticeBookableWithoutHours failed: ${JSON.stringify(set.errors)}`);
}

/** A new patient with a unique email. */
export function registerPatient(server: Pick<TestServer, 'gql'>, overrides: Record<string, unknown> = {}): Promise<TestAccount> {
  const tag = randomUUID().slice(0, 8);
  return register(server, {
    email: `patient-${tag}@test.careline`,
    password: TEST_PASSWORD,
    name: `Patient ${tag}`,
    role: 'PATIENT',
    dateOfBirth: '1990-04-01T00:00:00.000Z',
    ...overrides,
  });
}

let slotCounter = 0;
/** This process's first day (random, so processes sharing a database start far apart). */
const firstDay = 1 + Math.floor(Math.random() * 600);
/**
 * A start time far enough ahead to be valid, on a day of its own per call in this process (the
 * day after the last call's), so tests never collide by accident (only on purpose), even when
 * they book hours around it. With `daysAhead`, a slot of that day.
 */
export function futureSlot(daysAhead = firstDay + slotCounter): Date {
  slotCounter += 1;
  const start = new Date();
  start.setUTCDate(start.getUTCDate() + daysAhead);
  start.setUTCHours(0, 0, 0, 0);
  return new Date(start.getTime() + (slotCounter % 48) * 30 * 60_000);
}

export const BOOK = /* GraphQL */ `
  mutation Book($input: BookAppointmentInput!) {
    bookAppointment(input: $input) {
      id
      startsAt
      endsAt
      status
      reason
      doctor {
        id
        name
      }
      patient {
        id
        name
      }
    }
  }
`;

export interface BookedAppointment {
  id: string;
  startsAt: string;
  endsAt: string;
  status: string;
  reason: string | null;
  doctor: { id: string; name: string };
  patient: { id: string; name: string };
}

/** Books through the API and returns the whole response (data or errors). */
export function book(server: Pick<TestServer, 'gql'>, patient: TestAccount, input: Record<string, unknown>) {
  return server.gql<{ bookAppointment: BookedAppointment }>(BOOK, { input }, patient.token);
}
