// The client side of CareLine's public HTTP API as the bench needs it: POST /graphql, accounts
// registered through `register`, bookings through `bookAppointment`. Nothing here knows the server's
// internals; it is what any client of the schema could write.
import { setTimeout as sleep } from 'node:timers/promises';

/** One error of a GraphQL answer (only what the bench reads). */
export interface GraphQLError {
  readonly message: string;
  readonly extensions?: { readonly code?: string; readonly retryAfterSeconds?: number };
}

/** A GraphQL answer over HTTP: its status and its parsed body. */
export interface GraphQLResponse<T> {
  readonly status: number;
  readonly data?: T | null;
  readonly errors?: readonly GraphQLError[];
}

/**
 * POST /graphql on `baseUrl` (http://host:port), as `token`'s account when given. `T` is the shape
 * the query selects: the schema, not this function, guarantees it.
 */
export async function postGraphQL<T>(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLResponse<T>> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status'>;
  return { status: response.status, ...body };
}

/** An account the bench registered: its id, email and bearer token. */
export interface Account {
  readonly id: string;
  readonly email: string;
  readonly token: string;
}

// Not built on the accounts' email names (bench-…): the password rule refuses those.
export const BENCH_PASSWORD = 'steady kettle orbit';

const REGISTER = 'mutation Register($input: RegisterInput!) { register(input: $input) { token user { id email } } }';

/**
 * Registers a doctor (in a one-doctor practice of their own: the server must run with
 * DOCTOR_SELF_REGISTRATION=true) or a patient; throws with the API's errors.
 */
export async function registerAccount(baseUrl: string, role: 'DOCTOR' | 'PATIENT', email: string, name: string): Promise<Account> {
  const input =
    role === 'DOCTOR'
      ? { email, password: BENCH_PASSWORD, name, role, specialty: 'Bench', timeZone: 'UTC' }
      : { email, password: BENCH_PASSWORD, name, role, dateOfBirth: '1990-01-01T00:00:00.000Z' };
  const result = await postGraphQL<{ register: { token: string; user: { id: string; email: string } } }>(baseUrl, REGISTER, { input });
  const registered = result.data?.register;
  if (!registered) throw new Error(`register failed: ${JSON.stringify(result.errors)}`);
  return { id: registered.user.id, email: registered.user.email, token: registered.token };
}

const BOOK = 'mutation Book($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }';

/** What the bench books: a 30-minute slot, with a reason that tells its events apart (slots.ts). */
export interface BookingInput {
  readonly doctorId: string;
  readonly startsAt: Date;
  readonly reason: string;
}

/**
 * Books as the patient and returns the appointment id, or throws with the API's errors. A booking
 * refused as busy (HTTP 503, bounded admission) is sent again after the hinted delay, at most 10
 * times, as the dashboard does: these scripts measure delivery, not admission.
 */
export async function bookAppointment(baseUrl: string, patientToken: string, booking: BookingInput): Promise<string> {
  const input = { doctorId: booking.doctorId, startsAt: booking.startsAt.toISOString(), durationMinutes: 30, reason: booking.reason };
  for (let attempt = 1; ; attempt++) {
    const result = await postGraphQL<{ bookAppointment: { id: string } }>(baseUrl, BOOK, { input }, patientToken);
    const id = result.data?.bookAppointment.id;
    if (id) return id;
    const retryAfterSeconds = result.errors?.[0]?.extensions?.retryAfterSeconds;
    if (result.status !== 503 || typeof retryAfterSeconds !== 'number' || attempt >= 10)
      throw new Error(`booking failed: ${JSON.stringify(result.errors)}`);
    await sleep(retryAfterSeconds * 1000 * (1 + Math.random() * 0.25));
  }
}
