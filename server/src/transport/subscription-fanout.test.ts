import { GraphQLID, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString, parse, type ExecutionResult } from 'graphql';
import { createLogger } from '../platform/logger';
import { doctorStream } from '../live/outbox';
import { createPubSub, type AppPubSub } from '../live/pubsub';
import { createSharedSubscribe, viewerRightsKey } from './subscription-fanout';
import { Topic } from '../live/topics';

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
            return pubSub.subscribe(doctorStream(args.doctorId));
          },
          resolve: (event: unknown) => event,
        },
      },
    }),
  });
}

const DOCUMENT = parse('subscription Watch($doctorId: ID!) { events(doctorId: $doctorId) { seq seenBy } }');
const doctor = (userId: string): TestContext => ({ viewer: { userId, role: 'DOCTOR' } });
const leave = (stream: AsyncIterableIterator<unknown>) => stream.return?.() ?? Promise.resolve();

describe('createSharedSubscribe', () => {
  let pubSub: AppPubSub;
  const executions = { count: 0 };
  let schema: GraphQLSchema;
  const subscribe = createSharedSubscribe(viewerRightsKey);

  beforeEach(() => {
    pubSub = createPubSub({ redisUrl: undefined, redisPrefix: 'test:' }, createLogger({ logLevel: 'silent' }));
    executions.count = 0;
    schema = testSchema(pubSub, executions);
  });
  afterEach(() => pubSub.close());

  const open = async (doctorId: string, contextValue: TestContext) => {
    const result = await subscribe({ schema, document: DOCUMENT, variableValues: { doctorId }, contextValue });
    if (!(Symbol.asyncIterator in result)) throw new Error(`expected a stream, got ${JSON.stringify(result)}`);
    return result;
  };
  const publish = (doctorId: string, seq: number) =>
    pubSub.publish(doctorStream(doctorId), { seq, topic: Topic.PatientAdded, payload: { seq } as never });

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
});
