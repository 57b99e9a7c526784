import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  BREAK,
  getNullableType,
  getVariableValues,
  GraphQLError,
  isListType,
  Kind,
  NoSchemaIntrospectionCustomRule,
  type ASTNode,
  type DocumentNode,
  type GraphQLSchema,
  type ParseOptions,
  type ValidationContext,
  type ValidationRule,
  visit,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import type { Config } from '../platform/config';
import { maxListNestingRule, maxRootFieldsRule } from './operation-shape-rules';

/** How many items a list without a `first` argument is assumed to hold when estimating cost. */
export const ASSUMED_LIST_SIZE = 20;
/**
 * Longest string anywhere in the variables. A backstop: each field has its own, smaller bound in
 * its service (notes 10,000, reason 500, names 200...) with a message naming it.
 */
export const MAX_VARIABLE_STRING_LENGTH = 20_000;

export type OperationLimitsConfig = Pick<
  Config['graphql'],
  | 'maxDepth'
  | 'maxCost'
  | 'maxListNesting'
  | 'maxAliases'
  | 'maxRootFields'
  | 'maxDirectives'
  | 'maxTokens'
  | 'maxBytes'
  | 'introspection'
  | 'slotsMaxResults'
>;

/**
 * The limits every operation meets before it runs, the same over HTTP (Apollo's parseOptions,
 * validationRules and a didResolveOperation check) and over the socket (the document cache and
 * onSubscribe). Each refusal names its limit; the error formatter gives it BAD_USER_INPUT.
 */
export interface OperationLimits {
  /** graphql-js stops lexing after this many tokens ("Document contains more than N tokens"). */
  readonly parseOptions: ParseOptions;
  /** Depth, aliases, directives (graphql-armor), root fields, list fan-out, introspection when off. */
  readonly validationRules: readonly ValidationRule[];
  /** Query text over this many bytes is refused before parsing. */
  readonly maxBytes: number;
  /** A refusal when the query text is too long, else undefined. */
  checkSize(query: string): GraphQLError | undefined;
  /** A refusal when a string in the variables is longer than MAX_VARIABLE_STRING_LENGTH or holds U+0000 (PostgreSQL cannot store it), naming its path. */
  checkVariables(variables: Record<string, unknown> | undefined): GraphQLError | undefined;
  /**
   * The estimated cost, weighted by `first` and list sizes (`availableSlots` by the slots it can
   * return), against OPERATION_MAX_COST, and the slots all `availableSlots` fields together could
   * return against SLOTS_MAX_RESULTS; needs the variables.
   */
  checkCost(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Record<string, unknown> | undefined,
    operationName?: string | null,
  ): GraphQLError | undefined;
}

/** A rejection from graphql-armor reported like any validation error (instead of thrown out of validate). */
const report = {
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
};

