import { pushTopic, pushTtlSeconds, pushUrgency, reminderPushMessage, staffPushMessage, type PushFacts } from './push-messages';

const now = new Date('2026-12-04T09:00:00Z');
const facts: PushFacts = {
  appointmentId: '0b8f5a52-7c0e-4c1e-9d55-3f1c2b7a9e10',
  patientName: 'Ana Lima',
  doctorName: 'Dr. Kim',
  startsAt: new Date('2026-12-04T14:30:00Z'),
  timeZone: 'Europe/Paris',
};

describe('what each push says', () => {
  it('tells a doctor of a booking with the patient, the doctor and the time in the practice zone, and links their dashboard', () => {
    expect(staffPushMessage('BOOKED', facts, 'DOCTOR')).toEqual({
      title: 'New booking',
      body: 'Ana Lima with Dr. Kim, Friday, 4 December 2026, 15:30 (Europe/Paris).',
      url: `/dashboard?appointment=${facts.appointmentId}`,
    });
  });

  it("links a front desk's cancellation to the desk, and words a check-in as an arrival", () => {
    expect(staffPushMessage('CANCELLED', facts, 'STAFF')).toMatchObject({
      title: 'Appointment cancelled',
      url: `/desk?appointment=${facts.appointmentId}`,
    });
    expect(staffPushMessage('CHECKED_IN', facts, 'STAFF').body).toBe('Ana Lima has checked in for 15:30 with Dr. Kim.');
  });

  it('reminds the patient without naming anyone but the doctor', () => {
    const reminder = reminderPushMessage(facts);
    expect(reminder.title).toBe('Appointment reminder');
    expect(reminder.body).toContain('Dr. Kim');
    expect(reminder.body).not.toContain('Ana Lima');
  });
});

describe('the RFC 8030 headers', () => {
  it('uses the appointment id without hyphens as the Topic (32 characters)', () => {
    expect(pushTopic(facts.appointmentId)).toBe('0b8f5a527c0e4c1e9d553f1c2b7a9e10');
    expect(pushTopic(facts.appointmentId)).toHaveLength(32);
  });

  it('is urgent for a check-in and for a change within 24 hours, normal otherwise and for reminders', () => {
    expect(pushUrgency('CHECKED_IN', new Date('2027-01-01T00:00:00Z'), now)).toBe('high');
    expect(pushUrgency('BOOKED', facts.startsAt, now)).toBe('high');
    expect(pushUrgency('CANCELLED', new Date(now.getTime() + 25 * 3_600_000), now)).toBe('normal');
    expect(pushUrgency('REMINDER', facts.startsAt, now)).toBe('normal');
  });

  it('keeps a message until the appointment starts, from 60 s to 24 h; a check-in for an hour', () => {
    expect(pushTtlSeconds('BOOKED', facts.startsAt, now)).toBe(5.5 * 3600);
    expect(pushTtlSeconds('BOOKED', new Date(now.getTime() + 10 * 86_400_000), now)).toBe(86_400);
    expect(pushTtlSeconds('CANCELLED', new Date(now.getTime() - 60_000), now)).toBe(60);
    expect(pushTtlSeconds('CHECKED_IN', facts.startsAt, now)).toBe(3600);
  });
});
