import { addDays, localDateOf, wallTimeToUtc, zoneOffsetMs } from '../../platform/time-zones';

const MINUTE_MS = 60_000;
const DAY_MINUTES = 1440;
/** Reminders are not texted from 21:00 to 08:00 on the practice's clock (API.md). */
export const QUIET_FROM_MINUTE = 21 * 60;
export const QUIET_UNTIL_MINUTE = 8 * 60;

/** Minutes since local midnight on the zone's clock at that instant. */
function minuteOfDay(instant: Date, timeZone: string): number {
  const wall = instant.getTime() + zoneOffsetMs(instant.getTime(), timeZone);
  return Math.floor((((wall % 86_400_000) + 86_400_000) % 86_400_000) / MINUTE_MS) % DAY_MINUTES;
}

/**
 * When a reminder due `now` may be texted: `now` outside quiet hours, else the next 08:00 on the
 * zone's clock (the same morning after midnight, the next one after 21:00).
 */
export function textableAt(now: Date, timeZone: string): Date {
  const minute = minuteOfDay(now, timeZone);
  if (minute >= QUIET_UNTIL_MINUTE && minute < QUIET_FROM_MINUTE) return now;
  const today = localDateOf(now, timeZone);
  return wallTimeToUtc(minute >= QUIET_FROM_MINUTE ? addDays(today, 1) : today, QUIET_UNTIL_MINUTE, timeZone);
}

/** The first instant of the calendar month `now` is in, on the zone's clock (SMS_MONTHLY_BUDGET counts from there). */
export function monthStart(now: Date, timeZone: string): Date {
  const today = localDateOf(now, timeZone);
  return wallTimeToUtc({ year: today.year, month: today.month, day: 1 }, 0, timeZone);
}

/** A reply's first word, as Twilio's keyword handling reads it: trimmed, upper case, trailing punctuation dropped. */
export function replyKeyword(body: string): string {
  return (body.trim().split(/\s+/)[0] ?? '').toUpperCase().replace(/[.!?,;:]+$/, '');
}

/** What a reply asks for. Twilio's opt-out and opt-in words (its Advanced Opt-Out defaults), C/YES to confirm. */
export type ReplyIntent = 'confirm' | 'stop' | 'start' | 'help' | 'unknown';

const STOP_WORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT']);
const START_WORDS = new Set(['START', 'UNSTOP']);

/**
 * The intent of a reply. "YES" is both Twilio's opt-in word and our confirmation: from a number
 * that opted out it opts back in (as Twilio does), otherwise it confirms.
 */
export function replyIntent(body: string, optedOut: boolean): ReplyIntent {
  const word = replyKeyword(body);
  if (STOP_WORDS.has(word)) return 'stop';
  if (START_WORDS.has(word) || (word === 'YES' && optedOut)) return 'start';
  if (word === 'HELP' || word === 'INFO') return 'help';
  if (word === 'C' || word === 'YES') return 'confirm';
  return 'unknown';
}
