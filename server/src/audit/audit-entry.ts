import type { Viewer } from '../accounts/authorization';

/**
 * What is recorded, by name. Changes of a patient's data are recorded in the transaction that
 * makes them; reads and event deliveries of a patient's data to someone else before the answer
 * (or event) is sent. A new operation on patient data adds its action here and a row to the
 * table in audit.int.test.ts.
 */
export const AuditAction = {
  BookAppointment: 'appointment.book',
  /** A hold of a time for the patient (holdSlot, FHIR $hold); booking it is then `appointment.book`. */
  HoldSlot: 'appointment.hold',
  CancelAppointment: 'appointment.cancel',
  RescheduleAppointment: 'appointment.reschedule',
  CompleteAppointment: 'appointment.complete',
  CheckInAppointment: 'appointment.checkIn',
  UndoCheckIn: 'appointment.undoCheckIn',
  MarkNoShow: 'appointment.noShow',
  RecordVitals: 'vitals.record',
  AddMedicalRecord: 'record.add',
  ListPatients: 'patients.list',
  ReadVitals: 'vitals.read',
  ReadMedicalRecords: 'records.read',
  /** A calendar (doctorSchedule, practiceSchedule): one row per patient with an appointment in it. */
  ReadSchedule: 'schedule.read',
  /** `Patient.appointments` of someone else: one row per patient whose appointments were sent. */
  ReadAppointments: 'appointments.read',
  DeliverPatientAdded: 'event.patientAdded',
  DeliverAppointmentUpdated: 'event.appointmentUpdated',
  DeliverVitalsRecorded: 'event.vitalsRecorded',
  /** A push notification naming the patient, to a doctor or front desk with no open socket (features/push). */
  DeliverPush: 'push.deliver',
  /** A webhook delivery naming the patient: a disclosure to the endpoint (its actor: the admin who registered it). */
  DiscloseToWebhook: 'webhook.deliver',
} as const;
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];

export type AuditObjectType = 'appointment' | 'vitals' | 'record' | 'patient' | 'webhookDelivery';
/** SUCCESS: done; DENIED: refused by authorization (FORBIDDEN), recorded where the patient is known. */
export type AuditOutcome = 'SUCCESS' | 'DENIED';

/** One thing that happened to one patient's data. */
export interface AuditEntry {
  readonly action: AuditAction;
  readonly patientId: string;
  readonly objectType?: AuditObjectType;
  readonly objectId?: string;
  readonly outcome?: AuditOutcome;
}

/** Who did it and from where: the row's actor and request columns. */
export interface AuditActor {
  readonly userId: string | null;
  /** Text, so new roles (STAFF) need no migration. */
  readonly role: string;
  /** The actor's practice; null until practices exist (issue 14 passes its lookup to AuditTrail). */
  readonly practiceId: string | null;
  readonly requestId: string | null;
  readonly clientAddress: string | null;
  /** The third-party app the actor acted through (Viewer.app), or null. */
  readonly appId: string | null;
}

/**
 * The actor of a webhook disclosure: no one is signed in when the worker sends, so the row names
 * the admin who registered the endpoint (their user id and role, at the endpoint's practice) and
 * no request. The access log names the endpoint's host from the row's delivery.
 */
export function webhookActor(registeredBy: { readonly userId: string | null; readonly role: string }, practiceId: string): AuditActor {
  return { userId: registeredBy.userId, role: registeredBy.role, practiceId, requestId: null, clientAddress: null, appId: null };
}

/**
 * Whether a read of this patient's data by the viewer is recorded: by anyone but the patient,
 * and by the patient's own apps too (the patient sees what their apps read in their access log).
 */
export function isAuditedReader(viewer: Viewer, patientId: string): boolean {
  return viewer.userId !== patientId || viewer.app !== undefined;
}

/** The one place a viewer becomes an audit actor; `practiceId` from AuditTrail's practice lookup. */
export function actorOf(viewer: Viewer, practiceId: string | null): AuditActor {
  return {
    userId: viewer.userId,
    role: viewer.role,
    practiceId,
    requestId: viewer.request.id,
    clientAddress: viewer.request.clientAddress ?? null,
    appId: viewer.app?.id ?? viewer.request.appId ?? null,
  };
}