export function createOperationLimits(config: OperationLimitsConfig): OperationLimits {
  // The walks are most of the check's time (every booking request pays it): a document whose
  // cost its variables cannot change is measured once per operation.
  const fixedCosts = new FixedCosts();
  const validationRules: ValidationRule[] = [
    maxDepthRule({ n: config.maxDepth, ignoreIntrospection: true, flattenFragments: true, ...report }),
    maxAliasesRule({ n: config.maxAliases, ...report }),
    maxDirectivesRule({ n: config.maxDirectives, ...report }),
    maxRootFieldsRule(config.maxRootFields),
    maxListNestingRule(config.maxListNesting),
  ];
  if (!config.introspection) validationRules.push(NoSchemaIntrospectionCustomRule);

  return {
    parseOptions: { maxTokens: config.maxTokens },
    validationRules,
    maxBytes: config.maxBytes,
    checkSize(query) {
      const bytes = Buffer.byteLength(query, 'utf8');
      if (bytes <= config.maxBytes) return undefined;
      return limitError(`Query size limit of ${config.maxBytes} bytes exceeded, found ${bytes}.`);
    },
    checkVariables(variables) {
      const found = badStringPath(variables, '$', 0);
      if (!found) return undefined;
      return limitError(
        found.nul
          ? `A string may not contain U+0000 (at ${found.path}).`
          : `String length limit of ${MAX_VARIABLE_STRING_LENGTH} exceeded at ${found.path}.`,
      );
    },
    checkCost(schema, document, variables, operationName) {
      const measure = (estimator: ComplexityEstimator) =>
        getComplexity({
          schema,
          query: document,
          variables: variables ?? {},
          operationName: operationName ?? undefined,
          estimators: [estimator],
        });
      const fixed = costIsFixed(document) ? fixedCosts.forDocument(schema, document) : undefined;
      let measured = fixed?.get(operationName ?? '');
      if (measured) {
        // The walk below also coerces the variables; without it, a variable that does not coerce
        // is still refused here, as before (over a socket nothing else would make it BAD_USER_INPUT).
        const uncoerced = coercionError(schema, document, variables, operationName);
        if (uncoerced) return limitError(uncoerced);
      } else {
        try {
          // The same walk twice (aliases, fragments, @skip/@include, variables): the slots alone, then
          // the cost. The first only where an `availableSlots` field is written: nothing else has slots.
          measured = { slots: asksForSlots(document) ? measure(slotResults) : 0, cost: measure(listWeightedCost) };
        } catch (error) {
          // Variables that do not coerce: the same refusal execution would give, only earlier.
          return limitError(error instanceof Error ? error.message : 'The variables do not match the operation.');
        }
        fixed?.set(operationName ?? '', measured);
      }
      const { slots, cost } = measured;
      if (slots > config.slotsMaxResults) {
        return limitError(
          `Slot limit of ${config.slotsMaxResults} exceeded: the availableSlots fields of this operation could return ${slots} slots. Ask for a shorter range or longer slots.`,
        );
      }
      if (cost <= config.maxCost) return undefined;
      return limitError(`Query cost limit of ${config.maxCost} exceeded, found ${cost}.`);
    },
  };
}

/**
 * 1 per field, plus its selection times how many items it may return: the `first` argument when
 * it has one, ASSUMED_LIST_SIZE for other lists, 1 otherwise. A connection's `edges` are as many
 * as its parent's `first`, which was counted already.
 */
const listWeightedCost: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  // Introspection (the playground's schema query) is bounded by the schema, not by data.
  if (type.name.startsWith('__') || field.name.startsWith('__')) return 1 + childComplexity;
  const slots = slotsOf(type.name, field.name, args);
  if (slots !== undefined) return 1 + slots;
  const first: unknown = args['first'];
  let items = 1;
  if (typeof first === 'number' && first > 0) items = first;
  else if (isListType(getNullableType(field.type)) && !(field.name === 'edges' && type.name.endsWith('Connection')))
    items = ASSUMED_LIST_SIZE;
  return 1 + items * childComplexity;
};

/** The field whose result grows with its arguments rather than with stored rows: a time cut into slots. */
const SLOT_FIELD = { type: 'Query', field: 'availableSlots' } as const;

/**
 * How many slots `availableSlots` can return with these (coerced, defaults applied) arguments:
 * its range cut into slots of `durationMinutes`, rounded up. undefined for any other field. An
 * upper bound, not a guess: past times, days off and bookings only remove slots.
 */
export function slotsOf(typeName: string, fieldName: string, args: Record<string, unknown>): number | undefined {
  if (typeName !== SLOT_FIELD.type || fieldName !== SLOT_FIELD.field) return undefined;
  const { from, to, durationMinutes } = args;
  if (!(from instanceof Date) || !(to instanceof Date) || typeof durationMinutes !== 'number' || durationMinutes <= 0) return 0;
  const rangeMs = to.getTime() - from.getTime();
  if (!(rangeMs > 0)) return 0; // refused by the resolver anyway
  return Math.ceil(rangeMs / (durationMinutes * 60_000));
}

