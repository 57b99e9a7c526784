import { buildCalendar, calendarUid, type CalendarAppointment } from './calendar';

const HOUR = 3_600_000;

function appointment(summary: string): CalendarAppointment {
  const startsAt = new Date(Date.now() + 48 * HOUR);
  return {
    appointmentId: '4d1c2b9e-5a55-4f0e-9d39-0b7f1c8a2e11',
    startsAt,
    endsAt: new Date(startsAt.getTime() + HOUR / 2),
    sequence: 2,
    summary,
    organizer: { name: 'Dr Zoë Ørsted', email: 'zoe@clinic.example' },
    attendee: { name: 'Ana Núñez', email: 'ana@example.org' },
  };
}

/** RFC 5545 §3.1: a line break followed by one space or tab continues the line. */
const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '');

describe('buildCalendar', () => {
  // Multi-byte characters: a fold counts octets, and must not split a character's bytes.
  const summary = `Consultation with Dr Zoë Ørsted — contrôle annuel, Überweisung, 診察の予約 ${'é'.repeat(40)}`;

  it('folds every line at 75 octets without splitting a character', () => {
    const ics = buildCalendar(appointment(summary), 'REQUEST', 'clinic.example', new Date());
    const lines = ics.split('\r\n');
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(ics).not.toContain('\uFFFD');
    expect(unfold(ics)).toContain(`SUMMARY:${summary.replace(/,/g, '\\,')}\r\n`);
  });

  it('writes the stored times in UTC, the stable UID, the sequence and the method', () => {
    const booked = appointment('Check-up');
    const stamp = new Date();
    const utc = (date: Date) =>
      date
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d{3}/, '');
    const request = unfold(buildCalendar(booked, 'REQUEST', 'clinic.example', stamp));
    expect(request).toContain('METHOD:REQUEST\r\n');
    expect(request).toContain(`UID:${calendarUid(booked.appointmentId, 'clinic.example')}\r\n`);
    expect(request).toContain('SEQUENCE:2\r\n');
    expect(request).toContain(`DTSTART:${utc(booked.startsAt)}\r\n`);
    expect(request).toContain(`DTEND:${utc(booked.endsAt)}\r\n`);
    expect(request).toContain('STATUS:CONFIRMED\r\n');
    const cancel = unfold(buildCalendar(booked, 'CANCEL', 'clinic.example', stamp));
    expect(cancel).toContain('METHOD:CANCEL\r\n');
    expect(cancel).toContain('STATUS:CANCELLED\r\n');
  });
});
