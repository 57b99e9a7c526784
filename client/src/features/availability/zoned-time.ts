// Wall-clock times of one IANA zone shown in another (the doctor's hours in the viewer's zone),
// with the platform's Intl only: no time-zone library for one conversion.

/** The offset (ms) of `zone` from UTC at the instant `at`. */
function offsetMs(at: Date, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? '0');
  const asUtc = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return asUtc - (at.getTime() - at.getMilliseconds());
}

/** The instant of wall time `time` ("HH:MM", "24:00" allowed) on `date` ("YYYY-MM-DD") in `zone`. */
export function zonedInstant(date: string, time: string, zone: string): Date {
  const [year, month, day] = date.split('-').map(Number);
  const [hour, minute] = time.split(':').map(Number);
  const guess = Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1, hour ?? 0, minute ?? 0);
  // Two passes settle on the right side of a daylight-saving change.
  const first = guess - offsetMs(new Date(guess), zone);
  return new Date(guess - offsetMs(new Date(first), zone));
}

/** "YYYY-MM-DD" of the next date (today included) that is ISO weekday `weekday` in `zone`. */
export function nextDateOfWeekday(weekday: number, zone: string, now = new Date()): string {
  for (let ahead = 0; ahead < 7; ahead += 1) {
    const at = new Date(now.getTime() + ahead * 86_400_000);
    const parts = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
    }).formatToParts(at);
    const value = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    const iso = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(value('weekday')) + 1;
    if (iso === weekday) return `${value('year')}-${value('month')}-${value('day')}`;
  }
  return new Date(now).toISOString().slice(0, 10);
}
