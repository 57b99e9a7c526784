import { parse, validate, type DocumentNode, type GraphQLError, type GraphQLSchema, type ParseOptions, type Source } from 'graphql';

/** How many distinct query texts are kept parsed (client-chosen text, so bounded; oldest forgotten first). */
const MAX_DOCUMENTS = 500;
/** Longer texts are parsed every time (a dashboard's subscription is a few hundred bytes). */
const MAX_CACHED_LENGTH = 20_000;

/**
 * graphql-ws parses and validates every subscribe message on its own, and each subscription keeps
 * its document for its whole life: about 13 KB of AST per open dashboard, half of a socket's
 * memory, plus a validation per connect. Every dashboard sends the same text, so this parses each
 * distinct text once and validates each document once per schema; subscriptions share the (never
 * mutated) AST. Errors are not cached: a bad document throws or fails validation every time.
 */
export function createDocumentCache() {
  const documents = new Map<string, DocumentNode>();
  const validations = new WeakMap<DocumentNode, { schema: GraphQLSchema; errors: readonly GraphQLError[] }>();

  return {
    parse(source: string | Source, options?: ParseOptions): DocumentNode {
      if (typeof source !== 'string' || options !== undefined || source.length > MAX_CACHED_LENGTH) return parse(source, options);
      const known = documents.get(source);
      if (known) return known;
      const document = parse(source);
      if (documents.size >= MAX_DOCUMENTS) documents.delete(documents.keys().next().value!);
      documents.set(source, document);
      return document;
    },
    validate(schema: GraphQLSchema, document: DocumentNode, ...rest: unknown[]): readonly GraphQLError[] {
      if (rest.some((arg) => arg !== undefined)) return validate(schema, document, ...(rest as []));
      const known = validations.get(document);
      if (known?.schema === schema) return known.errors;
      const errors = validate(schema, document);
      if (errors.length === 0) validations.set(document, { schema, errors });
      return errors;
    },
  };
}
