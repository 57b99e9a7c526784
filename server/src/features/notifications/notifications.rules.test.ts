import { nextAgendaAt, reminderDueAt } from './notifications.rules';

const HOUR = 3_600_000;

describe('reminderDueAt', () => {
  it('is the given number of hours before the start', () => {
    const now = new Date();
    const startsAt = new Date(now.getTime() + 72 * HOUR);
    expect(reminderDueAt(startsAt, 24, now)?.getTime()).toBe(startsAt.getTime() - 24 * HOUR);
  });

  it('is undefined when that time has already passed', () => {
    const now = new Date();
    expect(reminderDueAt(new Date(now.getTime() + 3 * HOUR), 24, now)).toBeUndefined();
  });
});

describe('nextAgendaAt', () => {
  it("is the doctor's local time today when it is still ahead, tomorrow otherwise", () => {
    const now = new Date();
    for (const zone of ['UTC', 'Europe/Paris', 'Pacific/Auckland', 'America/Los_Angeles']) {
      const next = nextAgendaAt(now, zone, 7 * 60);
      expect(next.at.getTime()).toBeGreaterThan(now.getTime());
      expect(next.at.getTime() - now.getTime()).toBeLessThanOrEqual(25 * HOUR);
      const local = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
        next.at,
      );
      expect(local).toBe('07:00');
      const localDate = new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(next.at);
      expect(localDate).toBe(next.date);
    }
  });
});
