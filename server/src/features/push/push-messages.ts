import type { PushUrgency } from '../../outbound/push-sender';
import { formatInZone, formatTimeInZone } from '../notifications/mail-render';

/**
 * What each push says, and its RFC 8030 headers. Names and times only: never the appointment's
 * reason or any other free text (a notification shows on a lock screen).
 */

/** The changes the staff side hears of by push. */
export type StaffPushChange = 'BOOKED' | 'CANCELLED' | 'CHECKED_IN';

/** The JSON the service worker receives (client/public/sw.js shows title and body; a click opens url). */
export interface PushMessage {
  readonly title: string;
  readonly body: string;
  /** A path of the dashboard, on the server's own origin. */
  readonly url: string;
}

export interface PushFacts {
  readonly appointmentId: string;
  readonly patientName: string;
  readonly doctorName: string;
  readonly startsAt: Date;
  /** The practice's zone: times are written in it, as in the mail. */
  readonly timeZone: string;
}

const TITLES: Readonly<Record<StaffPushChange, string>> = {
  BOOKED: 'New booking',
  CANCELLED: 'Appointment cancelled',
  CHECKED_IN: 'Patient arrived',
};

/** The push to a doctor (their dashboard) or a front desk (the desk's flow board). */
export function staffPushMessage(change: StaffPushChange, facts: PushFacts, recipientRole: string): PushMessage {
  const when = formatInZone(facts.startsAt, facts.timeZone);
  const body =
    change === 'CHECKED_IN'
      ? `${facts.patientName} has checked in for ${formatTimeInZone(facts.startsAt, facts.timeZone)} with ${facts.doctorName}.`
      : `${facts.patientName} with ${facts.doctorName}, ${when}.`;
  const page = recipientRole === 'STAFF' ? '/desk' : '/dashboard';
  return { title: TITLES[change], body, url: `${page}?appointment=${facts.appointmentId}` };
}

/** The patient's reminder (REMINDER_HOURS_BEFORE the start, like the mail). */
export function reminderPushMessage(facts: PushFacts): PushMessage {
  return {
    title: 'Appointment reminder',
    body: `With ${facts.doctorName}, ${formatInZone(facts.startsAt, facts.timeZone)}. If you cannot come, please cancel it.`,
    // The patient's page lists their appointments.
    url: `/book?appointment=${facts.appointmentId}`,
  };
}

/** RFC 8030 Topic: the appointment id without its hyphens (32 characters), so its pushes replace each other while undelivered. */
export function pushTopic(appointmentId: string): string {
  return appointmentId.replaceAll('-', '');
}

const DAY_MS = 86_400_000;
const HOUR_S = 3_600;
const MIN_TTL_S = 60;

/**
 * RFC 8030 Urgency: `high` (delivered even to a device saving power) for a check-in, which
 * someone should act on now, and for a booking or cancellation of an appointment starting within
 * 24 hours; `normal` for the rest and for reminders (sent hours ahead by design).
 */
export function pushUrgency(change: StaffPushChange | 'REMINDER', startsAt: Date, now: Date): PushUrgency {
  if (change === 'CHECKED_IN') return 'high';
  if (change === 'REMINDER') return 'normal';
  return startsAt.getTime() - now.getTime() < DAY_MS ? 'high' : 'normal';
}

/**
 * RFC 8030 TTL: how long a push service keeps the message for a browser that is offline. A
 * check-in is news for an hour; anything else until the appointment starts, from 60 s to 24 h
 * (a browser back after a day opens the dashboard and sees the rest there).
 */
export function pushTtlSeconds(change: StaffPushChange | 'REMINDER', startsAt: Date, now: Date): number {
  if (change === 'CHECKED_IN') return HOUR_S;
  const untilStart = Math.floor((startsAt.getTime() - now.getTime()) / 1000);
  return Math.min(24 * HOUR_S, Math.max(MIN_TTL_S, untilStart));
}
