// EventStreams on PostgreSQL and Redis: subscribers of one stream share its reader, and one that
// resumes from a cursor behind the shared reader gets the stored events up to where it joined,
// then the live ones, each once and in order, while bookings keep committing.
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../../test/helpers/test-server';
import { patientAddedPayload } from '../../test/helpers/patient-added';
import { takeSeqs } from '../../test/helpers/sequences';
import { AppointmentTopic } from '../features/appointments/appointments.events';
import { encodeEventCursor } from './cursors';

describe('EventStreams on PostgreSQL and Redis', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('services');
  });
  afterAll(async () => {
    await server.dispose();
  });

  const emit = (stream: string, doctorId: string) =>
    server.services.transactions.run(async (tx) =>
      tx.emit(stream, AppointmentTopic.PatientAdded, (seq) => patientAddedPayload(seq, doctorId)),
    );

  const subscribe = (stream: string, after?: number) =>
    server.services.events.subscribe({
      stream,
      topic: AppointmentTopic.PatientAdded,
      after: after === undefined ? null : encodeEventCursor(after),
      authorize: () => undefined,
    });

  it('hands a resuming subscriber from the stored events to the shared live ones without a gap or a repeat', async () => {
    const doctorId = randomUUID();
    const stream = `doctor:${doctorId}`;
    for (let i = 0; i < 5; i += 1) await emit(stream, doctorId);
    const live = await subscribe(stream);
    // Events the shared reader passes on before the resuming subscriber joins...
    for (let i = 0; i < 3; i += 1) await emit(stream, doctorId);
    expect(await takeSeqs(live, 3)).toEqual([6, 7, 8]);
    // ...and while its stored part is read.
    const committing = (async () => {
      for (let i = 0; i < 20; i += 1) await emit(stream, doctorId);
    })();
    const resumed = await subscribe(stream, 2);
    expect(server.services.events.subscriberCount(stream)).toBe(2);
    await committing;
    expect(await takeSeqs(resumed, 26)).toEqual(Array.from({ length: 26 }, (_, i) => i + 3));
    expect(await takeSeqs(live, 20)).toEqual(Array.from({ length: 20 }, (_, i) => i + 9));
    // A cursor ahead of the shared reader: only what comes after it.
    const ahead = await subscribe(stream, 30);
    for (let i = 0; i < 3; i += 1) await emit(stream, doctorId);
    expect(await takeSeqs(ahead, 1)).toEqual([31]);

    await Promise.all([live.return?.(), resumed.return?.(), ahead.return?.()]);
    expect(server.services.events.subscriberCount(stream)).toBe(0);
    expect(server.pubSub.subscriberCount(stream)).toBe(0);
  });
});
