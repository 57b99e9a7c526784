import { z } from 'zod';
import { userNameOf } from '../accounts/users.sql';
import type { Sql, Statement } from '../platform/sql';
import { int8, timestamp } from '../platform/sql-values';

/** An audit row as the people concerned read it: when, who (name, role, practice), what, and how it ended. */
export interface AuditLogRow {
  readonly id: bigint;
  readonly at: Date;
  readonly actorName: string | null;
  readonly actorRole: string;
  readonly actorPracticeId: string | null;
  readonly action: string;
  readonly outcome: string;
  /** How many rows this line stands for: 1, or a group of refused (DENIED) attempts (readAuditAboutPatient). */
  readonly count: number;
  /** What the row is about beyond the patient (a webhook disclosure's delivery id). */
  readonly objectType: string | null;
  readonly objectId: string | null;
  readonly actorUserId: string | null;
  /** The third-party app the actor acted through, or null (the access log says "<user> via <app>"). */
  readonly appId: string | null;
}

const COLUMNS = `a.id, a.at, a.actor_role, a.actor_practice_id, a.action, a.outcome, 1 AS count, a.object_type, a.object_id, a.actor_user_id, a.app_id, ${userNameOf('a.actor_user_id')} AS actor_name`;

const LogRow = z.object({
  id: int8,
  at: timestamp,
  actor_role: z.string(),
  actor_practice_id: z.string().nullable(),
  action: z.string(),
  outcome: z.string(),
  count: int8,
  object_type: z.string().nullable(),
  object_id: z.string().nullable(),
  actor_user_id: z.string().nullable(),
  app_id: z.string().nullable(),
  actor_name: z.string().nullable(),
});

function toLogRow(raw: unknown): AuditLogRow {
  const row = LogRow.parse(raw);
  return {
    id: row.id,
    at: row.at,
    actorName: row.actor_name,
    actorRole: row.actor_role,
    actorPracticeId: row.actor_practice_id,
    action: row.action,
    outcome: row.outcome,
    count: Number(row.count),
    objectType: row.object_type,
    objectId: row.object_id,
    actorUserId: row.actor_user_id,
    appId: row.app_id,
  };
}

/**
 * Rows about one patient by anyone but the patient themself (the patient's own apps included),
 * newest first, before a row id, as a
 * patient may see them: refused attempts (DENIED) are one line per actor and action (the newest
 * row's id, time, role and practice, and how many), so nobody can flood the log with them; and
 * another patient's name is never read (only a patient's own log is built from these lines, and
 * it must not name other patients).
 */
const ABOUT_PATIENT: Statement = {
  name: 'audit_log_about_patient',
  text: `
    WITH about AS (
      SELECT id, at, actor_user_id, actor_role, actor_practice_id, action, outcome, object_type, object_id, app_id
      FROM audit_events
      WHERE patient_id = $1::uuid AND (actor_user_id IS DISTINCT FROM $1::uuid OR app_id IS NOT NULL)
    ),
    lines AS (
      SELECT id, at, actor_user_id, actor_role, actor_practice_id, action, outcome, 1::bigint AS count, object_type, object_id, app_id
      FROM about WHERE outcome <> 'DENIED'
      UNION ALL
      SELECT max(id), max(at), actor_user_id, (array_agg(actor_role ORDER BY id DESC))[1],
             (array_agg(actor_practice_id ORDER BY id DESC))[1], action, 'DENIED', count(*), NULL::text, NULL::text, app_id
      FROM about WHERE outcome = 'DENIED'
      GROUP BY actor_user_id, action, app_id
    )
    SELECT l.id, l.at, l.actor_role, l.actor_practice_id, l.action, l.outcome, l.count, l.object_type, l.object_id,
           l.actor_user_id, l.app_id,
           CASE WHEN l.actor_role = 'PATIENT' AND l.actor_user_id IS DISTINCT FROM $1::uuid THEN NULL
                ELSE ${userNameOf('l.actor_user_id')} END AS actor_name
    FROM lines l
    WHERE ($2::bigint IS NULL OR l.id < $2::bigint)
    ORDER BY l.id DESC LIMIT $3::int`,
};

