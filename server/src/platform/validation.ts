import { badUserInput } from './errors';

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
