import type * as graphql from 'graphql';
import { buildSchema, validate } from 'graphql';
import { createDocumentCache, type PreparedDocument } from './document-cache';

// graphql's own validate, counted: "validated once" is a number of calls, not an equal result.
jest.mock('graphql', () => {
  const actual = jest.requireActual<typeof graphql>('graphql');
  return { ...actual, validate: jest.fn(actual.validate) };
});
const validations = jest.mocked(validate);
beforeEach(() => validations.mockClear());

const schema = buildSchema('type Query { hello: String }');
const options = { maxBytes: 1024, parseOptions: { maxTokens: 100 }, validationRules: [] };

const documentOf = (prepared: PreparedDocument) => ('document' in prepared ? prepared.document : undefined);
const codesOf = (prepared: PreparedDocument) => ('errors' in prepared ? prepared.errors.map((error) => error.extensions['code']) : []);

describe('createDocumentCache', () => {
  it('parses and validates the same query text once and hands every caller the same document', () => {
    const cache = createDocumentCache(options);
    const first = documentOf(cache.prepare(schema, '{ hello }'));
    expect(first).toBeDefined();
    expect(documentOf(cache.prepare(schema, '{ hello }'))).toBe(first);
    expect(validations).toHaveBeenCalledTimes(1);
    expect(documentOf(cache.prepare(schema, '{ hello  }'))).not.toBe(first);
    expect(validations).toHaveBeenCalledTimes(2);
  });

  it('keeps no invalid document, and answers each with coded errors every time', () => {
    const cache = createDocumentCache(options);
    expect(codesOf(cache.prepare(schema, '{ goodbye }'))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(codesOf(cache.prepare(schema, '{ hello'))).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(codesOf(cache.prepare(schema, '{ hello')).length).toBe(1);
    expect(cache.size).toEqual({ bytes: 0, documents: 0 });
  });

  it('refuses a document over the token limit at parse time', () => {
    const cache = createDocumentCache(options);
    const prepared = cache.prepare(schema, `{ ${'hello '.repeat(200)}}`);
    expect(codesOf(prepared)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect('errors' in prepared && prepared.errors[0]?.message).toMatch(/100 tokens/);
  });

  it('stays within its byte budget, forgetting the least recently used text first', () => {
    const cache = createDocumentCache({ ...options, maxBytes: 40 });
    const texts = ['{ hello }', '{ hello  }', '{ hello   }', '{ hello    }', '{ hello     }']; // 9 to 13 bytes
    const kept = texts.slice(0, 3).map((text) => documentOf(cache.prepare(schema, text)));
    expect(documentOf(cache.prepare(schema, texts[0]!))).toBe(kept[0]); // now the most recently used
    for (const text of texts.slice(3)) cache.prepare(schema, text);
    expect(cache.size.bytes).toBeLessThanOrEqual(40);
    expect(documentOf(cache.prepare(schema, texts[0]!))).toBe(kept[0]);
    expect(documentOf(cache.prepare(schema, texts[1]!))).not.toBe(kept[1]);
  });

  it('keeps nothing with a budget of 0', () => {
    const cache = createDocumentCache({ ...options, maxBytes: 0 });
    cache.prepare(schema, '{ hello }');
    expect(cache.size.documents).toBe(0);
  });
});
