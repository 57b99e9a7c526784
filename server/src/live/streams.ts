/**
 * Stream names: one outbox stream (and one pub/sub channel) per party whose dashboard follows it.
 * A stream's sequence orders its events; a subscriber only ever reads streams it may see.
 */

/** The stream of one doctor's events. */
export const doctorStream = (doctorId: string) => `doctor:${doctorId}`;

/** The stream of one patient's own events (their appointments and vitals). */
export const patientStream = (patientId: string) => `patient:${patientId}`;

/** The stream of one practice: every booking and appointment change of its doctors (the front desk follows it). */
export const practiceStream = (practiceId: string) => `practice:${practiceId}`;
