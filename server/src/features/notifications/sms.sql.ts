import { z } from 'zod';
import type { Sql, Statement } from '../../platform/sql';
import { practiceNameOf } from '../practices/practices.sql';

/**
 * The statements of the texts' tables (owned here): sms_messages (one row per text, its Twilio sid
 * and status) and sms_opt_outs (numbers that asked for no more texts).
 */

/** A text about to be sent, as reserved before Twilio is asked. */
export interface NewSms {
  readonly messageKey: string;
  readonly practiceId: string;
  readonly userId: string;
  readonly appointmentId: string | null;
  readonly kind: string;
  readonly toPhone: string;
}

/** The row of a message as reserved: 'sending' (ask Twilio), 'refused' (over budget), or what a previous run left. */
export interface ReservedSms {
  /** The row's id: the StatusCallback names it, so a status can be recorded before the sid is. */
  readonly id: string;
  readonly status: string;
  readonly twilioSid: string | null;
}

// One budget check at a time per practice: the count and the insert are one decision.
const LOCK_BUDGET: Statement = {
  name: 'notifications_sms_lock_budget',
  text: `SELECT pg_advisory_xact_lock(hashtextextended('sms-budget:' || $1::text, 0))`,
};

/**
 * Writes the message's row unless it exists: 'sending' while the practice has sent fewer than the
 * budget since the month's start, 'refused' otherwise. An existing row (a retry) comes back as
 * it is, so a text Twilio accepted (sid recorded) is never asked for again.
 */
const RESERVE: Statement = {
  name: 'notifications_sms_reserve',
  text: `
    INSERT INTO sms_messages AS m (message_key, practice_id, user_id, appointment_id, kind, to_phone, status, created_at, updated_at)
    SELECT $1::text, $2::uuid, $3::uuid, $4::uuid, $5::text, $6::text,
           CASE WHEN (SELECT count(*) FROM sms_messages c
                      WHERE c.practice_id = $2::uuid AND c.created_at >= $7::timestamptz AND c.status <> 'refused') < $8::int
                THEN 'sending' ELSE 'refused' END,
           $9::timestamptz, $9::timestamptz
    ON CONFLICT (message_key) DO UPDATE SET updated_at = m.updated_at
    RETURNING id::text, status, twilio_sid`,
};

const ReservedRow = z.object({ id: z.string(), status: z.string(), twilio_sid: z.string().nullable() });

/** LOCK_BUDGET then RESERVE, in the caller's transaction. */
export async function reserveSms(
  tx: Sql,
  sms: NewSms,
  budget: { readonly since: Date; readonly limit: number },
  now: Date,
): Promise<ReservedSms> {
  await tx.query(LOCK_BUDGET, [sms.practiceId]);
  const [raw] = await tx.query(RESERVE, [
    sms.messageKey,
    sms.practiceId,
    sms.userId,
    sms.appointmentId,
    sms.kind,
    sms.toPhone,
    budget.since.toISOString(),
    budget.limit,
    now.toISOString(),
  ]);
  const row = ReservedRow.parse(raw);
  return { id: row.id, status: row.status, twilioSid: row.twilio_sid };
}

const RECORD_SENT: Statement = {
  name: 'notifications_sms_record_sent',
  text: `
    UPDATE sms_messages SET twilio_sid = $2::text, status = CASE WHEN status = 'sending' THEN $3::text ELSE status END,
                            updated_at = $4::timestamptz
    WHERE message_key = $1::text`,
};

/**
 * Twilio accepted the text: its sid and first status, unless a status callback was faster than
 * this write (it names the row, see RECORD_STATUS) and already moved the status on.
 */
export async function recordSmsSent(
  sql: Sql,
  messageKey: string,
  sent: { readonly sid: string; readonly status: string },
  now: Date,
): Promise<void> {
  await sql.query(RECORD_SENT, [messageKey, sent.sid, sent.status, now.toISOString()]);
}

const RECORD_FAILED: Statement = {
  name: 'notifications_sms_record_failed',
  text: `UPDATE sms_messages SET status = 'failed', error_code = $2::int, updated_at = $3::timestamptz WHERE message_key = $1::text`,
};

/** Twilio refused the text for good (its error code when it gave one). */
export async function recordSmsFailed(sql: Sql, messageKey: string, errorCode: number | null, now: Date): Promise<void> {
  await sql.query(RECORD_FAILED, [messageKey, errorCode, now.toISOString()]);
}