/**
 * What others did with the patient's data (their own actions left out), newest first, `size`
 * lines before `before`; DENIED attempts grouped and other patients unnamed (ABOUT_PATIENT).
 */
export async function readAuditAboutPatient(
  sql: Sql,
  patientId: string,
  page: { readonly before: string | undefined; readonly size: number },
): Promise<AuditLogRow[]> {
  return (await sql.query(ABOUT_PATIENT, [patientId, page.before ?? null, page.size])).map(toLogRow);
}

/**
 * Rows of a practice's people about patients' data, optionally about one patient and in [from,
 * to), newest first, before a row id. Security events (no patient) have their own list.
 */
const OF_PRACTICE: Statement = {
  name: 'audit_log_of_practice',
  text: `
    SELECT ${COLUMNS}
    FROM audit_events a
    WHERE a.actor_practice_id = $1::uuid AND a.patient_id IS NOT NULL
      AND ($2::uuid IS NULL OR a.patient_id = $2::uuid)
      AND ($3::timestamptz IS NULL OR a.at >= $3::timestamptz)
      AND ($4::timestamptz IS NULL OR a.at < $4::timestamptz)
      AND ($5::bigint IS NULL OR a.id < $5::bigint)
    ORDER BY a.id DESC LIMIT $6::int`,
};

/** What the practice's people read or changed (OF_PRACTICE). */
export async function readAuditOfPractice(
  sql: Sql,
  practiceId: string,
  filter: {
    readonly patientId: string | null;
    readonly from: Date | null;
    readonly to: Date | null;
    readonly before: string | undefined;
    readonly size: number;
  },
): Promise<AuditLogRow[]> {
  const rows = await sql.query(OF_PRACTICE, [
    practiceId,
    filter.patientId,
    filter.from?.toISOString() ?? null,
    filter.to?.toISOString() ?? null,
    filter.before ?? null,
    filter.size,
  ]);
  return rows.map(toLogRow);
}

/** A security event (security-events.ts) as a practice's admins read it. */
export interface SecurityLogRow {
  readonly id: bigint;
  readonly at: Date;
  readonly action: string;
  readonly outcome: string;
  readonly actorName: string | null;
  readonly clientAddress: string | null;
  readonly userAgent: string | null;
  readonly appId: string | null;
}

const SecurityRow = z.object({
  id: int8,
  at: timestamp,
  action: z.string(),
  outcome: z.string(),
  actor_name: z.string().nullable(),
  client_address: z.string().nullable(),
  user_agent: z.string().nullable(),
  app_id: z.string().nullable(),
});

/**
 * A practice's security events, newest first, before a row id. The prefix test on `action` is a
 * range on text, so the (actor_practice_id, at) index narrows the rows to the practice first.
 */
const SECURITY_OF_PRACTICE: Statement = {
  name: 'audit_log_security_of_practice',
  text: `
    SELECT a.id, a.at, a.action, a.outcome, a.client_address, a.user_agent, a.app_id, ${userNameOf('a.actor_user_id')} AS actor_name
    FROM audit_events a
    WHERE a.actor_practice_id = $1::uuid AND a.action LIKE 'security.%'
      AND ($2::bigint IS NULL OR a.id < $2::bigint)
    ORDER BY a.id DESC LIMIT $3::int`,
};

/** The practice's security events (SECURITY_OF_PRACTICE), `size` rows before the row `before`. */
export async function readSecurityEventsOfPractice(
  sql: Sql,
  practiceId: string,
  page: { readonly before: string | null; readonly size: number },
): Promise<SecurityLogRow[]> {
  return (await sql.query(SECURITY_OF_PRACTICE, [practiceId, page.before, page.size])).map((raw) => {
    const row = SecurityRow.parse(raw);
    return {
      id: row.id,
      at: row.at,
      action: row.action,
      outcome: row.outcome,
      actorName: row.actor_name,
      clientAddress: row.client_address,
      userAgent: row.user_agent,
      appId: row.app_id,
    };
  });
}
