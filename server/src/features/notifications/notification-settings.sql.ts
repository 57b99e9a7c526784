import { z } from 'zod';
import { Channel } from '../../generated/prisma/enums';
import type { Sql, Statement } from '../../platform/sql';
import { timestamp } from '../../platform/sql-values';

/**
 * The statements of `notification_settings` (owned here): a user's channels, phone (E.164) and
 * SMS consent. No row means the defaults: EMAIL only, no phone, no consent.
 */

export { Channel };

/** A user's messaging choices as stored. */
export interface NotificationSettingsRow {
  readonly phone: string | null;
  readonly channels: readonly Channel[];
  readonly smsConsentAt: Date | null;
  readonly smsConsentSource: string | null;
}

export const DEFAULT_SETTINGS: NotificationSettingsRow = {
  phone: null,
  channels: [Channel.EMAIL],
  smsConsentAt: null,
  smsConsentSource: null,
};

// channels::text[]: both drivers hand an enum array back as its literal ("{EMAIL,SMS}"), a text[] as an array.
const COLUMNS = 'phone, channels::text[] AS channels, sms_consent_at, sms_consent_source';

const SettingsRow = z.object({
  phone: z.string().nullable(),
  channels: z.array(z.enum(Channel)).nullable(),
  sms_consent_at: timestamp.nullable(),
  sms_consent_source: z.string().nullable(),
});

function decode(raw: unknown): NotificationSettingsRow {
  const row = SettingsRow.parse(raw);
  return { phone: row.phone, channels: row.channels ?? [], smsConsentAt: row.sms_consent_at, smsConsentSource: row.sms_consent_source };
}

const READ_SETTINGS: Statement = {
  name: 'notifications_read_settings',
  text: `SELECT ${COLUMNS} FROM notification_settings WHERE user_id = $1::uuid`,
};

const LOCK_SETTINGS: Statement = {
  name: 'notifications_lock_settings',
  text: `SELECT ${COLUMNS} FROM notification_settings WHERE user_id = $1::uuid FOR UPDATE`,
};

/** The user's settings (the defaults when they never chose). */
export async function readSettings(sql: Sql, userId: string): Promise<NotificationSettingsRow> {
  const [raw] = await sql.query(READ_SETTINGS, [userId]);
  return raw === undefined ? DEFAULT_SETTINGS : decode(raw);
}

/** The same under a row lock, in the caller's transaction (two changes of one user take turns). */
export async function lockSettings(sql: Sql, userId: string): Promise<NotificationSettingsRow | undefined> {
  const [raw] = await sql.query(LOCK_SETTINGS, [userId]);
  return raw === undefined ? undefined : decode(raw);
}

const WRITE_SETTINGS: Statement = {
  name: 'notifications_write_settings',
  text: `
    INSERT INTO notification_settings AS s (user_id, phone, channels, sms_consent_at, sms_consent_source, updated_at)
    VALUES ($1::uuid, $2::text, $3::text[]::"Channel"[], $4::timestamptz, $5::text, $6::timestamptz)
    ON CONFLICT (user_id) DO UPDATE SET
      phone = $2::text, channels = $3::text[]::"Channel"[], sms_consent_at = $4::timestamptz,
      sms_consent_source = $5::text, updated_at = $6::timestamptz
    RETURNING ${COLUMNS}`,
};

/** Writes the whole of a user's settings in the caller's transaction, and returns them. */
export async function writeSettings(
  sql: Sql,
  userId: string,
  settings: NotificationSettingsRow,
  now: Date,
): Promise<NotificationSettingsRow> {
  const [raw] = await sql.query(WRITE_SETTINGS, [
    userId,
    settings.phone,
    [...settings.channels],
    settings.smsConsentAt?.toISOString() ?? null,
    settings.smsConsentSource,
    now.toISOString(),
  ]);
  return decode(raw);
}

/**
 * The channels a user wants their appointment messages on (EMAIL when they never chose). For the
 * senders: mail and SMS here, Web Push beside them.
 */
export async function recipientChannels(sql: Sql, userId: string): Promise<readonly Channel[]> {
  return (await readSettings(sql, userId)).channels;
}

/** Whether the user chose `channel` for their appointment messages. */
export async function wantsChannel(sql: Sql, userId: string, channel: Channel): Promise<boolean> {
  return (await recipientChannels(sql, userId)).includes(channel);
}

/**
 * A condition for another statement: the user `userIdSql` (a SQL expression of type uuid) chose
 * `channel`. No settings row means EMAIL only, so PUSH and SMS are never chosen by default.
 */
export function choseChannel(userIdSql: string, channel: Channel): string {
  return `EXISTS (SELECT 1 FROM notification_settings chose WHERE chose.user_id = ${userIdSql} AND '${channel}' = ANY(chose.channels))`;
}

/** `s.channels`, `s.phone`... of the user `userIdSql`, for another statement's LEFT JOIN (NULL columns: no row). */
export function settingsOfUser(userIdSql: string): string {
  return `(SELECT phone, channels::text[] AS channels, sms_consent_at FROM notification_settings WHERE user_id = ${userIdSql})`;
}
