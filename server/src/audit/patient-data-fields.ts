import { AuditAction } from './audit-entry';

/** The GraphQL types that are a patient's data: whatever returns one of them (or something holding one) discloses it. */
export const PATIENT_DATA_TYPES = ['Patient', 'Appointment', 'Vitals', 'MedicalRecord'] as const;

/**
 * How a field that reaches a patient's data is accounted for:
 * - `read` / `delivery`: its resolver (or live stream) writes these rows, one per patient whose data
 *   it sends to someone other than that patient, committed before the answer or event leaves;
 * - `change`: a mutation; the change's row (these actions) is written in its transaction, and it
 *   returns what it changed;
 * - `own`: only ever the viewer's own data (nothing to record: nobody else saw it);
 * - `parent`: a part of what its parent field returned, which recorded it.
 */
export type Coverage =
  { readonly kind: 'read' | 'delivery' | 'change'; readonly actions: readonly AuditAction[] } | { readonly kind: 'own' | 'parent' };

const read = (...actions: AuditAction[]): Coverage => ({ kind: 'read', actions });
const delivery = (...actions: AuditAction[]): Coverage => ({ kind: 'delivery', actions });
const change = (...actions: AuditAction[]): Coverage => ({ kind: 'change', actions });
const OWN: Coverage = { kind: 'own' };
const PARENT: Coverage = { kind: 'parent' };

/**
 * Every field of the schema whose type reaches a patient's data (PATIENT_DATA_TYPES), as
 * "Type.field", and how it is audited. patient-data-fields.test.ts walks the schema and fails
 * when a field reaches patient data and is missing here, so a new field cannot forget its audit;
 * audit.int.test.ts runs every `read`, `delivery` and `change` field and counts its rows.
 */
export const PATIENT_DATA_FIELDS: Readonly<Record<string, Coverage>> = {
  'Query.doctorPatients': read(AuditAction.ListPatients),
  'Query.practicePatients': read(AuditAction.ListPatients),
  'Query.doctorSchedule': read(AuditAction.ReadSchedule),
  'Query.practiceSchedule': read(AuditAction.ReadSchedule),
  'Query.patientVitals': read(AuditAction.ReadVitals),
  'Query.patientMedicalRecords': read(AuditAction.ReadMedicalRecords),
  'Patient.latestVitals': read(AuditAction.ReadVitals),
  'Patient.appointments': read(AuditAction.ReadAppointments),
  'Query.me': OWN,

  'Subscription.patientAdded': delivery(AuditAction.DeliverPatientAdded),
  'Subscription.appointmentUpdated': delivery(AuditAction.DeliverAppointmentUpdated),
  'Subscription.vitalsRecorded': delivery(AuditAction.DeliverVitalsRecorded),
  'Subscription.practicePatientAdded': delivery(AuditAction.DeliverPatientAdded),
  'Subscription.practiceAppointmentUpdated': delivery(AuditAction.DeliverAppointmentUpdated),
  // Own, unless followed through a third-party app: then each delivery is recorded (event.appointmentUpdated,
  // event.vitalsRecorded, naming the app), as the patient's own reads through an app are (isAuditedReader).
  'Subscription.myAppointmentUpdated': OWN,
  'Subscription.myVitalsRecorded': OWN,

  'Mutation.bookAppointment': change(AuditAction.BookAppointment),
  'Mutation.cancelAppointment': change(AuditAction.CancelAppointment),
  'Mutation.rescheduleAppointment': change(AuditAction.RescheduleAppointment),
  'Mutation.completeAppointment': change(AuditAction.CompleteAppointment),
  'Mutation.checkInAppointment': change(AuditAction.CheckInAppointment),
  'Mutation.undoCheckIn': change(AuditAction.UndoCheckIn),
  'Mutation.markNoShow': change(AuditAction.MarkNoShow),
  // Only the appointment's patient may confirm it: their own data, seen by nobody else.
  'Mutation.confirmAppointment': OWN,
  'Mutation.recordVitals': change(AuditAction.RecordVitals),
  'Mutation.addMedicalRecord': change(AuditAction.AddMedicalRecord),
  // A sign-in's account: a patient's own profile.
  'Mutation.register': OWN,
  'Mutation.login': OWN,
  'Mutation.refreshToken': OWN,
  'Mutation.changePassword': OWN,
  // The caller's own account with its messaging choices.
  'Mutation.updateNotificationSettings': OWN,
  'AuthPayload.user': OWN,
  'User.patient': OWN,

  'PatientConnection.edges': PARENT,
  'PatientEdge.node': PARENT,
  'Appointment.patient': PARENT,
  'PatientAddedEvent.patient': PARENT,
  'PatientAddedEvent.appointment': PARENT,
  'AppointmentUpdatedEvent.appointment': PARENT,
  'VitalsRecordedEvent.patient': PARENT,
  'VitalsRecordedEvent.vitals': PARENT,
};
