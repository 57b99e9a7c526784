import type * as graphql from 'graphql';
import { buildSchema, GraphQLError, validate } from 'graphql';
import { createDocumentCache } from './document-cache';

// graphql's own validate, counted: "validated once" is a number of calls, not an equal result.
jest.mock('graphql', () => {
  const actual = jest.requireActual<typeof graphql>('graphql');
  return { ...actual, validate: jest.fn(actual.validate) };
});
const validations = jest.mocked(validate);
beforeEach(() => validations.mockClear());

const schema = buildSchema('type Query { hello: String }');

describe('createDocumentCache', () => {
  it('parses the same query text once and hands every caller the same document', () => {
    const cache = createDocumentCache();
    const first = cache.parse('{ hello }');
    expect(cache.parse('{ hello }')).toBe(first);
    expect(cache.parse('{ hello  }')).not.toBe(first);
  });

  it('validates a shared document once per schema and still reports invalid ones every time', () => {
    const cache = createDocumentCache();
    const valid = cache.parse('{ hello }');
    const first = cache.validate(schema, valid);
    expect(first).toEqual([]);
    expect(cache.validate(schema, valid)).toBe(first);
    expect(cache.validate(schema, cache.parse('{ hello }'))).toBe(first);
    expect(validations).toHaveBeenCalledTimes(1);

    const invalid = cache.parse('{ goodbye }');
    expect(cache.validate(schema, invalid)[0]).toBeInstanceOf(GraphQLError);
    expect(cache.validate(schema, invalid)).toHaveLength(1);
    expect(validations).toHaveBeenCalledTimes(3);

    const otherSchema = buildSchema('type Query { other: String }');
    expect(cache.validate(otherSchema, valid)).toHaveLength(1);
    expect(validations).toHaveBeenCalledTimes(4);
  });

  it('throws the syntax error of a malformed text on every attempt', () => {
    const cache = createDocumentCache();
    expect(() => cache.parse('{ hello')).toThrow(GraphQLError);
    expect(() => cache.parse('{ hello')).toThrow(GraphQLError);
  });
});
