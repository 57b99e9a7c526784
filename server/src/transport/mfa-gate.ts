import { getOperationAST, Kind, type DocumentNode, type GraphQLError, type SelectionSetNode } from 'graphql';
import type { Viewer } from '../accounts/authorization';
import { mfaRequired } from '../platform/errors';

/**
 * What an account that must use MFA and has none yet may still do (MFA_REQUIRED_ROLES): see
 * who it is, enroll, and end or renew its session. Everything else waits for enrollment.
 */
export const MFA_EXEMPT_ROOT_FIELDS: ReadonlySet<string> = new Set([
  'me',
  'startMfaEnrollment',
  'confirmMfaEnrollment',
  'logout',
  'refreshToken',
  '__typename',
]);

/**
 * The MFA gate, over HTTP and over the socket alike (before anything executes): MFA_REQUIRED
 * when the viewer's role must use a second factor, the account has none, and the operation asks
 * for anything but the exempt root fields. The whole operation is refused, so nothing of it runs.
 */
export function mfaGateRefusal(
  viewer: Viewer | undefined,
  document: DocumentNode,
  operationName?: string | null,
): GraphQLError | undefined {
  if (!viewer?.secondFactorMissing) return undefined;
  const operation = getOperationAST(document, operationName ?? undefined);
  if (operation && rootFields(document, operation.selectionSet).every((name) => MFA_EXEMPT_ROOT_FIELDS.has(name))) return undefined;
  return mfaRequired('Your role must sign in with two-step verification: set it up first (startMfaEnrollment, then confirmMfaEnrollment).');
}

/** The root field names an operation selects, through fragments (a spread or an inline fragment at the root). */
function rootFields(document: DocumentNode, selectionSet: SelectionSetNode, seen = new Set<string>()): string[] {
  const names: string[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) names.push(selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT) names.push(...rootFields(document, selection.selectionSet, seen));
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = document.definitions.find(
        (definition) => definition.kind === Kind.FRAGMENT_DEFINITION && definition.name.value === selection.name.value,
      );
      // An unknown fragment never validates; counting it as a field keeps the gate closed.
      if (fragment?.kind === Kind.FRAGMENT_DEFINITION) names.push(...rootFields(document, fragment.selectionSet, seen));
      else names.push(selection.name.value);
    }
  }
  return names;
}
