import type { MailContent } from './mail-render';
import { formatInZone, formatTimeInZone } from './mail-render';

/** What the patient is told about: a booking, a cancellation, a new time. */
export type AppointmentMailChange = 'BOOKED' | 'CANCELLED' | 'RESCHEDULED';

/** The facts a patient's mail states. Names only: no reason, no clinical data. */
export interface AppointmentFacts {
  readonly patientName: string;
  readonly doctorName: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  /** The recipient's time zone (the practice's, or the doctor's). */
  readonly timeZone: string;
}

const SUBJECTS: Readonly<Record<AppointmentMailChange, string>> = {
  BOOKED: 'Your appointment is booked',
  CANCELLED: 'Your appointment is cancelled',
  RESCHEDULED: 'Your appointment has a new time',
};

const OPENINGS: Readonly<Record<AppointmentMailChange, string>> = {
  BOOKED: 'Your appointment is confirmed. The attached calendar entry adds it to your calendar.',
  CANCELLED: 'Your appointment has been cancelled. The attached calendar entry removes it from your calendar.',
  RESCHEDULED: 'Your appointment has moved to a new time. The attached calendar entry updates your calendar.',
};

/** The confirmation, cancellation or reschedule notice to the patient. */
export function appointmentMail(change: AppointmentMailChange, facts: AppointmentFacts): MailContent {
  return {
    subject: `${SUBJECTS[change]}: ${formatInZone(facts.startsAt, facts.timeZone)}`,
    greeting: `Hello ${facts.patientName},`,
    paragraphs: [OPENINGS[change]],
    details: [
      ['When', `${formatInZone(facts.startsAt, facts.timeZone)} to ${formatTimeInZone(facts.endsAt, facts.timeZone)}`],
      ['With', facts.doctorName],
    ],
  };
}

/** The reminder sent REMINDER_HOURS_BEFORE hours before the start. */
export function reminderMail(facts: AppointmentFacts): MailContent {
  return {
    subject: `Reminder: your appointment on ${formatInZone(facts.startsAt, facts.timeZone)}`,
    greeting: `Hello ${facts.patientName},`,
    paragraphs: [
      'This is a reminder of your upcoming appointment. If you cannot come, please cancel it so someone else can have the time.',
    ],
    details: [
      ['When', `${formatInZone(facts.startsAt, facts.timeZone)} to ${formatTimeInZone(facts.endsAt, facts.timeZone)}`],
      ['With', facts.doctorName],
    ],
  };
}

export interface AgendaFacts {
  readonly doctorName: string;
  /** "2027-03-01", the doctor's local date. */
  readonly date: string;
  readonly timeZone: string;
  readonly appointments: ReadonlyArray<{ readonly startsAt: Date; readonly endsAt: Date; readonly patientName: string }>;
}

/** A doctor's day: each booked visit with its local time and the patient's name. */
export function agendaMail(facts: AgendaFacts): MailContent {
  const count = facts.appointments.length;
  return {
    subject: `Your agenda for ${facts.date}: ${count} appointment${count === 1 ? '' : 's'}`,
    greeting: `Good morning ${facts.doctorName},`,
    paragraphs: [
      count === 0
        ? 'You have no appointments today.'
        : `You have ${count} appointment${count === 1 ? '' : 's'} today (times in ${facts.timeZone}).`,
    ],
    details: [],
    table: {
      headings: ['Time', 'Patient'],
      rows: facts.appointments.map((visit) => [
        `${formatTimeInZone(visit.startsAt, facts.timeZone)}-${formatTimeInZone(visit.endsAt, facts.timeZone)}`,
        visit.patientName,
      ]),
    },
  };
}
