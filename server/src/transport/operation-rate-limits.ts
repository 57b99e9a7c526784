import { getOperationAST, Kind, type DocumentNode, type GraphQLSchema, type SelectionSetNode } from 'graphql';
import { declaredRateLimit, type FieldRateLimit } from '../graphql/rate-limited';
import type { RateLimitName, RateLimits } from '../platform/rate-limits';

/** Who runs an operation, as far as rate limits care. */
export interface OperationCaller {
  readonly userId: string | undefined;
  readonly clientAddress: string;
}

/**
 * Charges an operation's rate-limited root fields before it runs (each alias counts), over HTTP
 * and over the socket alike, so the features stay free of transport concerns: a field declares
 * its limit with @RateLimited (graphql/rate-limited.ts) and this reads it from the schema.
 */
export interface OperationRateLimits {
  /** The rate-limited mutation fields, by name, as the schema declares them. */
  readonly chargedFields: ReadonlyMap<string, FieldRateLimit>;
  /**
   * Spends the operation's points; anonymous callers of account-charged fields are charged per
   * address (they get UNAUTHENTICATED anyway). Throws RATE_LIMITED.
   */
  charge(document: DocumentNode, operationName: string | null | undefined, caller: OperationCaller): Promise<void>;
}

/**
 * Reads the rate-limited fields from the schema once (throws when a declaration is malformed,
 * so the server does not start with a field it cannot charge), then charges operations with them.
 */
export function createOperationRateLimits(schema: GraphQLSchema, rateLimits: RateLimits): OperationRateLimits {
  const chargedFields = new Map<string, FieldRateLimit>();
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    const declared = declaredRateLimit(field.name, field.extensions);
    if (declared) chargedFields.set(field.name, declared);
  }
  return {
    chargedFields,
    async charge(document, operationName, caller) {
      const operation = getOperationAST(document, operationName);
      if (operation?.operation !== 'mutation') return;
      const charges = new Map<string, { limiter: RateLimitName; key: string; points: number }>();
      for (const field of rootFieldNames(document, operation.selectionSet, new Set())) {
        const charged = chargedFields.get(field);
        if (!charged) continue;
        const key = charged.per === 'account' && caller.userId ? `account:${caller.userId}` : `address:${caller.clientAddress}`;
        const id = `${charged.limiter}|${key}`;
        const known = charges.get(id);
        if (known) known.points += 1;
        else charges.set(id, { limiter: charged.limiter, key, points: 1 });
      }
      for (const { limiter, key, points } of charges.values()) await rateLimits.consume(limiter, key, points);
    },
  };
}

function rootFieldNames(document: DocumentNode, selectionSet: SelectionSetNode, seen: Set<string>): string[] {
  const names: string[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) names.push(selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT) names.push(...rootFieldNames(document, selection.selectionSet, seen));
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = document.definitions.find(
        (definition) => definition.kind === Kind.FRAGMENT_DEFINITION && definition.name.value === selection.name.value,
      );
      if (fragment?.kind === Kind.FRAGMENT_DEFINITION) names.push(...rootFieldNames(document, fragment.selectionSet, seen));
    }
  }
  return names;
}

/** "query:doctorPatients": the metrics label of an operation (schema names only, so bounded). */
export function operationLabel(document: DocumentNode | undefined, operationName: string | null | undefined): string {
  const operation = document ? getOperationAST(document, operationName) : null;
  if (!operation || !document) return 'unknown';
  const [first] = rootFieldNames(document, operation.selectionSet, new Set());
  return `${operation.operation}:${first ?? 'none'}`;
}
