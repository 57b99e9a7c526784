import { GraphQLID, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString, parse, type ExecutionResult } from 'graphql';
import { markCommitted } from '../live/commit-times';
import { SlowConsumerError } from '../live/event-streams';
import { createPubSub, type AppPubSub } from '../live/pubsub';
import { doctorStream } from '../live/streams';
import { streamMessage } from '../live/topics';
import { createLogger } from '../platform/logger';
import { createSharedSubscribe } from './subscription-fanout';

type TestContext = { viewer?: { userId: string; role: 'DOCTOR' | 'PATIENT' } };

/** A schema whose event field counts its executions and shows who asked. */
function testSchema(pubSub: AppPubSub, executions: { count: number }) {
  const Event = new GraphQLObjectType<{ seq: number }, TestContext>({
    name: 'Event',
    fields: {
      seq: { type: GraphQLString, resolve: (event) => String(event.seq) },
      seenBy: {
        type: GraphQLString,
        resolve: (_event, _args, context) => {
          executions.count += 1;
          return context.viewer?.userId ?? 'nobody';
        },
      },
    },
  });
  return new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLString } } }),
    subscription: new GraphQLObjectType<unknown, TestContext>({
      name: 'Subscription',
      fields: {
        events: {
          type: Event,
          args: { doctorId: { type: new GraphQLNonNull(GraphQLID) } },
          subscribe: (_root, args: { doctorId: string }) => {
            if (args.doctorId === 'forbidden') throw new Error('FORBIDDEN');
            if (args.doctorId === 'slow') return slowStream();
            return pubSub.subscribe(doctorStream(args.doctorId));
          },
          resolve: (event: unknown) => event,
        },
      },
    }),
  });
}

/** A source whose consumer has fallen behind: its first pull throws, as EventStreams' does. */
function slowStream(): AsyncIterableIterator<unknown> {
  const stream: AsyncIterableIterator<unknown> = {
    next: () => Promise.reject(new SlowConsumerError()),
    return: () => Promise.resolve({ value: undefined, done: true }),
    [Symbol.asyncIterator]: () => stream,
  };
  return stream;
}

const DOCUMENT = parse('subscription Watch($doctorId: ID!) { events(doctorId: $doctorId) { seq seenBy } }');
const doctor = (userId: string): TestContext => ({ viewer: { userId, role: 'DOCTOR' } });
const leave = (stream: AsyncIterableIterator<unknown>) => stream.return?.() ?? Promise.resolve();

describe('createSharedSubscribe', () => {
  let pubSub: AppPubSub;
  const executions = { count: 0 };
  let schema: GraphQLSchema;
  const slowConsumers: unknown[] = [];
  const options = {
    rightsKey: (contextValue: unknown) => (contextValue as TestContext).viewer?.userId ?? 'anonymous',
    onSlowConsumer: (contextValue: unknown) => slowConsumers.push(contextValue),
  };
  const subscribe = createSharedSubscribe({ ...options, exposeCommitTimes: false });

  beforeEach(() => {
    pubSub = createPubSub({ url: undefined, clusterNodes: undefined, prefix: 'test:' }, createLogger({ logLevel: 'silent' }));
    executions.count = 0;
    slowConsumers.length = 0;
    schema = testSchema(pubSub, executions);
  });
  afterEach(() => pubSub.close());

  const open = async (doctorId: string, contextValue: TestContext, subscribeWith = subscribe) => {
    const result = await subscribeWith({ schema, document: DOCUMENT, variableValues: { doctorId }, contextValue });
    if (!(Symbol.asyncIterator in result)) throw new Error(`expected a stream, got ${JSON.stringify(result)}`);
    return result;
  };
  // The test schema's events are the stream messages themselves; it reads only `seq`, so the
  // payload stands in for a real topic's.
  const message = (seq: number) => streamMessage(seq, 'PATIENT_ADDED', { seq } as never);
  const publish = (doctorId: string, seq: number, event = message(seq)) => pubSub.publish(doctorStream(doctorId), event);

  it('executes an event once for every subscriber asking the same thing with the same rights', async () => {
    const screens = await Promise.all([open('d1', doctor('d1')), open('d1', doctor('d1')), open('d1', doctor('d1'))]);
    const received = Promise.all(screens.map((screen) => screen.next()));
    await publish('d1', 1);
    const results = (await received).map((r) => r.value as ExecutionResult);
    expect(results.map((r) => r.data)).toEqual(Array(3).fill({ events: { seq: '1', seenBy: 'd1' } }));
    expect(executions.count).toBe(1);
    await Promise.all(screens.map(leave));
  });

  it('executes separately for subscribers with different rights, each seeing their own view', async () => {
    const mine = await open('d1', doctor('d1'));
    const other = await open('d1', doctor('someone-else'));
    const received = Promise.all([mine.next(), other.next()]);
    await publish('d1', 7);
    const [a, b] = await received;
    expect((a.value as ExecutionResult).data).toEqual({ events: { seq: '7', seenBy: 'd1' } });
    expect((b.value as ExecutionResult).data).toEqual({ events: { seq: '7', seenBy: 'someone-else' } });
    expect(executions.count).toBe(2);
    await Promise.all([leave(mine), leave(other)]);
  });

  it('executes again for each new event', async () => {
    const screen = await open('d1', doctor('d1'));
    for (const seq of [1, 2]) {
      const next = screen.next();
      await publish('d1', seq);
      expect(((await next).value as ExecutionResult).data).toEqual({ events: { seq: String(seq), seenBy: 'd1' } });
    }
    expect(executions.count).toBe(2);
    await leave(screen);
  });

  it('releases the pub/sub subscription at once when a subscriber leaves while waiting for an event', async () => {
    const screen = await open('d2', doctor('d2'));
    const pending = screen.next();
    expect(pubSub.subscriberCount(doctorStream('d2'))).toBe(1);
    await leave(screen);
    expect(pubSub.subscriberCount(doctorStream('d2'))).toBe(0);
    await expect(pending).resolves.toEqual({ value: undefined, done: true });
  });

  it("returns the subscribe resolver's error as a result instead of a stream", async () => {
    const result = await subscribe({ schema, document: DOCUMENT, variableValues: { doctorId: 'forbidden' }, contextValue: doctor('x') });
    expect(Symbol.asyncIterator in result).toBe(false);
    expect((result as ExecutionResult).errors?.[0]?.message).toBe('FORBIDDEN');
  });

  it('closes the socket of a subscriber whose stream gave up on it, and ends that operation quietly', async () => {
    const context = doctor('d3');
    const screen = await open('slow', context);
    await expect(screen.next()).resolves.toEqual({ value: undefined, done: true });
    expect(slowConsumers).toEqual([context]);
  });

  it('adds the commit time as a result extension only when asked to, and never to replayed events', async () => {
    const timed = createSharedSubscribe({ ...options, exposeCommitTimes: true });
    const screen = await open('d4', doctor('d4'), timed);
    const plain = await open('d4', doctor('d4'));
    const live = message(1);
    markCommitted(live, 1234.5);
    const received = Promise.all([screen.next(), plain.next()]);
    await publish('d4', 1, live);
    const [withTime, without] = (await received).map((r) => r.value as ExecutionResult);
    expect(withTime?.extensions).toEqual({ committedAtMs: 1234.5 });
    expect(without?.extensions).toBeUndefined();
    const replayed = screen.next();
    await publish('d4', 2);
    expect(((await replayed).value as ExecutionResult).extensions).toBeUndefined();
    await Promise.all([leave(screen), leave(plain)]);
  });
});
