import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  type ASTVisitor,
  type GraphQLCompositeType,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

// Two shapes graphql-armor has no rule for. Both walk fragments too, so a spread cannot hide a
// field; fragment cycles are refused by graphql-js's own NoFragmentCyclesRule, and `seen` keeps
// this walk finite even before that rule has reported them.

/**
 * At most `max` fields at the top of an operation (root fields through fragments counted too):
 * each root field is its own database work, and aliases alone would let one request repeat it.
 */
export function maxRootFieldsRule(max: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const count = countFields(context, operation.selectionSet, new Set());
      if (count > max) {
        context.reportError(new GraphQLError(`Root field limit of ${max} exceeded, found ${count}.`, { nodes: [operation] }));
      }
    },
  });
}

function countFields(context: ValidationContext, selectionSet: SelectionSetNode, seen: Set<string>): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) count += selection.name.value.startsWith('__') ? 0 : 1;
    else if (selection.kind === Kind.INLINE_FRAGMENT) count += countFields(context, selection.selectionSet, seen);
    else if (!seen.has(selection.name.value)) {
      const fragment = context.getFragment(selection.name.value);
      if (fragment) count += countFields(context, fragment.selectionSet, new Set([...seen, selection.name.value]));
    }
  }
  return count;
}

/**
 * Caps the fan-out of nested lists, which multiplies rows per level (a 170-byte query through the
 * Patient.appointments / Appointment.patient cycle built an IN list of 65,536 ids):
 * - a list field may not appear inside itself (`Patient.appointments` under `Patient.appointments`):
 *   the cycle adds no information, only rows;
 * - at most `maxNesting` list fields on one path.
 */
export function maxListNestingRule(maxNesting: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const root = context.getSchema().getRootType(operation.operation);
      if (!root) return;
      const problem = walk(context, operation.selectionSet, root, [], new Set(), maxNesting);
      if (problem) context.reportError(new GraphQLError(problem, { nodes: [operation] }));
    },
  });
}

function walk(
  context: ValidationContext,
  selectionSet: SelectionSetNode,
  parent: GraphQLCompositeType,
  lists: readonly string[],
  fragments: ReadonlySet<string>,
  maxNesting: number,
): string | undefined {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (!selection.selectionSet || !(isObjectType(parent) || isInterfaceType(parent))) continue;
      const field = parent.getFields()[selection.name.value];
      if (!field) continue; // unknown fields are FieldsOnCorrectTypeRule's to report
      const type = getNamedType(field.type);
      if (!isCompositeType(type)) continue;
      const coordinate = `${parent.name}.${field.name}`;
      let inner = lists;
      if (isListType(getNullableType(field.type))) {
        if (lists.includes(coordinate)) return `List fan-out limit: ${coordinate} may not be selected inside itself (a cycle).`;
        inner = [...lists, coordinate];
        if (inner.length > maxNesting) {
          return `List nesting limit of ${maxNesting} exceeded, found ${inner.length} (${inner.join(' > ')}).`;
        }
      }
      const problem = walk(context, selection.selectionSet, type, inner, fragments, maxNesting);
      if (problem) return problem;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const condition = selection.typeCondition ? context.getSchema().getType(selection.typeCondition.name.value) : parent;
      const problem = walk(context, selection.selectionSet, isCompositeType(condition) ? condition : parent, lists, fragments, maxNesting);
      if (problem) return problem;
    } else if (!fragments.has(selection.name.value)) {
      const fragment = context.getFragment(selection.name.value);
      const condition = fragment ? context.getSchema().getType(fragment.typeCondition.name.value) : undefined;
      if (!fragment || !isCompositeType(condition)) continue;
      const problem = walk(context, fragment.selectionSet, condition, lists, new Set([...fragments, selection.name.value]), maxNesting);
      if (problem) return problem;
    }
  }
  return undefined;
}
