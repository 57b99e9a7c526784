import {
  assertCanActForDoctor,
  assertCanReceiveDoctorEvent,
  assertCanReceivePatientEvent,
  assertCanReceivePracticeEvent,
  requireRole,
  requireViewer,
  type Viewer,
} from '../../accounts/authorization';
import { AuditAction } from '../../audit/audit-entry';
import type { LiveStream } from '../../graphql/live-subscription';
import type { RequestServices } from '../../graphql/request-context';
import { forbidden } from '../../platform/errors';
import { doctorStream, patientStream, practiceStream } from '../../live/streams';
import { Role } from '../../generated/prisma/enums';
import type { Membership } from '../practices/practices.members';
import { assertPracticeDesk, deskRecheck, isStaffOf } from '../practices/practices.policy';
import { AppointmentTopic, type AppointmentUpdatedPayload } from './appointments.events';

/** What can happen to an existing appointment. */
export type AppointmentAction = 'cancel' | 'reschedule' | 'complete' | 'checkIn' | 'undoCheckIn' | 'noShow' | 'confirm';

/** Who may do each action, besides the appointment's doctor (who may do them all). */
const ALSO_ALLOWED: Readonly<Record<AppointmentAction, { patient: boolean; staff: boolean }>> = {
  cancel: { patient: true, staff: true },
  reschedule: { patient: true, staff: true },
  complete: { patient: false, staff: false },
  checkIn: { patient: false, staff: true },
  undoCheckIn: { patient: false, staff: true },
  noShow: { patient: false, staff: true },
  // The patient's own word: the doctor may not give it for them (the rule below).
  confirm: { patient: true, staff: false },
};

/**
 * Cancel and reschedule: the appointment's patient, its doctor, or staff of the doctor's
 * practice. Check in, its undo and no-show: the doctor or that practice's staff. Complete: the doctor only.
 * Anyone else FORBIDDEN (the appointment id alone grants nothing). `membership` is the viewer's
 * practice membership (null for patients).
 */
export function assertCanChangeAppointment(
  viewer: Viewer | undefined,
  appointment: { readonly doctorId: string; readonly patientId: string; readonly practiceId: string },
  action: AppointmentAction,
  membership: Membership | null,
): Viewer {
  const signedIn = requireViewer(viewer);
  const isDoctor = signedIn.role === Role.DOCTOR && signedIn.userId === appointment.doctorId;
  const isPatient = signedIn.role === Role.PATIENT && signedIn.userId === appointment.patientId;
  const isStaff = signedIn.role === Role.STAFF && isStaffOf(membership, appointment.practiceId);
  if (action === 'confirm') {
    if (isPatient) return signedIn;
    throw forbidden('Only the patient of this appointment can confirm it.');
  }
  const rule = ALSO_ALLOWED[action];
  if (isDoctor || (isPatient && rule.patient) || (isStaff && rule.staff)) return signedIn;
  const who = [rule.patient && 'the patient', 'the doctor', rule.staff && "the practice's staff"].filter(Boolean).join(', ');
  throw forbidden(`Only ${who} of this appointment can ${ACTION_WORDS[action]}.`);
}

const ACTION_WORDS: Readonly<Record<AppointmentAction, string>> = {
  cancel: 'cancel it',
  reschedule: 'reschedule it',
  complete: 'complete it',
  checkIn: 'check it in',
  undoCheckIn: 'undo its check-in',
  confirm: 'confirm it',
  noShow: 'mark it as a no-show',
};

/** `patientAdded(doctorId)`: that doctor only, checked again for every event. */
export function patientAddedStream(
  viewer: Viewer | undefined,
  args: { doctorId: string },
): LiveStream<typeof AppointmentTopic.PatientAdded> {
  const signedIn = assertCanActForDoctor(viewer, args.doctorId);
  return {
    stream: doctorStream(args.doctorId),
    topic: AppointmentTopic.PatientAdded,
    authorize: (event, now) => assertCanReceiveDoctorEvent(signedIn, event.doctorId, now),
    audit: (event) => ({
      action: AuditAction.DeliverPatientAdded,
      patientId: event.patient.id,
      objectType: 'appointment',
      objectId: event.appointment.id,
    }),
  };
}