/** Whether the document (any of its operations and fragments) has an `availableSlots` field; once per parsed document. */
function asksForSlots(document: DocumentNode): boolean {
  let found = slotDocuments.get(document);
  if (found === undefined) {
    found = false;
    visit(document, {
      Field(node) {
        if (node.name.value !== SLOT_FIELD.field) return undefined;
        found = true;
        return BREAK;
      },
    });
    slotDocuments.set(document, found);
  }
  return found;
}

/** Parsed documents are cached and shared (Apollo's document store, the socket server's cache). */
const slotDocuments = new WeakMap<DocumentNode, boolean>();

/**
 * Whether no variable can change the document's cost or slots: none is written in a `first`
 * argument, in an argument of `availableSlots`, or in a directive (`@skip(if: $x)` removes a
 * field). Other variables (a booking's time, a patient's id) leave the walk's result as it is.
 * Once per parsed document.
 */
export function costIsFixed(document: DocumentNode): boolean {
  let fixed = fixedDocuments.get(document);
  if (fixed === undefined) {
    const dependsOn = (node: ASTNode) => {
      let seen = false;
      visit(node, {
        Variable() {
          seen = true;
          return BREAK;
        },
      });
      return seen;
    };
    let depends = false;
    visit(document, {
      VariableDefinition: () => false, // its default value is not a use
      Directive(node) {
        if (!dependsOn(node)) return false;
        depends = true;
        return BREAK;
      },
      Field(node) {
        const costly = node.name.value === SLOT_FIELD.field ? node.arguments : node.arguments?.filter((arg) => arg.name.value === 'first');
        if (!costly?.some(dependsOn)) return undefined;
        depends = true;
        return BREAK;
      },
    });
    fixed = !depends;
    fixedDocuments.set(document, fixed);
  }
  return fixed;
}

const fixedDocuments = new WeakMap<DocumentNode, boolean>();

/**
 * Why the variables do not coerce to the operation's variable definitions, as getComplexity
 * finds it (the operations it walks: the named one, or every one; the last error), or undefined.
 */
function coercionError(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | null | undefined,
): string | undefined {
  let found: string | undefined;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    if (typeof operationName === 'string' && operationName !== definition.name?.value) continue;
    const { errors } = getVariableValues(schema, definition.variableDefinitions ?? [], variables ?? {});
    found = errors?.at(-1)?.message ?? found;
  }
  return found;
}

type Measured = { readonly slots: number; readonly cost: number };

/** The measured cost of fixed-cost documents, per schema, document and operation name. */
class FixedCosts {
  private readonly bySchema = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, Measured>>>();

  forDocument(schema: GraphQLSchema, document: DocumentNode): Map<string, Measured> {
    let documents = this.bySchema.get(schema);
    if (!documents) this.bySchema.set(schema, (documents = new WeakMap()));
    let operations = documents.get(document);
    if (!operations) documents.set(document, (operations = new Map()));
    return operations;
  }
}

/** Only the slots: what SLOTS_MAX_RESULTS bounds, summed over every `availableSlots` in the operation. */
const slotResults: ComplexityEstimator = ({ type, field, args, childComplexity }) =>
  slotsOf(type.name, field.name, args) ?? childComplexity;

/** Where a too-long or NUL-holding string sits in a JSON value ("$input.notes"), if anywhere. */
function badStringPath(value: unknown, path: string, depth: number): { path: string; nul: boolean } | undefined {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) return { path, nul: true };
    return value.length > MAX_VARIABLE_STRING_LENGTH ? { path, nul: false } : undefined;
  }
  if (typeof value !== 'object' || value === null || depth > 64) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = badStringPath(item, Array.isArray(value) ? `${path}[${key}]` : depth === 0 ? `$${key}` : `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** A refusal before execution: GRAPHQL_VALIDATION_FAILED, which clients see as BAD_USER_INPUT. */
export function limitError(message: string): GraphQLError {
  // http: the status Apollo answers with when this is thrown from a plugin (not a 500).
  return new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } });
}
