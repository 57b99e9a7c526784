import { conditionalJobsWrite, enqueueWhereStatement, type ConditionalJob } from '../../jobs/job-queue';
import type { PendingEvent } from '../../live/outbox';
import { payloadOf, type TopicName } from '../../live/topics';
import type { SqlWrite } from '../../platform/sql';
import { AppointmentChange, AppointmentTopic } from '../appointments/appointments.events';
import type { AppointmentJson } from '../appointments/appointments.mapper';
import { reminderDueAt } from '../notifications/notifications.rules';
import { PushJobKind, pushJobKey, type PushReminderJob, type PushStaffFanoutJob } from './push.jobs';
import { patientWantsPush, staffSideSubscribed } from './push.sql';

/**
 * What writes, in the transaction of the events (the EventTap in background.ts hands these back
 * to go with COMMIT), the push jobs they call for, each only where someone can receive it (no
 * job at all for the many without a subscription): a staff fan-out per booking, cancellation and
 * check-in whose doctor or practice front desk has a subscription, and the patient's reminder
 * when patientWantsPush. Who of the staff side has no open socket is decided when the fan-out
 * runs. The doctor-stream copy of each event is the one that counts (a change is written there
 * once).
 */
export function pushJobWrites(
  events: ReadonlyArray<PendingEvent<TopicName>>,
  options: { readonly reminderHoursBefore: number; readonly now: Date },
): Array<SqlWrite | undefined> {
  const fanouts: ConditionalJob[] = [];
  const reminders: ConditionalJob[] = [];
  for (const event of events) {
    const worthy = pushWorthy(event);
    if (!worthy) continue;
    const { appointment } = worthy;
    if (worthy.change !== 'RESCHEDULED') {
      const payload: PushStaffFanoutJob = {
        eventId: String(event.eventId),
        change: worthy.change,
        appointmentId: appointment.id,
        doctorId: appointment.doctorId,
        startsAt: appointment.startsAt,
      };
      fanouts.push({ payload, dedupeKey: pushJobKey.staffFanout(payload.eventId), values: [appointment.doctorId] });
    }
    if (worthy.change !== 'BOOKED' && worthy.change !== 'RESCHEDULED') continue;
    const startsAt = new Date(appointment.startsAt);
    const due = reminderDueAt(startsAt, options.reminderHoursBefore, options.now);
    if (!due) continue;
    const reminder: PushReminderJob = { appointmentId: appointment.id, startsAt: appointment.startsAt };
    reminders.push({
      payload: reminder,
      dedupeKey: pushJobKey.reminder(appointment.id, startsAt),
      runAt: due,
      values: [appointment.patientId],
    });
  }
  return [conditionalJobsWrite(ENQUEUE_STAFF_FANOUT, fanouts), conditionalJobsWrite(ENQUEUE_REMINDER, reminders)];
}

const ENQUEUE_STAFF_FANOUT = enqueueWhereStatement({
  name: 'push_enqueue_staff_fanout',
  kind: PushJobKind.StaffFanout,
  columns: [{ name: 'doctor_id', type: 'uuid' }],
  condition: staffSideSubscribed('j.doctor_id'),
});

const ENQUEUE_REMINDER = enqueueWhereStatement({
  name: 'push_enqueue_reminder',
  kind: PushJobKind.Reminder,
  columns: [{ name: 'patient_id', type: 'uuid' }],
  condition: patientWantsPush('j.patient_id'),
});

function pushWorthy(
  event: PendingEvent<TopicName>,
): { change: PushStaffFanoutJob['change'] | 'RESCHEDULED'; appointment: AppointmentJson } | undefined {
  const booked = payloadOf(event.message, AppointmentTopic.PatientAdded);
  if (booked) return { change: 'BOOKED', appointment: booked.appointment };
  const updated = payloadOf(event.message, AppointmentTopic.AppointmentUpdated);
  if (updated?.change === AppointmentChange.CANCELLED) return { change: 'CANCELLED', appointment: updated.appointment };
  if (updated?.change === AppointmentChange.CHECKED_IN) return { change: 'CHECKED_IN', appointment: updated.appointment };
  if (updated?.change === AppointmentChange.RESCHEDULED) return { change: 'RESCHEDULED', appointment: updated.appointment };
  return undefined;
}