/** `appointmentUpdated(doctorId)`: that doctor only, checked again for every event. */
export function appointmentUpdatedStream(
  viewer: Viewer | undefined,
  args: { doctorId: string },
): LiveStream<typeof AppointmentTopic.AppointmentUpdated> {
  const signedIn = assertCanActForDoctor(viewer, args.doctorId, 'You can only follow your own appointments.');
  return {
    stream: doctorStream(args.doctorId),
    topic: AppointmentTopic.AppointmentUpdated,
    authorize: (_event, now) => assertCanReceiveDoctorEvent(signedIn, args.doctorId, now),
    audit: (event) => ({
      action: AuditAction.DeliverAppointmentUpdated,
      patientId: event.appointment.patientId,
      objectType: 'appointment',
      objectId: event.appointment.id,
    }),
  };
}

/**
 * `myAppointmentUpdated`: the signed-in patient's own stream. Followed through a third-party app
 * (an app's token), each delivery is audited as a read of the patient's data by that app.
 */
export function myAppointmentUpdatedStream(viewer: Viewer | undefined): LiveStream<typeof AppointmentTopic.MyAppointmentUpdated> {
  const signedIn = requireRole(viewer, Role.PATIENT, 'follow your appointments');
  return {
    stream: patientStream(signedIn.userId),
    topic: AppointmentTopic.MyAppointmentUpdated,
    authorize: (_event, now) => assertCanReceivePatientEvent(signedIn, signedIn.userId, now),
    ...(signedIn.app && {
      audit: (event: AppointmentUpdatedPayload) => ({
        action: AuditAction.DeliverAppointmentUpdated,
        patientId: event.appointment.patientId,
        objectType: 'appointment' as const,
        objectId: event.appointment.id,
      }),
    }),
  };
}

/** `practicePatientAdded(practiceId)`: the practice's staff and admins; the session and the membership are checked again for every event. */
export async function practicePatientAddedStream(
  viewer: Viewer | undefined,
  args: { practiceId: string },
  services: Pick<RequestServices, 'practiceMembers'>,
): Promise<LiveStream<typeof AppointmentTopic.PracticePatientAdded>> {
  await assertPracticeDesk(viewer, args.practiceId, services.practiceMembers);
  const signedIn = requireViewer(viewer);
  return {
    stream: practiceStream(args.practiceId),
    topic: AppointmentTopic.PracticePatientAdded,
    authorize: (_event, now) => assertCanReceivePracticeEvent(signedIn, now),
    audit: (event) => ({
      action: AuditAction.DeliverPatientAdded,
      patientId: event.patient.id,
      objectType: 'appointment',
      objectId: event.appointment.id,
    }),
    recheck: deskRecheck(signedIn, args.practiceId, services.practiceMembers),
  };
}

/** `practiceAppointmentUpdated(practiceId)`: the same audience as practicePatientAdded. */
export async function practiceAppointmentUpdatedStream(
  viewer: Viewer | undefined,
  args: { practiceId: string },
  services: Pick<RequestServices, 'practiceMembers'>,
): Promise<LiveStream<typeof AppointmentTopic.PracticeAppointmentUpdated>> {
  await assertPracticeDesk(viewer, args.practiceId, services.practiceMembers);
  const signedIn = requireViewer(viewer);
  return {
    stream: practiceStream(args.practiceId),
    topic: AppointmentTopic.PracticeAppointmentUpdated,
    authorize: (_event, now) => assertCanReceivePracticeEvent(signedIn, now),
    audit: (event) => ({
      action: AuditAction.DeliverAppointmentUpdated,
      patientId: event.appointment.patientId,
      objectType: 'appointment',
      objectId: event.appointment.id,
    }),
    recheck: deskRecheck(signedIn, args.practiceId, services.practiceMembers),
  };
}
