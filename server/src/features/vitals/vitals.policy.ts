import {
  assertCanActForDoctor,
  assertCanReceiveDoctorEvent,
  assertCanReceivePatientEvent,
  requireRole,
  type Viewer,
} from '../../accounts/authorization';
import { AuditAction } from '../../audit/audit-entry';
import type { LiveStream } from '../../graphql/live-subscription';
import type { RequestServices } from '../../graphql/request-context';
import { doctorStream, patientStream } from '../../live/streams';
import { Role } from '../../generated/prisma/enums';
import { VitalsTopic, type VitalsRecordedPayload } from './vitals.events';

/**
 * `vitalsRecorded(doctorId)`: that doctor only, checked again for every event; and each event,
 * live or replayed with `after`, only while the doctor treats its patient now (an event recorded
 * while they did is not replayed once the relationship ended).
 */
export function vitalsRecordedStream(
  viewer: Viewer | undefined,
  args: { doctorId: string },
  services: Pick<RequestServices, 'relationships'>,
): LiveStream<typeof VitalsTopic.VitalsRecorded> {
  const signedIn = assertCanActForDoctor(viewer, args.doctorId);
  return {
    stream: doctorStream(args.doctorId),
    topic: VitalsTopic.VitalsRecorded,
    authorize: (_event, now) => assertCanReceiveDoctorEvent(signedIn, args.doctorId, now),
    recheck: (event) => services.relationships.treatsNow(args.doctorId, event.patient.id),
    audit: (event) => ({
      action: AuditAction.DeliverVitalsRecorded,
      patientId: event.patient.id,
      objectType: 'vitals',
      objectId: event.vitals.id,
    }),
  };
}

/**
 * `myVitalsRecorded`: the signed-in patient's own stream. Followed through a third-party app (an
 * app's token), each delivery is audited as a read of the patient's vitals by that app.
 */
export function myVitalsRecordedStream(viewer: Viewer | undefined): LiveStream<typeof VitalsTopic.MyVitalsRecorded> {
  const signedIn = requireRole(viewer, Role.PATIENT, 'follow your vitals');
  return {
    stream: patientStream(signedIn.userId),
    topic: VitalsTopic.MyVitalsRecorded,
    authorize: (_event, now) => assertCanReceivePatientEvent(signedIn, signedIn.userId, now),
    ...(signedIn.app && {
      audit: (event: VitalsRecordedPayload) => ({
        action: AuditAction.DeliverVitalsRecorded,
        patientId: event.patient.id,
        objectType: 'vitals' as const,
        objectId: event.vitals.id,
      }),
    }),
  };
}
