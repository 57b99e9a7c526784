import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';

/** The first GraphQL error's public code and input field (shared/API.md), for messages next to a field. */
export interface ApiProblem {
  readonly code: string | undefined;
  readonly field: string | undefined;
  readonly message: string;
}

/**
 * The API's input field names as a person reads them, for messages next to a field. The API's
 * messages name its fields ("startsAt must be in the future."): useful to an integrator, not to a
 * patient, so the client rewrites the messages it shows.
 */
const FIELD_NAMES: Readonly<Record<string, string>> = {
  startsAt: 'The time',
  durationMinutes: 'The duration',
  doctorId: 'The doctor',
  reason: 'The reason',
  email: 'The email address',
  password: 'The password',
  newPassword: 'The new password',
  name: 'The name',
  dateOfBirth: 'The date of birth',
  specialty: 'The specialty',
  invitationCode: 'The invitation code',
  heartRate: 'Heart rate',
  systolic: 'Systolic pressure',
  diastolic: 'Diastolic pressure',
  temperatureC: 'Temperature',
  spo2Percent: 'SpO₂',
  respiratoryRate: 'Respiratory rate',
  weightKg: 'Weight',
  url: 'The address',
  events: 'The events',
};

/** Messages whose whole text is replaced (matched on the API's field and message). */
const PLAIN_MESSAGES: ReadonlyArray<{ field: string; match: RegExp; message: string }> = [
  { field: 'startsAt', match: /must be in the future/, message: 'Choose a time in the future.' },
  {
    field: 'timeZone',
    match: /is not an IANA time zone/,
    message: 'Enter a time zone by its region and city, for example Europe/London or America/New_York.',
  },
];

/** The API's message for `field` in plain language: no API field names. */
export function plainMessage(field: string | undefined, message: string): string {
  if (field === undefined) return message;
  const whole = PLAIN_MESSAGES.find((entry) => entry.field === field && entry.match.test(message));
  if (whole) return whole.message;
  const name = FIELD_NAMES[field];
  const lead = name && message.startsWith(`${field} `) ? name : '';
  const rest = lead ? message.slice(field.length) : message;
  // Fields named inside the sentence ("systolic must be higher than diastolic.").
  return lead + rest.replace(/\b[a-z]+[A-Z]\w*\b|\b(systolic|diastolic)\b/g, (word) => FIELD_NAMES[word]?.toLowerCase() ?? word);
}

export function apiProblem(error: unknown): ApiProblem {
  if (CombinedGraphQLErrors.is(error)) {
    const first = error.errors[0];
    const code = first?.extensions?.['code'];
    const field = typeof first?.extensions?.['field'] === 'string' ? first.extensions['field'] : undefined;
    return {
      code: typeof code === 'string' ? code : undefined,
      field,
      message: plainMessage(field, first?.message ?? error.message),
    };
  }
  if (ServerError.is(error) && (error.statusCode === 503 || error.statusCode === 429)) {
    // Still refused as busy after the retries (busy-retry.ts).
    return { code: 'RATE_LIMITED', field: undefined, message: 'The server is busy right now. Please try again in a moment.' };
  }
  return { code: undefined, field: undefined, message: 'The server could not be reached. Check your connection and try again.' };
}
