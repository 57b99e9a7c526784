import {
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type ParseOptions,
  type ValidationRule,
} from 'graphql';

/** A query text the socket may run, or why it may not (errors coded as Apollo codes them). */
export type PreparedDocument = { readonly document: DocumentNode } | { readonly errors: readonly GraphQLError[] };

export interface DocumentCacheOptions {
  /** WS_DOCUMENT_CACHE_BYTES: query text kept (the documents it parsed to are proportional); 0 keeps none. */
  readonly maxBytes: number;
  /** graphql-js parse options: the token limit. */
  readonly parseOptions: ParseOptions;
  /** Run after graphql-js's specified rules: the operation limits. */
  readonly validationRules: readonly ValidationRule[];
}

/** Validation errors reported per refused document: a flood of broken documents cannot make long answers. */
const MAX_VALIDATION_ERRORS = 10;

/**
 * graphql-ws parses and validates every subscribe message on its own, and each subscription keeps
 * its document for its whole life: about 13 KB of AST per open dashboard. Every dashboard sends
 * the same text, so this parses and validates each distinct text once and subscriptions share the
 * (never mutated) AST. Only documents that passed validation are kept, least recently used
 * dropped first once their texts exceed `maxBytes`: client-chosen text, invalid or one-off, can
 * never grow it beyond that (400 distinct invalid 20 KB documents took the old cache, which kept
 * parsed documents before validating them, from 553 MB to 1.49 GB).
 */
export function createDocumentCache(options: DocumentCacheOptions) {
  const rules = [...specifiedRules, ...options.validationRules];
  const documents = new Map<string, { schema: GraphQLSchema; document: DocumentNode }>();
  let bytes = 0;

  const remember = (query: string, schema: GraphQLSchema, document: DocumentNode) => {
    const size = Buffer.byteLength(query, 'utf8');
    if (size > options.maxBytes) return;
    while (bytes + size > options.maxBytes) {
      const oldest = documents.keys().next().value;
      if (oldest === undefined) break;
      documents.delete(oldest);
      bytes -= Buffer.byteLength(oldest, 'utf8');
    }
    documents.set(query, { schema, document });
    bytes += size;
  };

  return {
    /** The shared validated document of `query`, or the parse/validation errors that refuse it. */
    prepare(schema: GraphQLSchema, query: string): PreparedDocument {
      const known = documents.get(query);
      if (known?.schema === schema) {
        documents.delete(query); // refresh its place in the LRU order
        documents.set(query, known);
        return { document: known.document };
      }
      let document: DocumentNode;
      try {
        document = parse(query, options.parseOptions);
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        return { errors: [coded(error, 'GRAPHQL_PARSE_FAILED')] };
      }
      const errors = validate(schema, document, rules, { maxErrors: MAX_VALIDATION_ERRORS });
      if (errors.length > 0) return { errors: errors.map((error) => coded(error, 'GRAPHQL_VALIDATION_FAILED')) };
      remember(query, schema, document);
      return { document };
    },
    /** Bytes of query text kept, and how many documents (for tests and metrics). */
    get size() {
      return { bytes, documents: documents.size };
    },
  };
}

export type DocumentCache = ReturnType<typeof createDocumentCache>;

/** The error with the code Apollo gives the same failure over HTTP, so both transports answer alike. */
function coded(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { ...error.extensions, code },
  });
}
