import { Role } from '../generated/prisma/enums';
import { forbidden, unauthenticated } from '../platform/errors';
import type { RequestMeta } from './request-meta';

/**
 * Who is asking, as proven by a verified token. The decisions about roles and people are made by
 * the functions in this file, so a new role (front-desk staff, practice admin) is added here once
 * rather than in every service; decisions that speak a feature's words (which appointment action
 * is allowed) live in that feature's .policy.ts and build on these.
 */
export interface Viewer {
  readonly userId: string;
  readonly role: Role;
  /** The sign-in behind the token (sessions.ts); revoking it ends this viewer everywhere. */
  readonly sessionId: string;
  /**
   * Seconds since the epoch when the viewer's session ends (SESSION_MAX_AGE after sign-in). A
   * long-lived socket follows its session, not its first token: clients renew tokens over HTTP.
   */
  readonly sessionExpiresAt: number;
  /** The token generation the viewer's token was issued for (refreshToken rotates it; sessions.ts). */
  readonly tokenGeneration?: number;
  /** Where the request came from (audit rows, throttling). */
  readonly request: RequestMeta;
  /**
   * The account's role must use a second factor and it has none yet (MFA_REQUIRED_ROLES): every
   * operation but `me`, enrolling, `logout` and `refreshToken` is MFA_REQUIRED (transport/mfa-gate.ts).
   */
  readonly secondFactorMissing?: boolean;
  /**
   * Set when the token is a third-party app's OAuth access token (features/apps): the app, and
   * the scopes its user allowed. Operations outside them are FORBIDDEN (transport/scope-gate.ts);
   * within them, the user's own rights still apply.
   */
  readonly app?: AppGrant;
}

/** The app a viewer acts through, and what its user allowed it. */
export interface AppGrant {
  readonly id: string;
  readonly name: string;
  readonly scopes: ReadonlySet<string>;
  /**
   * The access token's stored key (SHA-256, never the token) and when it expires (ms): a socket
   * opened with it closes when it is revoked (transport/session-sockets.ts).
   */
  readonly token?: { readonly key: string; readonly expiresAtMs: number };
}

/** The signed-in viewer, or UNAUTHENTICATED. */
export function requireViewer(viewer: Viewer | undefined): Viewer {
  if (!viewer) throw unauthenticated();
  return viewer;
}

/** A signed-in viewer with this role, or UNAUTHENTICATED / FORBIDDEN. */
export function requireRole(viewer: Viewer | undefined, role: Role, action: string): Viewer {
  const signedIn = requireViewer(viewer);
  if (signedIn.role !== role) throw forbidden(`Only a ${role.toLowerCase()} can ${action}.`);
  return signedIn;
}

/** Whether the viewer may see a doctor's patient list and its live events. Today: only that doctor. */
export function canActForDoctor(viewer: Viewer, doctorId: string): boolean {
  return viewer.role === Role.DOCTOR && viewer.userId === doctorId;
}

/** Throws UNAUTHENTICATED or FORBIDDEN unless the viewer may act for this doctor. */
export function assertCanActForDoctor(
  viewer: Viewer | undefined,
  doctorId: string,
  message = 'You can only see your own patients.',
): Viewer {
  const signedIn = requireViewer(viewer);
  if (!canActForDoctor(signedIn, doctorId)) throw forbidden(message);
  return signedIn;
}

/**
 * The one question authorization asks about care: does this doctor treat this patient now (a
 * BOOKED, CHECKED_IN or COMPLETED appointment between them)? Answered by features/care/care-relationships.ts.
 */
export interface CareRelationships {
  doctorHasPatient(doctorId: string, patientId: string): Promise<boolean>;
}

/**
 * A patient's clinical data (vitals, medical records): the patient themself, or a doctor who
 * treats them now. Anyone else (staff included: the front desk never sees clinical data)
 * FORBIDDEN, anonymous UNAUTHENTICATED.
 */
export async function assertCanReadPatientChart(
  viewer: Viewer | undefined,
  patientId: string,
  relationships: CareRelationships,
): Promise<Viewer> {
  const signedIn = requireViewer(viewer);
  if (signedIn.role === Role.PATIENT && signedIn.userId === patientId) return signedIn;
  if (signedIn.role === Role.DOCTOR && (await relationships.doctorHasPatient(signedIn.userId, patientId))) return signedIn;
  throw forbidden("You can only see your own chart, or your own patients' charts.");
}

/** Writing to a patient's chart (vitals, records): only a doctor who treats the patient now. */
export async function assertCanTreatPatient(
  viewer: Viewer | undefined,
  patientId: string,
  relationships: CareRelationships,
  action: string,
): Promise<Viewer> {
  const doctor = requireRole(viewer, Role.DOCTOR, action);
  if (!(await relationships.doctorHasPatient(doctor.userId, patientId))) throw forbidden(`You can only ${action} for your own patients.`);
  return doctor;
}

/**
 * Checked again for every event before it is sent on a long-lived subscription: the viewer may
 * still see this doctor, and their session has not expired (the socket closes then too, and at
 * once on revocation).
 */
export function assertCanReceiveDoctorEvent(viewer: Viewer, doctorId: string, now: Date): void {
  assertSessionLive(viewer, now);
  assertCanActForDoctor(viewer, doctorId);
}

/** The same per-event check for a patient's own stream: still their session, still them. */
export function assertCanReceivePatientEvent(viewer: Viewer, patientId: string, now: Date): void {
  assertSessionLive(viewer, now);
  if (viewer.role !== Role.PATIENT || viewer.userId !== patientId) throw forbidden('You can only follow your own appointments and vitals.');
}

/**
 * The per-event check of a practice's stream: the viewer's session is still live. Membership of
 * the practice is checked when the subscription opens (features/practices/practices.policy.ts).
 */
export function assertCanReceivePracticeEvent(viewer: Viewer, now: Date): void {
  assertSessionLive(viewer, now);
}

function assertSessionLive(viewer: Viewer, now: Date): void {
  if (viewer.sessionExpiresAt * 1000 <= now.getTime())
    throw unauthenticated('Your session has expired: sign in again, then resume from your last cursor.');
}

/**
 * Which patients' appointments and vitals the viewer may see: a doctor only appointments with
 * them (and vitals of patients on their list), a patient only their own, staff the appointments
 * with their practice's doctors (and no vitals: the desk never sees clinical data), anyone else none.
 */
export type AppointmentScope = { readonly doctorId: string } | { readonly patientId: string } | { readonly staffId: string } | 'none';

export function appointmentScopeFor(viewer: Viewer | undefined): AppointmentScope {
  if (viewer?.role === Role.DOCTOR) return { doctorId: viewer.userId };
  if (viewer?.role === Role.PATIENT) return { patientId: viewer.userId };
  if (viewer?.role === Role.STAFF) return { staffId: viewer.userId };
  return 'none';
}
