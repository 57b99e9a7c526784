/**
 * The scopes a third-party app may ask for (SMART App Launch v2 syntax, ../shared/API.md "Round 3"),
 * each with the words the consent page shows. An app's token carries the ones its user allowed;
 * the transport refuses an operation whose scope is not among them (transport/scope-gate.ts), and
 * the services still decide what the user may do: a scope never adds a right, it only narrows.
 */
export const APP_SCOPES = {
  openid: 'Know who you are (your CareLine account id)',
  fhirUser: 'Know your role and profile (doctor, patient or staff)',
  offline_access: 'Stay connected when you are not using it (until you revoke it)',
  'patient/Appointment.rs': 'See your appointments',
  'patient/Appointment.cu': 'Book, move and cancel your appointments',
  'patient/Observation.rs': 'See your vital signs',
  'patient/Slot.rs': 'See doctors and their free times',
  'user/Appointment.rs': 'See the appointments you can see in CareLine (schedules, patient lists)',
  'user/Patient.rs': 'See the patients you can see in CareLine',
  'launch/patient': 'Know which patient record it works with',
} as const;

export type AppScope = keyof typeof APP_SCOPES;

export function isAppScope(value: string): value is AppScope {
  return Object.hasOwn(APP_SCOPES, value);
}

/** The scopes of a space-separated `scope` string that CareLine knows (others are dropped). */
export function parseScopes(scope: string | undefined): AppScope[] {
  return [...new Set((scope ?? '').split(' ').filter(isAppScope))];
}
