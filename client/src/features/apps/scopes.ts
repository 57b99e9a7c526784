/**
 * The scopes an app may be registered with (SMART v2, the server's accounts/app-scopes.ts), in the
 * words the consent page shows the user.
 */
export const APP_SCOPES: ReadonlyArray<{ readonly scope: string; readonly words: string }> = [
  { scope: 'openid', words: 'Know who the user is (their CareLine account id)' },
  { scope: 'fhirUser', words: 'Know their role and profile' },
  { scope: 'offline_access', words: 'Stay connected when the user is away (until revoked)' },
  { scope: 'patient/Appointment.rs', words: "See the patient's appointments" },
  { scope: 'patient/Appointment.cu', words: "Book, move and cancel the patient's appointments" },
  { scope: 'patient/Observation.rs', words: "See the patient's vital signs" },
  { scope: 'patient/Slot.rs', words: 'See doctors and their free times' },
  { scope: 'user/Appointment.rs', words: 'See the appointments the user can see (schedules)' },
  { scope: 'user/Patient.rs', words: 'See the patients the user can see' },
  { scope: 'launch/patient', words: 'Know which patient record it works with' },
];
