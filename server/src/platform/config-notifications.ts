import path from 'node:path';

/**
 * The settings of everything CareLine sends outside (mail, reminders, webhooks) and of the job
 * queue that sends it. Parsed by parseConfig (config.ts stays the one reader of the environment);
 * each field names its variable, its default and what bad input does (startup fails naming it).
 */
export interface NotificationConfig {
  /** SMTP_URL: smtp:// or smtps:// URL of the mail relay. Unset: each message is written as an .eml file to mailDir. */
  readonly smtpUrl: string | undefined;
  /**
   * MAIL_FROM: sender, e.g. "CareLine <no-reply@clinic.example>". Required in production when
   * SMTP_URL is set (a relay rejects or spam-files a made-up sender); default
   * "CareLine <no-reply@careline.invalid>" otherwise.
   */
  readonly mailFrom: string;
  /** The folder of .eml files when SMTP_URL is unset: DATA_DIR/mail. */
  readonly mailDir: string;
  /** REMINDER_HOURS_BEFORE: hours before the start a reminder is mailed, 1-720, default 24. */
  readonly reminderHoursBefore: number;
  /** DAILY_AGENDA_TIME: HH:MM in each doctor's time zone when their day's agenda is mailed, default 07:00. */
  readonly dailyAgendaMinute: number;
  /** JOB_RETRY_BASE: first retry delay, doubled per attempt with jitter, e.g. 500ms, 30s, 5m; 10ms-1h, default 30s. */
  readonly jobRetryBaseMs: number;
  /** JOB_RETRY_LIMIT: attempts before a mail job is dead (reason kept), 1-100, default 10. */
  readonly jobRetryLimit: number;
  /**
   * JOB_LEASE: how long a claimed job is reserved for its worker, e.g. 60s; 1s-1h, default 60s.
   * Must exceed the longest send (webhooks time out after 10 s): an instance that dies mid-send
   * leaves its job to be claimed again once the lease has expired.
   */
  readonly jobLeaseMs: number;
  /** JOB_POLL_INTERVAL_MS: how often each instance looks for due jobs, 20-600000, default 1000 (a commit on this instance wakes it at once). */
  readonly jobPollIntervalMs: number;
  /** JOB_CONCURRENCY: jobs one instance runs at once, 1-100, default 4 (each holds a database connection only briefly; sends wait on the network). */
  readonly jobConcurrency: number;
  /**
   * WEBHOOK_ALLOW_PRIVATE: true/false; default true in development, false otherwise. False refuses
   * webhook URLs that resolve to loopback, private or link-local addresses (at creation and at each
   * send) and any http:// URL.
   */
  readonly webhookAllowPrivate: boolean;
  /** WEBHOOK_RETRY_WINDOW: how long a failing delivery is retried, and how long an endpoint may fail before it is disabled; 1m-30d, default 24h. */
  readonly webhookRetryWindowMs: number;
}

/** The helpers of parseConfig this section uses (they record problems instead of throwing). */
export interface EnvReader {
  readonly production: boolean;
  readonly development: boolean;
  readonly dataDir: string;
  read(name: string): string | undefined;
  integer(name: string, fallback: number, min: number, max: number): number;
  boolean(name: string, fallback: boolean): boolean;
  url(name: string, protocols: readonly string[]): string | undefined;
  problem(message: string): void;
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses "500ms", "30s", "5m", "24h", "7d" into milliseconds; undefined when malformed. */
export function parseDurationMs(text: string): number | undefined {
  const match = /^(\d+)\s*(ms|s|m|h|d)$/.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}

export function parseNotificationConfig(env: EnvReader): NotificationConfig {
  const duration = (name: string, fallback: string, minMs: number, maxMs: number): number => {
    const raw = env.read(name) ?? fallback;
    const value = parseDurationMs(raw);
    if (value === undefined || value < minMs || value > maxMs) {
      env.problem(`${name} must be a duration like 500ms, 30s, 5m or 24h, within its range (got "${raw}")`);
      return parseDurationMs(fallback)!;
    }
    return value;
  };
  const smtpUrl = env.url('SMTP_URL', ['smtp:', 'smtps:']);
  const mailFromRaw = env.read('MAIL_FROM');
  if (env.production && smtpUrl !== undefined && mailFromRaw === undefined) {
    env.problem('MAIL_FROM is required when NODE_ENV=production and SMTP_URL is set (e.g. "CareLine <no-reply@clinic.example>")');
  }
  if (mailFromRaw !== undefined && !/@[^@\s>]+\.[^@\s>]+>?$/.test(mailFromRaw)) {
    env.problem(`MAIL_FROM must be an address like "CareLine <no-reply@clinic.example>" (got "${mailFromRaw}")`);
  }
  const agendaRaw = env.read('DAILY_AGENDA_TIME') ?? '07:00';
  const agenda = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(agendaRaw);
  if (!agenda) env.problem(`DAILY_AGENDA_TIME must be HH:MM from 00:00 to 23:59 (got "${agendaRaw}")`);
  return {
    smtpUrl,
    mailFrom: mailFromRaw ?? 'CareLine <no-reply@careline.invalid>',
    mailDir: path.join(env.dataDir, 'mail'),
    reminderHoursBefore: env.integer('REMINDER_HOURS_BEFORE', 24, 1, 720),
    dailyAgendaMinute: agenda ? Number(agenda[1]) * 60 + Number(agenda[2]) : 7 * 60,
    jobRetryBaseMs: duration('JOB_RETRY_BASE', '30s', 10, 3_600_000),
    jobRetryLimit: env.integer('JOB_RETRY_LIMIT', 10, 1, 100),
    jobLeaseMs: duration('JOB_LEASE', '60s', 1000, 3_600_000),
    jobPollIntervalMs: env.integer('JOB_POLL_INTERVAL_MS', 1000, 20, 600_000),
    jobConcurrency: env.integer('JOB_CONCURRENCY', 4, 1, 100),
    webhookAllowPrivate: env.boolean('WEBHOOK_ALLOW_PRIVATE', env.development),
    webhookRetryWindowMs: duration('WEBHOOK_RETRY_WINDOW', '24h', 60_000, 30 * 86_400_000),
  };
}
