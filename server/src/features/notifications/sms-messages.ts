import type { AppointmentMailChange } from './mail-messages';

/**
 * The texts a patient receives. Names, times and the practice only: never the reason or any other
 * clinical free text (a phone's lock screen shows them to whoever holds it).
 */
export interface TextFacts {
  readonly practiceName: string;
  readonly doctorName: string;
  readonly startsAt: Date;
  /** The practice's zone: the time is written on its clock, the zone named. */
  readonly timeZone: string;
}

/** What each text is, as recorded in sms_messages.kind. */
export const SmsKind = {
  Confirmation: 'confirmation',
  Change: 'change',
  Cancellation: 'cancellation',
  Reminder: 'reminder',
} as const;
export type SmsKind = (typeof SmsKind)[keyof typeof SmsKind];

export const SMS_KIND_OF: Readonly<Record<AppointmentMailChange, SmsKind>> = {
  BOOKED: SmsKind.Confirmation,
  RESCHEDULED: SmsKind.Change,
  CANCELLED: SmsKind.Cancellation,
};

const formatters = new Map<string, Intl.DateTimeFormat>();

/** "Mon 1 Mar 2027, 09:00 (Europe/Paris)": short enough for one segment with the rest of a text. */
export function formatForText(instant: Date, timeZone: string): string {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, format);
  }
  return `${format.format(instant).replace(' at ', ', ')} (${timeZone})`;
}

/** The confirmation, change or cancellation text. */
export function appointmentText(change: AppointmentMailChange, facts: TextFacts): string {
  const when = formatForText(facts.startsAt, facts.timeZone);
  switch (change) {
    case 'BOOKED':
      return `${facts.practiceName}: your appointment with ${facts.doctorName} is booked for ${when}. Reply C to confirm you will come. Reply STOP to opt out.`;
    case 'RESCHEDULED':
      return `${facts.practiceName}: your appointment with ${facts.doctorName} has moved to ${when}. Reply C to confirm you will come. Reply STOP to opt out.`;
    case 'CANCELLED':
      return `${facts.practiceName}: your appointment with ${facts.doctorName} on ${when} is cancelled. Reply STOP to opt out.`;
  }
}

/** The reminder text. */
export function reminderText(facts: TextFacts): string {
  return `${facts.practiceName}: reminder of your appointment with ${facts.doctorName} on ${formatForText(facts.startsAt, facts.timeZone)}. Reply C to confirm you will come. Reply STOP to opt out.`;
}

/** The answer to HELP (TwiML body). */
export function helpText(practiceNames: readonly string[]): string {
  const who = practiceNames.length > 0 ? practiceNames.join(', ') : 'CareLine';
  return `${who}: appointment texts. Reply C to confirm your next appointment, STOP to stop all texts, START to receive them again. Msg&data rates may apply.`;
}

/** The answers to the other replies (TwiML bodies). */
export const REPLY_TEXT = {
  confirmed: 'Thank you: your next appointment is confirmed.',
  nothingToConfirm: 'You have no upcoming appointment to confirm.',
  stopped: 'You will receive no more texts from us. Reply START to receive them again.',
  started: 'You will receive appointment texts again. Reply STOP to stop them.',
} as const;
