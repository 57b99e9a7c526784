import { randomUUID } from 'node:crypto';
import { decodeStoredEvent } from '../../live/outbox';
import { decodeWireMessage, UndecodableMessage } from '../../live/topics';
import { AppointmentTopic, type PatientAddedPayload } from './appointments.events';

// The trust boundary of delivery: what comes back from the events table or Redis is checked
// against its topic's schema before anything typed sees it (live/topics.ts).

function patientAdded(seq: number): PatientAddedPayload {
  const startsAt = new Date(Date.now() + 86_400_000);
  return {
    seq,
    doctorId: randomUUID(),
    firstVisit: true,
    patient: { id: randomUUID(), name: 'Ada', dateOfBirth: null },
    appointment: {
      id: randomUUID(),
      doctorId: randomUUID(),
      patientId: randomUUID(),
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 1_800_000).toISOString(),
      status: 'BOOKED',
      reason: null,
    },
  };
}

describe('decoding stored and received events', () => {
  const refusals: string[] = [];
  const onUndecodable = (seq: number, error: UndecodableMessage) => refusals.push(`${seq}: ${error.message}`);
  beforeEach(() => (refusals.length = 0));

  it('turns a stored row (as JSON text too, as the embedded database returns it) into its typed message', () => {
    const payload = patientAdded(7);
    const expected = { seq: 7, topic: AppointmentTopic.PatientAdded, payload };
    expect(decodeStoredEvent({ seq: 7n, topic: 'PATIENT_ADDED', payload }, onUndecodable)).toEqual(expected);
    expect(decodeStoredEvent({ seq: 7, topic: 'PATIENT_ADDED', payload: JSON.stringify(payload) }, onUndecodable)).toEqual(expected);
    expect(refusals).toEqual([]);
  });

  it('leaves out a row of a topic this code does not know, rather than deliver it to the wrong subscription', () => {
    expect(decodeStoredEvent({ seq: 1, topic: 'SOMETHING_ELSE', payload: {} }, onUndecodable)).toBeUndefined();
    expect(refusals).toEqual(['1: unknown topic SOMETHING_ELSE']);
  });

  it('leaves out a row whose payload does not match its topic, naming the field but not its value', () => {
    const altered = { ...patientAdded(3), appointment: { ...patientAdded(3).appointment, startsAt: 'next tuesday' } };
    expect(decodeStoredEvent({ seq: 3, topic: 'PATIENT_ADDED', payload: altered }, onUndecodable)).toBeUndefined();
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatch(/^3: payload of PATIENT_ADDED does not match its schema \(appointment\.startsAt/);
    expect(refusals[0]).not.toContain('next tuesday');
  });

  it('decodes a pub/sub message with its commit time, and refuses one that is not a stream message', () => {
    const payload = patientAdded(2);
    expect(decodeWireMessage({ seq: 2, topic: 'PATIENT_ADDED', payload, committedAtMs: 12.5 })).toEqual({
      message: { seq: 2, topic: 'PATIENT_ADDED', payload },
      committedAtMs: 12.5,
    });
    expect(() => decodeWireMessage({ seq: 'two', topic: 'PATIENT_ADDED', payload })).toThrow(UndecodableMessage);
    expect(() => decodeWireMessage({ seq: 2, topic: 'PATIENT_ADDED', payload: { ...payload, firstVisit: 'yes' } })).toThrow(/firstVisit/);
  });
});
