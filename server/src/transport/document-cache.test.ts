import { buildSchema, GraphQLError } from 'graphql';
import { createDocumentCache } from './document-cache';

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
    expect(cache.validate(schema, valid)).toEqual([]);
    expect(cache.validate(schema, valid)).toEqual([]);
    const invalid = cache.parse('{ goodbye }');
    expect(cache.validate(schema, invalid)[0]).toBeInstanceOf(GraphQLError);
    expect(cache.validate(schema, invalid)).toHaveLength(1);
    const otherSchema = buildSchema('type Query { other: String }');
    expect(cache.validate(otherSchema, valid)).toHaveLength(1);
  });

  it('throws the syntax error of a malformed text on every attempt', () => {
    const cache = createDocumentCache();
    expect(() => cache.parse('{ hello')).toThrow(GraphQLError);
    expect(() => cache.parse('{ hello')).toThrow(GraphQLError);
  });
});
