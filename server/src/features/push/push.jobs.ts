import { z } from 'zod';

/** The kinds of push job, and the payload each stores (checked before every run). */
export const PushJobKind = {
  /** One committed booking, cancellation or check-in: a send job per subscription of each staff-side user with no open socket. */
  StaffFanout: 'push.staff-fanout',
  /** A patient's reminder, due REMINDER_HOURS_BEFORE the start: a send job per subscription when patientWantsPush. */
  Reminder: 'push.reminder',
  /** One message to one subscription, retried on 429, 5xx and network failures until its TTL has passed. */
  Send: 'push.send',
} as const;

export const PushStaffFanoutJob = z.object({
  /** The outbox event: send jobs are keyed by it, so a fan-out run again writes nothing twice. */
  eventId: z.string(),
  change: z.enum(['BOOKED', 'CANCELLED', 'CHECKED_IN']),
  appointmentId: z.string(),
  doctorId: z.string(),
  startsAt: z.iso.datetime(),
});
export type PushStaffFanoutJob = z.infer<typeof PushStaffFanoutJob>;

export const PushReminderJob = z.object({ appointmentId: z.string(), startsAt: z.iso.datetime() });
export type PushReminderJob = z.infer<typeof PushReminderJob>;

/** The message is fixed when the job is written: every retry sends the same thing. */
export const PushSendJob = z.object({
  subscriptionId: z.string(),
  message: z.object({ title: z.string(), body: z.string(), url: z.string() }),
  topic: z.string().max(32),
  urgency: z.enum(['very-low', 'low', 'normal', 'high']),
  ttlSeconds: z.number().int().nonnegative(),
  /** When the message is no use any more (written + TTL, by the worker's clock): no retry after it. */
  notAfter: z.iso.datetime(),
});
export type PushSendJob = z.infer<typeof PushSendJob>;

/** Keys that make each push job unique (written once even when enqueued twice). */
export const pushJobKey = {
  staffFanout: (eventId: string) => `push:event:${eventId}`,
  reminder: (appointmentId: string, startsAt: Date) => `push:reminder:${appointmentId}:${startsAt.getTime()}`,
  send: (origin: string, subscriptionId: string) => `push:send:${origin}:${subscriptionId}`,
};