/**
 * A status callback: the message's new status (and error code). A final status (delivered,
 * undelivered, failed, read) is never replaced: callbacks may arrive out of order. Found by its
 * sid, or, before the sender has recorded the sid (Twilio may call back first), by the row id the
 * callback's URL names (`$5`), and the sid is recorded then.
 */
const RECORD_STATUS: Statement = {
  name: 'notifications_sms_record_status',
  text: `
    UPDATE sms_messages SET status = $2::text, error_code = coalesce($3::int, error_code), updated_at = $4::timestamptz,
                            twilio_sid = coalesce(twilio_sid, $1::text)
    WHERE (twilio_sid = $1::text OR (twilio_sid IS NULL AND id = $5::uuid))
      AND status NOT IN ('delivered', 'undelivered', 'failed', 'read')
    RETURNING to_phone`,
};

/** RECORD_STATUS; true when a message of ours changed. `messageId`: the row the callback's URL names, if any. */
export async function recordSmsStatus(
  sql: Sql,
  callback: { readonly sid: string; readonly status: string; readonly errorCode: number | null; readonly messageId: string | undefined },
  now: Date,
): Promise<boolean> {
  const rows = await sql.query(RECORD_STATUS, [
    callback.sid,
    callback.status,
    callback.errorCode,
    now.toISOString(),
    callback.messageId ?? null,
  ]);
  return rows.length > 0;
}

const READ_MESSAGE_STATUS: Statement = {
  name: 'notifications_sms_message_status',
  text: `SELECT status, twilio_sid, to_phone FROM sms_messages WHERE twilio_sid = $1::text`,
};

/** The number a message of ours went to, by its sid; undefined when it is not ours. */
export async function smsRecipientOf(sql: Sql, sid: string): Promise<string | undefined> {
  const [raw] = await sql.query(READ_MESSAGE_STATUS, [sid]);
  return raw === undefined ? undefined : z.object({ to_phone: z.string() }).parse(raw).to_phone;
}

const OPT_OUT: Statement = {
  name: 'notifications_sms_opt_out',
  text: `INSERT INTO sms_opt_outs (phone, opted_out_at, source) VALUES ($1::text, $2::timestamptz, $3::text) ON CONFLICT (phone) DO NOTHING`,
};

/** No more texts to this number (STOP, or Twilio's 21610) until it opts in again. */
export async function optOutNumber(sql: Sql, phone: string, source: string, now: Date): Promise<void> {
  await sql.query(OPT_OUT, [phone, now.toISOString(), source]);
}

const OPT_IN: Statement = {
  name: 'notifications_sms_opt_in',
  text: `DELETE FROM sms_opt_outs WHERE phone = $1::text`,
};

/** The number sent START: texts again. */
export async function optInNumber(sql: Sql, phone: string): Promise<void> {
  await sql.query(OPT_IN, [phone]);
}

const IS_OPTED_OUT: Statement = {
  name: 'notifications_sms_is_opted_out',
  text: `SELECT 1 AS one FROM sms_opt_outs WHERE phone = $1::text`,
};

export async function isOptedOut(sql: Sql, phone: string): Promise<boolean> {
  return (await sql.query(IS_OPTED_OUT, [phone])).length > 0;
}

/** `EXISTS(...)`: the number `phoneSql` (a SQL expression) opted out. */
export function optedOutSql(phoneSql: string): string {
  return `EXISTS (SELECT 1 FROM sms_opt_outs o WHERE o.phone = ${phoneSql})`;
}

const USERS_OF_NUMBER: Statement = {
  name: 'notifications_sms_users_of_number',
  text: `SELECT user_id FROM notification_settings WHERE phone = $1::text AND sms_consent_at IS NOT NULL ORDER BY updated_at DESC`,
};

/** The users who gave this number and agreed to texts on it (an inbound reply is theirs). */
export async function usersOfNumber(sql: Sql, phone: string): Promise<string[]> {
  const rows = await sql.query(USERS_OF_NUMBER, [phone]);
  return rows.map((raw) => z.object({ user_id: z.string() }).parse(raw).user_id);
}

/** The names of the practices that have texted this number (HELP names them). */
const PRACTICES_OF_NUMBER: Statement = {
  name: 'notifications_sms_practices_of_number',
  text: `SELECT DISTINCT ${practiceNameOf('m.practice_id')} AS name FROM sms_messages m WHERE m.to_phone = $1::text`,
};

export async function practicesOfNumber(sql: Sql, phone: string): Promise<string[]> {
  const rows = await sql.query(PRACTICES_OF_NUMBER, [phone]);
  return rows.flatMap((raw) => {
    const name = z.object({ name: z.string().nullable() }).parse(raw).name;
    return name === null ? [] : [name];
  });
}
