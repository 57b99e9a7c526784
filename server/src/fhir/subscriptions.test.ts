import type { Appointment } from '@medplum/fhirtypes';
import { BindingTokens } from './binding-tokens';
import { notificationBundle } from './notifications';
import { FhirError } from './outcome';
import { parseCriteria, streamOf } from './subscription-streams';

const doctorId = '0b6f5cbe-7a55-4e9a-9a43-3f1f0f7f4c11';
const subscriptionId = '5d2c1a34-2f5e-4d8e-9c1b-7a6e5f4d3c2b';

it('accepts the two criteria served, with or without the type in the reference, and names their stream', () => {
  expect(parseCriteria(`Appointment?practitioner=Practitioner/${doctorId}`)).toEqual({ practitionerId: doctorId });
  expect(parseCriteria(`Appointment?practitioner=${doctorId}`)).toEqual({ practitionerId: doctorId });
  expect(parseCriteria(`Appointment?patient=Patient/${doctorId}`)).toEqual({ patientId: doctorId });
  expect(streamOf({ practitionerId: doctorId })).toBe(`doctor:${doctorId}`);
  expect(streamOf({ patientId: doctorId })).toBe(`patient:${doctorId}`);
});

it.each([
  'Appointment',
  `Observation?patient=Patient/${doctorId}`,
  `Appointment?practitioner=Patient/${doctorId}`,
  `Appointment?practitioner=Practitioner/${doctorId}&status=booked`,
  'Appointment?patient=Patient/not-a-uuid',
])('refuses the criteria %s with 400 invalid', (criteria) => {
  expect(() => parseCriteria(criteria)).toThrow(FhirError);
  try {
    parseCriteria(criteria);
  } catch (error) {
    expect(error).toMatchObject({ status: 400, code: 'invalid' });
  }
});

it('shapes an event notification as Medplum reads it: the status first, numbered, then the full resource', () => {
  const appointment: Appointment = { resourceType: 'Appointment', id: 'a1', status: 'booked', participant: [] };
  const bundle = notificationBundle({
    type: 'event-notification',
    subscriptionIds: [subscriptionId],
    events: [{ eventNumber: 7, appointment }],
    content: 'full-resource',
    latestEventNumber: 7,
    base: 'http://localhost:4000/fhir/R4',
    now: new Date('2027-01-01T00:00:00Z'),
  });
  expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'history', timestamp: '2027-01-01T00:00:00.000Z' });
  expect(bundle.entry?.[0]?.resource).toMatchObject({
    resourceType: 'SubscriptionStatus',
    type: 'event-notification',
    subscription: { reference: `Subscription/${subscriptionId}` },
    eventsSinceSubscriptionStart: '7',
    notificationEvent: [{ eventNumber: '7', focus: { reference: 'Appointment/a1' } }],
  });
  expect(bundle.entry?.[1]).toMatchObject({ fullUrl: 'http://localhost:4000/fhir/R4/Appointment/a1', resource: appointment });
  // id-only: the status alone.
  expect(
    notificationBundle({
      type: 'event-notification',
      subscriptionIds: [subscriptionId],
      events: [{ eventNumber: 7, appointment }],
      content: 'id-only',
      base: '',
      now: new Date(),
    }).entry,
  ).toHaveLength(1);
});

it('verifies its own binding tokens only, until they expire', async () => {
  let now = new Date('2027-01-01T00:00:00Z');
  const tokens = new BindingTokens('a-secret-that-is-long-enough-for-hs256-signing', () => now);
  const claims = { userId: doctorId, role: 'DOCTOR' as const, sessionId: subscriptionId, subscriptionId };
  const { token, expiresAt } = await tokens.sign(claims);
  expect(await tokens.verify(token)).toEqual(claims);
  expect(await new BindingTokens('another-secret-that-is-long-enough-for-signing', () => now).verify(token)).toBeUndefined();
  expect(await tokens.verify('not-a-token')).toBeUndefined();
  now = new Date(expiresAt.getTime() + 1000);
  expect(await tokens.verify(token)).toBeUndefined();
});
