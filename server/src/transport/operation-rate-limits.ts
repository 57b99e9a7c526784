import { getOperationAST, Kind, type DocumentNode, type SelectionSetNode } from 'graphql';
import type { RateLimitName, RateLimits } from '../platform/rate-limits';

/** Which root fields spend which budget, and whose: the signed-in account's, or the client address's. */
const CHARGED_FIELDS: Readonly<Record<string, { limiter: RateLimitName; per: 'account' | 'address' }>> = {
  bookAppointment: { limiter: 'bookings', per: 'account' },
  cancelAppointment: { limiter: 'appointmentChanges', per: 'account' },
  rescheduleAppointment: { limiter: 'appointmentChanges', per: 'account' },
  completeAppointment: { limiter: 'appointmentChanges', per: 'account' },
  register: { limiter: 'registrations', per: 'address' },
};

/**
 * Charges an operation's rate-limited root fields before it runs (each alias counts), over HTTP
 * and over the socket alike, so the features stay free of transport concerns. Anonymous callers
 * of account-charged fields are charged per address (they get UNAUTHENTICATED anyway). Throws
 * RATE_LIMITED.
 */
export async function chargeOperation(
  rateLimits: RateLimits,
  document: DocumentNode,
  operationName: string | null | undefined,
  who: { readonly userId: string | undefined; readonly clientAddress: string },
): Promise<void> {
  const operation = getOperationAST(document, operationName);
  if (operation?.operation !== 'mutation') return;
  const charges = new Map<string, { limiter: RateLimitName; key: string; points: number }>();
  for (const field of rootFieldNames(document, operation.selectionSet, new Set())) {
    const charged = CHARGED_FIELDS[field];
    if (!charged) continue;
    const key = charged.per === 'account' && who.userId ? `account:${who.userId}` : `address:${who.clientAddress}`;
    const id = `${charged.limiter}|${key}`;
    const known = charges.get(id);
    if (known) known.points += 1;
    else charges.set(id, { limiter: charged.limiter, key, points: 1 });
  }
  for (const { limiter, key, points } of charges.values()) await rateLimits.consume(limiter, key, points);
}

function rootFieldNames(document: DocumentNode, selectionSet: SelectionSetNode, seen: Set<string>): string[] {
  const names: string[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) names.push(selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT) names.push(...rootFieldNames(document, selection.selectionSet, seen));
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = document.definitions.find((definition) => definition.kind === Kind.FRAGMENT_DEFINITION && definition.name.value === selection.name.value);
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
