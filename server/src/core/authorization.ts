import { Role } from '../generated/prisma/enums';
import { forbidden, unauthenticated } from './errors';

/**
 * Who is asking, as proven by a verified token. Every authorization decision in CareLine is made
 * by the functions in this file, so a new role (front-desk staff, practice admin) is added here
 * once rather than in every service.
 */
export interface Viewer {
  readonly userId: string;
  readonly role: Role;
  /** Seconds since the epoch when the viewer's token expires. */
  readonly tokenExpiresAt: number;
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
export function assertCanActForDoctor(viewer: Viewer | undefined, doctorId: string): Viewer {
  const signedIn = requireViewer(viewer);
  if (!canActForDoctor(signedIn, doctorId)) throw forbidden("You can only see your own patients.");
  return signedIn;
}

/**
 * Checked again for every event before it is sent on a long-lived subscription: the viewer may
 * still see this doctor, and their token has not expired (the socket closes at expiry too).
 */
export function assertCanReceiveDoctorEvent(viewer: Viewer, doctorId: string, nowMs: number = Date.now()): void {
  if (viewer.tokenExpiresAt * 1000 <= nowMs) throw unauthenticated('Your session has expired: sign in again, then resume from your last cursor.');
  assertCanActForDoctor(viewer, doctorId);
}

/**
 * Which patients' appointments and vitals the viewer may see: a doctor only appointments with
 * them (and vitals of patients on their list), a patient only their own, anyone else none.
 */
export type AppointmentScope = { readonly doctorId: string } | { readonly patientId: string } | 'none';

export function appointmentScopeFor(viewer: Viewer | undefined): AppointmentScope {
  if (viewer?.role === Role.DOCTOR) return { doctorId: viewer.userId };
  if (viewer?.role === Role.PATIENT) return { patientId: viewer.userId };
  return 'none';
}
