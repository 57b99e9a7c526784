import { z } from 'zod';

/** The kinds of mail job, and the payload each stores (checked before every run). */
export const MailJobKind = {
  Appointment: 'mail.appointment',
  Reminder: 'mail.reminder',
  Agenda: 'mail.agenda',
} as const;

/** A booking, cancellation or reschedule notice: the appointment as the change left it. */
export const AppointmentMailJob = z.object({
  /** The outbox event it announces: the Message-ID is derived from it. */
  eventId: z.string(),
  change: z.enum(['BOOKED', 'CANCELLED', 'RESCHEDULED']),
  appointmentId: z.string(),
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
  /** iCalendar SEQUENCE of this version. */
  sequence: z.number().int().nonnegative(),
  /** Sent instead of a text that could not go (the practice's SMS budget, an unsubscribed number): whatever the channels. */
  fallback: z.boolean().optional(),
});
export type AppointmentMailJob = z.infer<typeof AppointmentMailJob>;

/** A reminder for the appointment at this start time; it does nothing if the appointment moved or was cancelled. */
export const ReminderMailJob = z.object({
  appointmentId: z.string(),
  startsAt: z.iso.datetime(),
  /** Sent instead of a text that could not go: whatever the channels. */
  fallback: z.boolean().optional(),
});
export type ReminderMailJob = z.infer<typeof ReminderMailJob>;

/** One doctor's agenda of one local day. */
export const AgendaMailJob = z.object({
  doctorId: z.string(),
  /** YYYY-MM-DD in the doctor's time zone. */
  date: z.string(),
});
export type AgendaMailJob = z.infer<typeof AgendaMailJob>;

/** Keys that make each mail job unique (written once even when enqueued twice). */
export const mailJobKey = {
  appointment: (eventId: string) => `mail:event:${eventId}`,
  reminder: (appointmentId: string, startsAt: Date) => `mail:reminder:${appointmentId}:${startsAt.getTime()}`,
  agenda: (doctorId: string, date: string) => `mail:agenda:${doctorId}:${date}`,
};

/** The kinds of text job: the same payloads as the mail they stand beside. */
export const SmsJobKind = {
  Appointment: 'sms.appointment',
  Reminder: 'sms.reminder',
} as const;

/** Keys of the text jobs; each is also the text's message key in sms_messages (one text per key). */
export const smsJobKey = {
  appointment: (eventId: string) => `sms:event:${eventId}`,
  reminder: (appointmentId: string, startsAt: Date) => `sms:reminder:${appointmentId}:${startsAt.getTime()}`,
  /** The same reminder moved out of quiet hours (a job of its own; the text keeps its key). */
  afterQuietHours: (key: string) => `${key}:after-quiet-hours`,
  /** The mail sent instead of a text. */
  mailFallback: (key: string) => `mail:fallback:${key}`,
};
