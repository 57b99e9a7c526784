// FHIR scheduling (server/src/fhir/scheduling.ts): Appointment/$find proposes free slots,
// $book books one through the booking service (the same booking GraphQL sees; a taken time is 409
// `conflict`, and of concurrent $books of one time exactly one wins), $hold holds one for HOLD_TTL
// (an Appointment `pending`, booked by $book with its id; expiry moved by the injected clock), and
// a JSON Patch cancels.
// $find and $book go through fhir-kit-client's `operation`; every resource received is validated.
import type { Appointment, Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { registerPatient, type TestAccount } from '../helpers/accounts';
import { bundleOf, expectValid, fhirClient, loadR4Definitions, received, refusalOf } from '../helpers/fhir';
import { allowBookingWithoutHours, createPractice, joinPractice, type TestPractice } from '../helpers/practices';
import { movableClock } from '../helpers/movable-clock';
import { startTestServer, type Mode, type TestServer } from '../helpers/test-server';

const HOLD_TTL_MS = 60_000;

// Both deployments (PostgreSQL + Redis, and embedded PGlite) answer FHIR alike.
describe.each<Mode>(['services', 'embedded'])('FHIR scheduling (%s)', (mode) => {
  let server: TestServer;
  let practice: TestPractice;
  let doctor: TestAccount;
  let staff: TestAccount;
  // Moves only when a hold's expiry is tested (every other test keeps the real time).
  const clock = movableClock();

  beforeAll(async () => {
    loadR4Definitions();
    server = await startTestServer(mode, { HOLD_TTL: '1m' }, { clock });
    practice = await createPractice(server);
    await allowBookingWithoutHours(server, practice);
    doctor = await joinPractice(server, practice, 'DOCTOR');
    staff = await joinPractice(server, practice, 'STAFF');
  });
  afterAll(async () => {
    await server.dispose();
  });

  const clientOf = (token: string) => fhirClient(server.url, token);

  async function find(token: string, doctorId: string, start: Date, end: Date): Promise<Appointment[]> {
    const input = {
      resourceType: 'Parameters',
      parameter: [
        { name: 'start', valueDateTime: start.toISOString() },
        { name: 'end', valueDateTime: end.toISOString() },
        { name: 'practitioner', valueReference: { reference: `Practitioner/${doctorId}` } },
      ],
    };
    const bundle = bundleOf(await (await clientOf(token)).operation({ name: '$find', resourceType: 'Appointment', input }));
    return (bundle.entry ?? []).flatMap((entry) => (entry.resource?.resourceType === 'Appointment' ? [entry.resource] : []));
  }

  async function bookAs(token: string, appointment: Appointment): Promise<Appointment | string> {
    const input = { resourceType: 'Parameters', parameter: [{ name: 'appointment', resource: appointment }] };
    try {
      const bundle = bundleOf(await (await clientOf(token)).operation({ name: '$book', resourceType: 'Appointment', input }));
      const booked = bundle.entry?.[0]?.resource;
      if (booked?.resourceType !== 'Appointment') throw new Error('no Appointment in the $book answer');
      return booked;
    } catch (error) {
      return refusalOf(error);
    }
  }

  /** $hold of a proposed appointment: the `pending` Appointment, or "<status> <issue code>". */
  async function holdAs(token: string, appointment: Appointment): Promise<Appointment | string> {
    const input = { resourceType: 'Parameters', parameter: [{ name: 'appointment', resource: appointment }] };
    try {
      const held = received(await (await clientOf(token)).operation({ name: '$hold', resourceType: 'Appointment', input }));
      if (held.resourceType !== 'Appointment') throw new Error(`a ${held.resourceType} from $hold`);
      return held;
    } catch (error) {
      return refusalOf(error);
    }
  }

  async function raw(path: string, token: string, init: RequestInit): Promise<{ status: number; body: OperationOutcome }> {
    const response = await fetch(`${server.url}/fhir/R4/${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json', ...(init.headers ?? {}) },
    });
    const body = (await response.json()) as OperationOutcome;
    expect(response.headers.get('content-type')).toContain('application/fhir+json');
    expectValid(body);
    return { status: response.status, body };
  }

  /** A window on a day of its own (the next after the last test's), so no other test's booking is in it. */
  let nextDay = 2;
  function window(hours: number): { start: Date; end: Date } {
    const start = new Date(clock().getTime() + nextDay++ * 86_400_000);
    start.setUTCHours(10, 0, 0, 0);
    return { start, end: new Date(start.getTime() + hours * 3_600_000) };
  }

  it('proposes free slots with $find, books one with $book as GraphQL would, and no longer proposes it', async () => {
    const patient = await registerPatient(server);
    const { start, end } = window(2);
    const proposed = await find(patient.token, doctor.id, start, end);
    expect(proposed.map((appointment) => appointment.start)).toEqual(
      [0, 30, 60, 90].map((minutes) => new Date(start.getTime() + minutes * 60_000).toISOString()),
    );
    expect(proposed[0]).toMatchObject({
      status: 'proposed',
      participant: expect.arrayContaining([{ actor: { reference: `Patient/${patient.id}` }, status: 'needs-action' }]),
    });

    const booked = await bookAs(patient.token, { ...(proposed[0] as Appointment), description: 'Back pain' });
    expect(booked).toMatchObject({ status: 'booked', start: start.toISOString(), description: 'Back pain' });
    const id = typeof booked === 'string' ? '' : String(booked.id);
    const schedule = await server.gql<{ doctorSchedule: Array<{ id: string; status: string }> }>(
      'query ($d: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { doctorSchedule(doctorId: $d, from: $from, to: $to) { id status } }',
      { d: doctor.id, from: start.toISOString(), to: end.toISOString() },
      doctor.token,
    );
    expect(schedule.data?.doctorSchedule).toEqual([{ id, status: 'BOOKED' }]);
    expect((await find(patient.token, doctor.id, start, end)).map((appointment) => appointment.start)).not.toContain(start.toISOString());
  });

  it('answers a $book of a taken time with 409 conflict, and lets exactly one of concurrent $books win', async () => {
    const { start, end } = window(1);
    const [slot] = await find(staff.token, doctor.id, start, end);
    const patients = await Promise.all([0, 1, 2, 3].map(() => registerPatient(server)));
    const results = await Promise.all(patients.map((patient) => bookAs(patient.token, slot as Appointment)));
    expect(results.filter((result) => typeof result !== 'string')).toHaveLength(1);
    expect(results.filter((result) => result === '409 conflict')).toHaveLength(3);
  });

  it('lets staff book for a patient of the practice, and refuses a doctor with 403', async () => {
    const patient = await registerPatient(server);
    const { start, end } = window(1);
    const [first, second] = await find(patient.token, doctor.id, start, end);
    const own = await bookAs(patient.token, first as Appointment);
    expect(own).toMatchObject({ status: 'booked' });
    const forPatient: Appointment = {
      ...(second as Appointment),
      participant: [
        { actor: { reference: `Practitioner/${doctor.id}` }, status: 'needs-action' },
        { actor: { reference: `Patient/${patient.id}` }, status: 'needs-action' },
      ],
    };
    expect(await bookAs(staff.token, forPatient)).toMatchObject({ status: 'booked' });
    expect(await bookAs(doctor.token, forPatient)).toBe('403 forbidden');
  });

  it('cancels with a JSON Patch, for whom may cancel it only', async () => {
    const patient = await registerPatient(server);
    const other = await registerPatient(server);
    const { start, end } = window(1);
    const [slot] = await find(patient.token, doctor.id, start, end);
    const booked = await bookAs(patient.token, slot as Appointment);
    const id = typeof booked === 'string' ? '' : String(booked.id);
    const patch = (token: string, body: unknown, contentType = 'application/json-patch+json') =>
      fetch(`${server.url}/fhir/R4/Appointment/${id}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
        body: JSON.stringify(body),
      });
    const cancel = [
      { op: 'replace', path: '/status', value: 'cancelled' },
      { op: 'add', path: '/cancelationReason', value: { text: 'Feeling better' } },
    ];
    expect((await patch(other.token, cancel)).status).toBe(404);
    expect((await patch(patient.token, cancel, 'application/json')).status).toBe(415);
    expect((await patch(patient.token, [{ op: 'replace', path: '/start', value: start.toISOString() }])).status).toBe(422);
    const response = await patch(patient.token, cancel);
    expect(response.status).toBe(200);
    const cancelled = (await response.json()) as Appointment;
    expectValid(cancelled);
    expect(cancelled).toMatchObject({ id, status: 'cancelled', cancelationReason: { text: 'Feeling better' } });
    const again = await patch(patient.token, cancel);
    expect(again.status).toBe(400);
  });

  it('holds a proposed time with $hold (pending, read back by its id), keeps it from everyone else, and books it with $book of that id', async () => {
    const [patient, other] = [await registerPatient(server), await registerPatient(server)];
    const { start, end } = window(1);
    // Found by staff: a Practitioner participant only, so either patient may send it.
    const [slot] = await find(staff.token, doctor.id, start, end);
    const held = await holdAs(patient.token, slot as Appointment);
    if (typeof held === 'string') throw new Error(`$hold refused: ${held}`);
    expect(held).toMatchObject({
      status: 'pending',
      start: start.toISOString(),
      extension: [{ url: expect.any(String), valueInstant: new Date(clock().getTime() + HOLD_TTL_MS).toISOString() }],
      participant: expect.arrayContaining([{ actor: { reference: `Patient/${patient.id}` }, status: 'tentative' }]),
    });
    const holdId = String(held.id);

    const read = await fetch(`${server.url}/fhir/R4/Appointment/${holdId}`, { headers: { authorization: `Bearer ${patient.token}` } });
    expect(read.status).toBe(200);
    expect(received(await read.json())).toMatchObject({ id: holdId, status: 'pending' });
    const foreign = await fetch(`${server.url}/fhir/R4/Appointment/${holdId}`, { headers: { authorization: `Bearer ${other.token}` } });
    expect(foreign.status).toBe(404);

    // Held: neither proposed by $find, nor free as a Slot, nor bookable or holdable by anyone else.
    expect((await find(other.token, doctor.id, start, end)).map((appointment) => appointment.start)).not.toContain(start.toISOString());
    const slots = await fetch(
      `${server.url}/fhir/R4/Slot?schedule=Schedule/${doctor.id}&start=ge${start.toISOString()}&start=lt${end.toISOString()}`,
      {
        headers: { authorization: `Bearer ${other.token}` },
      },
    );
    const slotBundle = bundleOf(await slots.json());
    expect(
      slotBundle.entry?.find((entry) => entry.resource?.resourceType === 'Slot' && entry.resource.start === start.toISOString())?.resource,
    ).toMatchObject({ status: 'busy' });
    expect(await holdAs(other.token, slot as Appointment)).toBe('409 conflict');
    expect(await bookAs(other.token, slot as Appointment)).toBe('409 conflict');
    // Someone else's hold: 403 naming its patient, 404 (as an unknown id) without.
    expect(await bookAs(other.token, held)).toBe('403 forbidden');
    const withoutPatient = { ...held, participant: [{ actor: { reference: `Practitioner/${doctor.id}` }, status: 'tentative' as const }] };
    expect(await bookAs(other.token, withoutPatient)).toBe('404 not-found');

    const booked = await bookAs(patient.token, held);
    expect(booked).toMatchObject({ id: holdId, status: 'booked', start: start.toISOString() });
    const schedule = await server.gql<{ doctorSchedule: Array<{ id: string; status: string }> }>(
      'query ($d: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { doctorSchedule(doctorId: $d, from: $from, to: $to) { id status } }',
      { d: doctor.id, from: start.toISOString(), to: end.toISOString() },
      doctor.token,
    );
    expect(schedule.data?.doctorSchedule).toEqual([{ id: holdId, status: 'BOOKED' }]);
    expect(await bookAs(patient.token, held)).toBe('404 not-found');
  });

  it('lets exactly one of concurrent $holds of one time win; the rest are 409 conflict', async () => {
    const { start, end } = window(1);
    const [slot] = await find(staff.token, doctor.id, start, end);
    const patients = await Promise.all([0, 1, 2, 3].map(() => registerPatient(server)));
    const results = await Promise.all(patients.map((patient) => holdAs(patient.token, slot as Appointment)));
    expect(results.filter((result) => typeof result !== 'string')).toHaveLength(1);
    expect(results.filter((result) => result === '409 conflict')).toHaveLength(3);
  });

  it('frees a hold when it expires: $book with it is 409 business-rule, and the time is proposed and bookable again', async () => {
    const [patient, other] = [await registerPatient(server), await registerPatient(server)];
    const { start, end } = window(1);
    const [slot] = await find(staff.token, doctor.id, start, end);
    const held = await holdAs(patient.token, slot as Appointment);
    if (typeof held === 'string') throw new Error(`$hold refused: ${held}`);
    clock.advance(HOLD_TTL_MS);
    const read = await fetch(`${server.url}/fhir/R4/Appointment/${String(held.id)}`, {
      headers: { authorization: `Bearer ${patient.token}` },
    });
    expect(read.status).toBe(404);
    expect(await bookAs(patient.token, held)).toBe('409 business-rule');
    expect((await find(other.token, doctor.id, start, end)).map((appointment) => appointment.start)).toContain(start.toISOString());
    expect(await bookAs(other.token, slot as Appointment)).toMatchObject({ status: 'booked', start: start.toISOString() });
  });

  it('lets staff hold for a patient of the practice, and refuses a doctor with 403', async () => {
    const patient = await registerPatient(server);
    const { start, end } = window(1);
    const [first, second] = await find(patient.token, doctor.id, start, end);
    expect(await bookAs(patient.token, first as Appointment)).toMatchObject({ status: 'booked' });
    const forPatient: Appointment = {
      ...(second as Appointment),
      participant: [
        { actor: { reference: `Practitioner/${doctor.id}` }, status: 'needs-action' },
        { actor: { reference: `Patient/${patient.id}` }, status: 'needs-action' },
      ],
    };
    expect(await holdAs(doctor.token, forPatient)).toBe('403 forbidden');
    const held = await holdAs(staff.token, forPatient);
    expect(held).toMatchObject({ status: 'pending' });
    expect(await bookAs(staff.token, held as Appointment)).toMatchObject({ status: 'booked', id: (held as Appointment).id });
  });

  it('refuses bad scheduling input with a precise OperationOutcome and books nothing', async () => {
    const patient = await registerPatient(server);
    const { start } = window(1);
    const cases: Array<[string, unknown, number, string]> = [
      [
        'Appointment/$find',
        { resourceType: 'Parameters', parameter: [{ name: 'end', valueDateTime: start.toISOString() }] },
        400,
        'invalid',
      ],
      ['Appointment/$find', { resourceType: 'Patient' }, 400, 'invalid'],
      ['Appointment/$find', { resourceType: 'Parameters', parameter: [{ name: 'colour', valueString: 'blue' }] }, 400, 'not-supported'],
      [
        'Appointment/$find',
        {
          resourceType: 'Parameters',
          parameter: [
            { name: 'start', valueDateTime: 'tomorrow' },
            { name: 'end', valueDateTime: start.toISOString() },
          ],
        },
        400,
        'invalid',
      ],
      ['Appointment/$book', { resourceType: 'Parameters', parameter: [] }, 400, 'invalid'],
      [
        'Appointment/$book',
        { resourceType: 'Parameters', parameter: [{ name: 'appointment', resource: { resourceType: 'Appointment' } }] },
        400,
        'invalid',
      ],
      ['Appointment/$hold', { resourceType: 'Parameters', parameter: [] }, 400, 'invalid'],
      [
        'Appointment/$hold',
        {
          resourceType: 'Parameters',
          parameter: [
            {
              name: 'appointment',
              resource: {
                resourceType: 'Appointment',
                status: 'booked',
                start: start.toISOString(),
                end: new Date(start.getTime() + 1_800_000).toISOString(),
                participant: [{ actor: { reference: 'Practitioner/' + doctor.id } }],
              },
            },
          ],
        },
        400,
        'invalid',
      ],
      [
        'Appointment/$hold',
        { resourceType: 'Parameters', parameter: [{ name: 'start', valueDateTime: start.toISOString() }] },
        400,
        'not-supported',
      ],
      ['Appointment/$cancel', { resourceType: 'Parameters', parameter: [] }, 400, 'not-supported'],
    ];
    for (const [path, body, status, code] of cases) {
      const { status: got, body: outcome } = await raw(path, patient.token, { method: 'POST', body: JSON.stringify(body) });
      expect({ path, body, status: got, code: outcome.issue[0]?.code }).toEqual({ path, body, status, code });
    }
    const malformed = await raw('Appointment/$book', patient.token, { method: 'POST', body: '{"resourceType": "Parameters",' });
    expect([malformed.status, malformed.body.issue[0]?.code]).toEqual([400, 'structure']);
    const anonymous = await fetch(`${server.url}/fhir/R4/Appointment/$find`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/fhir+json' },
    });
    expect(anonymous.status).toBe(401);
    const appointments = await server.gql<{ me: { id: string } }>('query { me { id } }', {}, patient.token);
    expect(appointments.data?.me.id).toBe(patient.id);
    const search = await fetch(`${server.url}/fhir/R4/Appointment`, { headers: { authorization: `Bearer ${patient.token}` } });
    expect(((await search.json()) as Bundle).total).toBe(0);
  });

  it("charges $book to the account's booking budget, shared with GraphQL: past it, 429 throttled with Retry-After", async () => {
    const limited = await startTestServer(mode, { RATE_LIMIT_BOOKINGS_PER_MINUTE: '2' });
    try {
      const limitedPractice = await createPractice(limited);
      await allowBookingWithoutHours(limited, limitedPractice);
      const limitedDoctor = await joinPractice(limited, limitedPractice, 'DOCTOR');
      const patient = await registerPatient(limited);
      const { start, end } = window(2);
      const viaGraphql = await limited.gql(
        'mutation ($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }',
        { input: { doctorId: limitedDoctor.id, startsAt: new Date(end.getTime() + 3_600_000).toISOString() } },
        patient.token,
      );
      expect(viaGraphql.errors).toBeUndefined();
      const client = async () =>
        new (await import('fhir-kit-client')).Client({ baseUrl: `${limited.url}/fhir/R4`, bearerToken: patient.token });
      const findInput = {
        resourceType: 'Parameters',
        parameter: [
          { name: 'start', valueDateTime: start.toISOString() },
          { name: 'end', valueDateTime: end.toISOString() },
          { name: 'practitioner', valueReference: { reference: `Practitioner/${limitedDoctor.id}` } },
        ],
      };
      const found = bundleOf(await (await client()).operation({ name: '$find', resourceType: 'Appointment', input: findInput }));
      const [first, second] = (found.entry ?? []).map((entry) => entry.resource);
      const book = (appointment: Resource | undefined) =>
        fetch(`${limited.url}/fhir/R4/Appointment/$book`, {
          method: 'POST',
          headers: { authorization: `Bearer ${patient.token}`, 'content-type': 'application/fhir+json' },
          body: JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: 'appointment', resource: appointment }] }),
        });
      expect((await book(first)).status).toBe(200);
      const refused = await book(second);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      const outcome = (await refused.json()) as OperationOutcome;
      expectValid(outcome);
      expect(outcome.issue[0]?.code).toBe('throttled');
    } finally {
      await limited.dispose();
    }
  });
});
