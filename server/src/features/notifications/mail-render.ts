/**
 * One template per message: what it says, as structured content. The plain-text and the HTML
 * part are both rendered from it, so they never say different things.
 */
export interface MailContent {
  readonly subject: string;
  readonly greeting: string;
  readonly paragraphs: readonly string[];
  /** Label and value pairs: when, with whom. */
  readonly details: ReadonlyArray<readonly [string, string]>;
  /** Rows of a table (the daily agenda), each a list of cells. */
  readonly table?: { readonly headings: readonly string[]; readonly rows: ReadonlyArray<readonly string[]> };
}

const FOOTER = 'CareLine: this message was sent because of your appointments. Reply to your practice, not to this address.';

export function renderText(content: MailContent): string {
  const lines = [content.greeting, '', ...content.paragraphs.flatMap((paragraph) => [paragraph, ''])];
  for (const [label, value] of content.details) lines.push(`${label}: ${value}`);
  if (content.table) {
    if (content.details.length > 0) lines.push('');
    if (content.table.rows.length === 0) lines.push('(none)');
    for (const row of content.table.rows) lines.push(`- ${row.join(' | ')}`);
  }
  lines.push('', '--', FOOTER);
  return `${lines.join('\n')}\n`;
}

export function renderHtml(content: MailContent): string {
  const parts = [`<p>${escapeHtml(content.greeting)}</p>`, ...content.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`)];
  if (content.details.length > 0) {
    const rows = content.details.map(
      ([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
    );
    parts.push(`<table>${rows.join('')}</table>`);
  }
  if (content.table) {
    const head = `<tr>${content.table.headings.map((heading) => `<th align="left">${escapeHtml(heading)}</th>`).join('')}</tr>`;
    const body = content.table.rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`);
    parts.push(content.table.rows.length === 0 ? '<p>(none)</p>' : `<table>${head}${body.join('')}</table>`);
  }
  parts.push(`<hr><p style="color:#666;font-size:12px">${escapeHtml(FOOTER)}</p>`);
  return `<!doctype html><html><body style="font-family:sans-serif">${parts.join('\n')}</body></html>\n`;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** "Monday 1 March 2027, 10:00 (Europe/Paris)": a time as the recipient reads it. */
export function formatInZone(instant: Date, timeZone: string): string {
  const text = formatterFor(dateTimeFormatters, timeZone, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(instant);
  return `${text.replace(' at ', ', ')} (${timeZone})`;
}

/** "10:00" in the zone. */
export function formatTimeInZone(instant: Date, timeZone: string): string {
  return formatterFor(timeFormatters, timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);
}

// Building an Intl.DateTimeFormat costs far more than formatting with one (it was the mail
// worker's largest cost per booking), so each is built once per zone. Zones are few.
const dateTimeFormatters = new Map<string, Intl.DateTimeFormat>();
const timeFormatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(cache: Map<string, Intl.DateTimeFormat>, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let formatter = cache.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', { ...options, timeZone });
    cache.set(timeZone, formatter);
  }
  return formatter;
}
