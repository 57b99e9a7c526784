import { badUserInput } from './errors';

/**
 * Every date a client may send lies in [1900, 2200]: wider than any appointment, birth or day off,
 * narrow enough that date arithmetic and PostgreSQL never see year 0 or 275760.
 */
export const EARLIEST_YEAR = 1900;
export const LATEST_YEAR = 2200;

/** True for an instant in EARLIEST_YEAR..LATEST_YEAR (UTC years, inclusive). */
export function isYearInRange(year: number): boolean {
  return Number.isInteger(year) && year >= EARLIEST_YEAR && year <= LATEST_YEAR;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a UUID as our ids are; anything else cannot name a row, so callers answer NOT_FOUND. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * A trimmed text field within bounds, or BAD_USER_INPUT naming the field. Blank optional text
 * becomes null so "no reason" is stored one way.
 */
export function optionalText(value: string | null | undefined, field: string, maxLength: number): string | null {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') return null;
  if (trimmed.length > maxLength) throw badUserInput(`${field} must be at most ${maxLength} characters.`, field);
  return trimmed;
}

/** Like optionalText, but blank is BAD_USER_INPUT too. */
export function requiredText(value: string | null | undefined, field: string, maxLength: number): string {
  const text = optionalText(value, field, maxLength);
  if (text === null) throw badUserInput(`${field} is required.`, field);
  return text;
}
