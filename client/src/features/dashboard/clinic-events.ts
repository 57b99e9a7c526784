// Merging live `appointmentUpdated` and `vitalsRecorded` events into the normalized cache, without
// refetching: an appointment is one cache entry (Appointment:<id>) shared by the patient's row, the
// schedule and the detail panel, so writing it once updates all of them; only the lists that hold
// it by time (the schedule of each cached day, a patient's vitals history) need their membership fixed.
import type { ApolloCache, Reference } from '@apollo/client';
import type { AppointmentUpdatedSubscription, VitalsReadingFragment, VitalsRecordedSubscription } from '../../__generated__/graphql';
import { graphql } from '../../__generated__';
import { VITALS_READING } from './clinic-events.graphql';
import { storedArgs } from '../../live/stored-args';
import { placeInCachedRanges } from '../../live/cached-ranges';
import { writeAppointment } from '../../live/appointment-policy';

export type AppointmentUpdatedEvent = AppointmentUpdatedSubscription['appointmentUpdated'];
export type VitalsRecordedEvent = VitalsRecordedSubscription['vitalsRecorded'];

const UPDATED_APPOINTMENT = graphql(`
  fragment UpdatedAppointment on Appointment {
    ...ScheduleItem
    cancellationReason
  }
`);

const PATIENT_LATEST_VITALS = graphql(`
  fragment PatientLatestVitals on Patient {
    id
    latestVitals {
      ...VitalsReading
    }
  }
`);

/**
 * Writes the appointment as it is now (status, times, reason) and moves it between the cached
 * schedules of this doctor (each day, each week): a reschedule to another day leaves one day's list
 * and joins the other's. Applying the same event twice changes nothing the second time (a replay
 * after a reconnect).
 */
export function applyAppointmentUpdated(
  cache: ApolloCache,
  doctorId: string,
  event: Pick<AppointmentUpdatedEvent, 'appointment' | 'change'>,
): void {
  const { appointment } = event;
  writeAppointment(
    cache,
    () => cache.writeFragment({ fragment: UPDATED_APPOINTMENT, fragmentName: 'UpdatedAppointment', data: appointment }),
    appointment,
    event.change,
  );
  placeInSchedules(cache, doctorId, appointment.id);
}

/** The membership part: the cached appointment joins (or leaves) every cached schedule range of the doctor. */
export function placeInSchedules(cache: ApolloCache, doctorId: string, appointmentId: string): void {
  placeInCachedRanges(cache, { field: 'doctorSchedule', owner: { arg: 'doctorId', id: doctorId } }, appointmentId);
}

/**
 * The patient's latest vitals become these (their row shows them), and a cached vitals history of
 * the patient (the detail panel) gets them first, once.
 */
export function applyVitalsRecorded(cache: ApolloCache, event: Pick<VitalsRecordedEvent, 'patient' | 'vitals'>): void {
  cache.writeFragment({ fragment: PATIENT_LATEST_VITALS, fragmentName: 'PatientLatestVitals', data: event.patient });
  addToVitalsHistory(cache, event.patient.id, event.vitals);
}

/** Puts a reading first in every cached `patientVitals` list of the patient (newest first). */
export function addToVitalsHistory(cache: ApolloCache, patientId: string, vitals: VitalsReadingFragment): void {
  const ref = cache.writeFragment({ fragment: VITALS_READING, data: vitals });
  if (!ref) return;
  cache.modify({
    id: 'ROOT_QUERY',
    fields: {
      patientVitals(existing: readonly Reference[], { storeFieldName, readField }) {
        const args = storedArgs(storeFieldName);
        // A page that starts `before` some time is older history: the new reading is not on it.
        if (args['patientId'] !== patientId || args['before'] != null) return existing;
        if (existing.some((item) => readField<string>('id', item) === vitals.id)) return existing;
        return [ref, ...existing];
      },
    },
  });
}
