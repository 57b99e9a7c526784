import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { badUserInput } from '../../platform/errors';

/** Longest phone text accepted before parsing (a formatted international number is far shorter). */
const MAX_PHONE_TEXT = 40;

/**
 * A phone number in E.164 ("+14155552671") from what a user typed ("+1 (415) 555-2671"), checked
 * against libphonenumber's full metadata (`/max`: the number's length and ranges for its country).
 * The country code is required: CareLine has no notion of the user's country to guess it from.
 * BAD_USER_INPUT on `phone` otherwise.
 */
export function parsePhone(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length > MAX_PHONE_TEXT) throw badUserInput('That phone number is too long.', 'phone');
  if (!trimmed.startsWith('+'))
    throw badUserInput('Write the phone number with its country code, starting with + (e.g. +1 415 555 2671).', 'phone');
  const parsed = parsePhoneNumberFromString(trimmed);
  if (!parsed?.isValid()) throw badUserInput('That is not a valid phone number.', 'phone');
  return parsed.number;
}

/** The same number in E.164 when it is one, else undefined (inbound texts' From, which Twilio sends in E.164). */
export function e164OrUndefined(text: string): string | undefined {
  const parsed = parsePhoneNumberFromString(text.trim());
  return parsed?.isValid() ? parsed.number : undefined;
}
