// The few API calls a browser test makes behind the UI's back: create accounts, count bookings.
import { randomUUID } from 'node:crypto';

export interface Account {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly token: string;
}

export const PASSWORD = 'correct horse battery';

export async function gql<T>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors || !body.data) throw new Error(`GraphQL error: ${JSON.stringify(body.errors)}`);
  return body.data;
}

export async function register(
  url: string,
  role: 'DOCTOR' | 'PATIENT',
  name: string,
  options: { readonly anyTime?: boolean } = {},
): Promise<Account> {
  const email = `${role.toLowerCase()}-${randomUUID().slice(0, 8)}@browser.careline`;
  const input =
    role === 'DOCTOR'
      ? { email, name, role, password: PASSWORD, specialty: 'Cardiology', timeZone: 'Europe/London' }
      : { email, name, role, password: PASSWORD };
  const data = await gql<{ register: { token: string; user: { id: string } } }>(
    url,
    'mutation ($input: RegisterInput!) { register(input: $input) { token user { id } } }',
    { input },
  );
  const account = { id: data.register.user.id, email, name, token: data.register.token };
  // A self-registered doctor is the admin of a one-doctor practice. These tests' doctors take any
  // time, as every doctor without hours did before Practice.bookableWithoutHours (off by default),
  // unless told not to (a doctor held by MFA_REQUIRED_ROLES may do nothing before enrolling).
  if (role === 'DOCTOR' && options.anyTime !== false) {
    const me = await gql<{ me: { doctor: { practice: { id: string } } } }>(url, '{ me { doctor { practice { id } } } }', {}, account.token);
    await gql(
      url,
      'mutation ($p: ID!) { setPracticeBookableWithoutHours(practiceId: $p, allowed: true) { id } }',
      { p: me.me.doctor.practice.id },
      account.token,
    );
  }
  return account;
}

export async function appointmentsOf(url: string, patient: Account): Promise<Array<{ id: string; startsAt: string; status: string }>> {
  const data = await gql<{ me: { patient: { appointments: Array<{ id: string; startsAt: string; status: string }> } } }>(
    url,
    '{ me { patient { appointments { id startsAt status } } } }',
    {},
    patient.token,
  );
  return data.me.patient.appointments;
}

/** Signs in through the API (the bootstrap admin, say). */
export async function login(url: string, email: string, name: string): Promise<Account> {
  const data = await gql<{ login: { token: string; user: { id: string } } }>(
    url,
    'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token user { id } } }',
    { email, password: PASSWORD },
  );
  return { id: data.login.user.id, email, name, token: data.login.token };
}

/** A new doctor or staff member of the admin's practice: invited through the API, registered with the code. */
export async function joinPractice(
  url: string,
  admin: Account,
  practiceId: string,
  role: 'DOCTOR' | 'STAFF',
  name: string,
): Promise<Account> {
  const email = `${role.toLowerCase()}-${randomUUID().slice(0, 8)}@browser.careline`;
  const invited = await gql<{ createInvitation: { code: string } }>(
    url,
    'mutation ($input: InvitationInput!) { createInvitation(input: $input) { code } }',
    { input: { practiceId, role, email } },
    admin.token,
  );
  const input = {
    email,
    name,
    role,
    password: PASSWORD,
    invitationCode: invited.createInvitation.code,
    ...(role === 'DOCTOR' ? { specialty: 'General Practice' } : {}),
  };
  const data = await gql<{ register: { token: string; user: { id: string } } }>(
    url,
    'mutation ($input: RegisterInput!) { register(input: $input) { token user { id } } }',
    { input },
  );
  return { id: data.register.user.id, email, name, token: data.register.token };
}
