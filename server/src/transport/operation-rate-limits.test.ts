import { GraphQLObjectType, GraphQLSchema, GraphQLString, parse } from 'graphql';
import type { RateLimitName, RateLimits } from '../platform/rate-limits';
import { buildAppSchema } from '../graphql-schema';
import { createOperationRateLimits } from './operation-rate-limits';

type Consumed = { limiter: RateLimitName; key: string; points: number };

function recordingRateLimits(consumed: Consumed[]): RateLimits {
  return {
    async consume(limiter, key, points = 1) {
      consumed.push({ limiter, key, points });
    },
    store: () => 'memory',
    async close() {},
  };
}

describe('operation rate limits', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildAppSchema();
  });

  it('reads exactly the rate-limited mutations, and their budgets, from the built schema', () => {
    // A field that loses its @RateLimited (or is renamed without it) fails here, not silently.
    const { chargedFields } = createOperationRateLimits(schema, recordingRateLimits([]));
    expect(Object.fromEntries(chargedFields)).toEqual({
      bookAppointment: { limiter: 'bookings', per: 'account' },
      cancelAppointment: { limiter: 'appointmentChanges', per: 'account' },
      rescheduleAppointment: { limiter: 'appointmentChanges', per: 'account' },
      completeAppointment: { limiter: 'appointmentChanges', per: 'account' },
      confirmAppointment: { limiter: 'appointmentChanges', per: 'account' },
      holdSlot: { limiter: 'bookings', per: 'account' },
      register: { limiter: 'registrations', per: 'address' },
    });
  });

  it('charges every alias and fragment spread of a charged field, per account, in one consume per budget', async () => {
    const consumed: Consumed[] = [];
    const limits = createOperationRateLimits(schema, recordingRateLimits(consumed));
    const document = parse(`
      mutation Change {
        a: bookAppointment(input: { doctorId: "d", startsAt: "2030-01-01T09:00:00Z" }) { id }
        b: bookAppointment(input: { doctorId: "d", startsAt: "2030-01-01T10:00:00Z" }) { id }
        ... on Mutation { cancelAppointment(id: "x") { id } }
        ...Completion
        login(email: "e", password: "p") { token }
      }
      fragment Completion on Mutation { completeAppointment(id: "y") { id } }
    `);
    await limits.charge(document, 'Change', { userId: 'u1', clientAddress: '10.0.0.1' });
    expect(consumed).toEqual([
      { limiter: 'bookings', key: 'account:u1', points: 2 },
      { limiter: 'appointmentChanges', key: 'account:u1', points: 2 },
    ]);
  });

  it('charges anonymous callers and address-charged fields per client address', async () => {
    const consumed: Consumed[] = [];
    const limits = createOperationRateLimits(schema, recordingRateLimits(consumed));
    await limits.charge(parse('mutation { cancelAppointment(id: "x") { id } }'), undefined, {
      userId: undefined,
      clientAddress: '10.0.0.1',
    });
    await limits.charge(
      parse('mutation { register(input: { email: "e", password: "p", name: "n", role: PATIENT }) { token } }'),
      undefined,
      {
        userId: 'u1',
        clientAddress: '10.0.0.2',
      },
    );
    expect(consumed).toEqual([
      { limiter: 'appointmentChanges', key: 'address:10.0.0.1', points: 1 },
      { limiter: 'registrations', key: 'address:10.0.0.2', points: 1 },
    ]);
  });

  it('charges nothing for queries, nor for the practice desk’s check-in and no-show', async () => {
    const consumed: Consumed[] = [];
    const limits = createOperationRateLimits(schema, recordingRateLimits(consumed));
    await limits.charge(parse('query { me { id } }'), undefined, { userId: 'u1', clientAddress: '10.0.0.1' });
    await limits.charge(parse('mutation { checkInAppointment(id: "x") { id } markNoShow(id: "y") { id } }'), undefined, {
      userId: 'u1',
      clientAddress: '10.0.0.1',
    });
    expect(consumed).toEqual([]);
  });

  it('refuses a schema whose rate-limit declaration names no known limiter', () => {
    const mutation = new GraphQLObjectType({
      name: 'Mutation',
      fields: { renamed: { type: GraphQLString, extensions: { rateLimit: { limiter: 'booking', per: 'account' } } } },
    });
    const query = new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLString } } });
    expect(() => createOperationRateLimits(new GraphQLSchema({ query, mutation }), recordingRateLimits([]))).toThrow(
      /Field renamed: extensions.rateLimit/,
    );
  });
});
