import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';

export interface CalendarAppointment {
  readonly appointmentId: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  /** Bumped with each change of the appointment (stored: appointment_calendar_sequences). */
  readonly sequence: number;
  readonly summary: string;
  readonly organizer: { readonly name: string; readonly email: string };
  readonly attendee: { readonly name: string; readonly email: string };
}

/** One stable UID per appointment: every later version replaces the earlier one in a calendar. */
export function calendarUid(appointmentId: string, domain: string): string {
  return `appointment-${appointmentId}@${domain}`;
}

/**
 * The .ics of an appointment (RFC 5545 with iTIP's METHOD): REQUEST for a booking or a new time,
 * CANCEL when it was cancelled. DTSTART/DTEND are written in UTC (no TZID), exactly the stored times.
 */
export function buildCalendar(appointment: CalendarAppointment, method: 'REQUEST' | 'CANCEL', domain: string, stamp: Date): string {
  const calendar = ical({
    prodId: { company: 'CareLine', product: 'CareLine', language: 'EN' },
    method: method === 'CANCEL' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  });
  calendar.createEvent({
    id: calendarUid(appointment.appointmentId, domain),
    sequence: appointment.sequence,
    start: appointment.startsAt,
    end: appointment.endsAt,
    stamp,
    summary: appointment.summary,
    status: method === 'CANCEL' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: appointment.organizer,
    attendees: [{ name: appointment.attendee.name, email: appointment.attendee.email }],
  });
  return calendar.toString();
}
