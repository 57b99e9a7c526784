import { GraphQLScalarType, type ValueNode } from 'graphql';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import { EARLIEST_YEAR, isYearInRange, LATEST_YEAR } from '../platform/validation';

const base = GraphQLDateTimeISO.toConfig();

function inRange(value: unknown): Date {
  if (!(value instanceof Date) || !isYearInRange(value.getUTCFullYear())) {
    // A plain error: graphql-js then prefixes where it was found (variable and path, or the literal).
    throw new TypeError(`DateTimeISO must be between ${EARLIEST_YEAR} and ${LATEST_YEAR}.`);
  }
  return value;
}

/**
 * graphql-scalars' DateTimeISO (the scalar type-graphql maps Date to, same name and description,
 * so schema.graphql is unchanged) that also refuses years outside 1900-2200, for every date
 * argument and input field at once. A refused variable is BAD_USER_INPUT with graphql-js naming
 * it and its path (`Variable "$input" got invalid value ... at "input.startsAt"`); a refused
 * literal is a validation error, BAD_USER_INPUT too. Year 0000 in doctorSchedule was a 500.
 */
export const BoundedDateTimeISO = new GraphQLScalarType<Date, string>({
  ...base,
  serialize: (value) => GraphQLDateTimeISO.serialize(value),
  parseValue: (value) => inRange(base.parseValue?.(value)),
  parseLiteral: (ast: ValueNode, variables) => inRange(base.parseLiteral?.(ast, variables)),
});
