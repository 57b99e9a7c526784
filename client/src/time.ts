// Every time is shown in the viewer's own time zone (the browser's), with the zone named once per screen.

export const viewerTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

// One format per locale for every date and time on every page (the browser's locale, through
// Intl): a moment is "weekday, day month, time", with the year added when it is not this year.
const dateTime = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});
const dateTimeWithYear = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayOnly = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long' });

/** A moment (an ISO string from the API), in the viewer's zone: the year only when it is not this year's. */
export function formatDateTime(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  return (date.getFullYear() === now.getFullYear() ? dateTime : dateTimeWithYear).format(date);
}
/** Its time of day alone, for lists already grouped by day. */
export const formatTime = (iso: string): string => timeOnly.format(new Date(iso));
/** A day's heading. */
export const formatDay = (date: Date): string => dayOnly.format(date);
/** A moment that may be missing (never happened yet): a dash then. */
export const formatOptionalDateTime = (iso: string | null | undefined): string => (iso ? formatDateTime(iso) : '—');

/** [start of the local day, start of the next), as ISO strings for the API. */
export function localDayRange(day: Date): { from: string; to: string } {
  const start = new Date(day.getFullYear(), day.getMonth(), day.getDate());
  const end = new Date(day.getFullYear(), day.getMonth(), day.getDate() + 1);
  return { from: start.toISOString(), to: end.toISOString() };
}

/** `yyyy-mm-dd` of a local date, as `<input type="date">` wants it. */
export function toDateInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** A local date and time from the form's inputs, or null when either is incomplete. */
export function fromLocalInputs(date: string, time: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}$/.test(time)) return null;
  const parsed = new Date(`${date}T${time}`);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}
