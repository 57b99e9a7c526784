import {
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSchema,
  GraphQLString,
  parse,
} from 'graphql';
import { costIsFixed, createOperationLimits } from './operation-limits';

// A schema with the one field whose results grow with its arguments, and a plain list beside it.
const Instant = new GraphQLScalarType({
  name: 'DateTime',
  parseValue: (value) => new Date(String(value)),
  parseLiteral: (node) => (node.kind === 'StringValue' ? new Date(node.value) : undefined),
});
const Slot = new GraphQLObjectType({ name: 'Slot', fields: { startsAt: { type: GraphQLString } } });
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      availableSlots: {
        type: new GraphQLList(Slot),
        args: {
          from: { type: new GraphQLNonNull(Instant) },
          to: { type: new GraphQLNonNull(Instant) },
          durationMinutes: { type: new GraphQLNonNull(GraphQLInt) },
        },
      },
      doctors: { type: new GraphQLList(Slot), args: { first: { type: GraphQLInt } } },
    },
  }),
});

const limits = createOperationLimits({
  maxDepth: 10,
  maxCost: 5_000,
  maxListNesting: 3,
  maxAliases: 15,
  maxRootFields: 10,
  maxDirectives: 10,
  maxTokens: 1_000,
  maxBytes: 10_000,
  introspection: false,
  slotsMaxResults: 2_000,
});

// Seven days in 5-minute slots: 2,016 possible results, just past the limit.
const WEEK = { from: '2027-03-01T00:00:00Z', to: '2027-03-08T00:00:00Z', durationMinutes: 5 };

describe('operation cost and slots', () => {
  it('counts the slots of an availableSlots field written in a fragment, under an alias', () => {
    const document = parse(`
      query Week($from: DateTime!, $to: DateTime!, $durationMinutes: Int!) { ...Free }
      fragment Free on Query { free: availableSlots(from: $from, to: $to, durationMinutes: $durationMinutes) { startsAt } }
    `);
    expect(limits.checkCost(schema, document, WEEK)?.message).toMatch(/Slot limit of 2000 exceeded: .* 2016 slots/);
    expect(limits.checkCost(schema, document, { ...WEEK, durationMinutes: 15 })).toBeUndefined();
  });

  it('costs a document without availableSlots by its lists, and refuses variables that do not coerce', () => {
    const document = parse('query Doctors($first: Int) { doctors(first: $first) { startsAt } }');
    expect(limits.checkCost(schema, document, { first: 10 })).toBeUndefined();
    expect(limits.checkCost(schema, document, { first: 6_000 })?.message).toMatch(/Query cost limit of 5000 exceeded/);
    expect(limits.checkCost(schema, document, { first: 'many' })?.extensions['code']).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('documents whose cost no variable changes', () => {
  it('tells them from documents where a variable sits in `first`, in availableSlots or in a directive', () => {
    expect(costIsFixed(parse('query D($id: ID) { doctors(first: 5) { startsAt } other: doctors { startsAt } }'))).toBe(true);
    expect(costIsFixed(parse('query D($first: Int = 5) { doctors(first: $first) { startsAt } }'))).toBe(false);
    expect(
      costIsFixed(parse('query S($d: Int!) { availableSlots(from: "2027-03-01", to: "2027-03-08", durationMinutes: $d) { startsAt } }')),
    ).toBe(false);
    expect(costIsFixed(parse('query D($all: Boolean!) { doctors @include(if: $all) { startsAt } }'))).toBe(false);
    expect(costIsFixed(parse('query D($all: Boolean!) { ...F } fragment F on Query { doctors { startsAt @skip(if: $all) } }'))).toBe(false);
  });

  it('answers each call by its own variables where they count, even after an earlier call was cheap', () => {
    const document = parse(`
      query Week($withSlots: Boolean!) {
        availableSlots(from: "${WEEK.from}", to: "${WEEK.to}", durationMinutes: 5) @include(if: $withSlots) { startsAt }
      }
    `);
    expect(limits.checkCost(schema, document, { withSlots: false })).toBeUndefined();
    expect(limits.checkCost(schema, document, { withSlots: true })?.message).toMatch(/Slot limit of 2000 exceeded/);
  });

  it('refuses a fixed-cost document over the limit on every call, whatever its other variables', () => {
    const document = parse('query Many($note: String) { doctors(first: 6000) { startsAt } }');
    for (const note of ['a', 'b', undefined]) {
      expect(limits.checkCost(schema, document, { note })?.message).toMatch(/Query cost limit of 5000 exceeded, found 6001/);
    }
    const cheap = parse('query Few($note: String) { doctors(first: 10) { startsAt } }');
    expect(limits.checkCost(schema, cheap, { note: 'a' })).toBeUndefined();
    expect(limits.checkCost(schema, cheap, { note: 'b' })).toBeUndefined();
  });

  it('still refuses variables that do not coerce once the cost is known', () => {
    // Over a socket nothing else turns graphql-js's coercion error into BAD_USER_INPUT.
    const document = parse('query Few($note: String) { doctors(first: 10) { startsAt } }');
    expect(limits.checkCost(schema, document, { note: 'a' })).toBeUndefined();
    const refused = limits.checkCost(schema, document, { note: 5 });
    expect(refused?.extensions['code']).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(refused?.message).toMatch(/\$note/);
  });
});
