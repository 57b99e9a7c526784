import {
  assertCanActForDoctor,
  assertCanReceiveDoctorEvent,
  assertCanReceivePatientEvent,
  requireRole,
  requireViewer,
  type Viewer,
} from '../../accounts/authorization';
import { AuditAction } from '../../audit/audit-entry';
import type { LiveStream } from '../../graphql/live-subscription';
import { forbidden } from '../../platform/errors';
import { doctorStream, patientStream } from '../../live/streams';
import { Role } from '../../generated/prisma/enums';
import { AppointmentTopic } from './appointments.events';

/** What can happen to an existing appointment. */
export type AppointmentAction = 'cancel' | 'reschedule' | 'complete';

/**
 * Cancel and reschedule: the appointment's patient or its doctor. Complete: its doctor only.
 * Anyone else FORBIDDEN (the appointment id alone grants nothing).
 */
export function assertCanChangeAppointment(
  viewer: Viewer | undefined,
  appointment: { readonly doctorId: string; readonly patientId: string },
  action: AppointmentAction,
): Viewer {
  const signedIn = requireViewer(viewer);
  const isDoctor = signedIn.role === Role.DOCTOR && signedIn.userId === appointment.doctorId;
  const isPatient = signedIn.role === Role.PATIENT && signedIn.userId === appointment.patientId;
  if (action === 'complete') {
    if (!isDoctor) throw forbidden('Only the doctor of this appointment can complete it.');
  } else if (!isDoctor && !isPatient) {
    throw forbidden(`Only the patient or the doctor of this appointment can ${action} it.`);
  }
  return signedIn;
}

/** `patientAdded(doctorId)`: that doctor only, checked again for every event. */
export function patientAddedStream(viewer: Viewer | undefined, args: { doctorId: string }): LiveStream<typeof AppointmentTopic.PatientAdded> {
  const signedIn = assertCanActForDoctor(viewer, args.doctorId);
  return {
    stream: doctorStream(args.doctorId),
    topic: AppointmentTopic.PatientAdded,
    authorize: (event) => assertCanReceiveDoctorEvent(signedIn, event.doctorId),
    audit: (event) => ({ action: AuditAction.DeliverPatientAdded, patientId: event.patient.id, objectType: 'appointment', objectId: event.appointment.id }),
  };
}

/** `appointmentUpdated(doctorId)`: that doctor only, checked again for every event. */
export function appointmentUpdatedStream(viewer: Viewer | undefined, args: { doctorId: string }): LiveStream<typeof AppointmentTopic.AppointmentUpdated> {
  const signedIn = assertCanActForDoctor(viewer, args.doctorId, 'You can only follow your own appointments.');
  return {
    stream: doctorStream(args.doctorId),
    topic: AppointmentTopic.AppointmentUpdated,
    authorize: () => assertCanReceiveDoctorEvent(signedIn, args.doctorId),
    audit: (event) => ({
      action: AuditAction.DeliverAppointmentUpdated,
      patientId: event.appointment.patientId,
      objectType: 'appointment',
      objectId: event.appointment.id,
    }),
  };
}

/** `myAppointmentUpdated`: the signed-in patient's own stream. */
export function myAppointmentUpdatedStream(viewer: Viewer | undefined): LiveStream<typeof AppointmentTopic.MyAppointmentUpdated> {
  const signedIn = requireRole(viewer, Role.PATIENT, 'follow your appointments');
  return {
    stream: patientStream(signedIn.userId),
    topic: AppointmentTopic.MyAppointmentUpdated,
    authorize: () => assertCanReceivePatientEvent(signedIn, signedIn.userId),
  };
}
