// The outbox's main path (OutboxDispatcher.publishCommitted): a transaction's events are sent
// together, in the order they were written, not each after the answer to the one before; the
// marks wait for all of them, and none is marked when one fails (the sweep publishes them again).
import { EventEmitter } from 'node:events';
import { patientAddedPayload } from '../../test/helpers/patient-added';
import { AppointmentTopic } from '../features/appointments/appointments.events';
import { parseConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import type { SqlDatabase, Statement } from '../platform/sql';
import type { PendingEvent } from './outbox';
import { OutboxDispatcher } from './outbox-dispatcher';
import type { AppPubSub } from './pubsub';
import { streamMessage, type StreamMessage, type TopicName } from './topics';

function event(stream: string, seq: number): PendingEvent<TopicName> {
  const payload = patientAddedPayload(seq, 'doctor-1');
  return {
    eventId: BigInt(seq),
    createdAt: new Date(0),
    stream,
    seq,
    payload,
    message: streamMessage(seq, AppointmentTopic.PatientAdded, payload),
  };
}

/** A publisher whose answers the test gives, one by one; and the statements the dispatcher ran. */
function setUp() {
  const sent: Array<{ stream: string; message: StreamMessage; answer: (error?: Error) => void }> = [];
  const pubSub = {
    events: new EventEmitter(),
    publish: (stream: string, message: StreamMessage) =>
      new Promise<void>((resolve, reject) => sent.push({ stream, message, answer: (error) => (error ? reject(error) : resolve()) })),
  } as unknown as AppPubSub;
  const statements: string[] = [];
  const sql = {
    query: (statement: Statement) => {
      statements.push(statement.name);
      return Promise.resolve([]);
    },
  } as unknown as SqlDatabase;
  const options = parseConfig({ NODE_ENV: 'test' }).outbox;
  const dispatcher = new OutboxDispatcher(sql, pubSub, createLogger({ logLevel: 'silent' }), options, () => new Date(0));
  return { dispatcher, sent, statements };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

it("sends a transaction's events together, in order, and marks them once all are answered", async () => {
  const { dispatcher, sent, statements } = setUp();
  const done = dispatcher.publishCommitted([event('doctor:1', 7), event('practice:1', 3)]);
  await settle();
  // Both are out before the first is answered.
  expect(sent.map(({ stream, message }) => [stream, message.seq])).toEqual([
    ['doctor:1', 7],
    ['practice:1', 3],
  ]);
  sent[1]!.answer();
  await settle();
  expect(statements).toEqual([]);
  sent[0]!.answer();
  await done;
  expect(statements).toEqual(['outbox_mark_published']);
});

it('marks none of them when one fails: the sweep publishes them again', async () => {
  const { dispatcher, sent, statements } = setUp();
  const done = dispatcher.publishCommitted([event('doctor:1', 8), event('practice:1', 4)]);
  await settle();
  sent[0]!.answer(new Error('connection lost'));
  sent[1]!.answer();
  await done;
  await dispatcher.idle();
  expect(statements).toEqual([]);
});
