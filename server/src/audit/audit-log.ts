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
}

const COLUMNS = `a.id, a.at, a.actor_role, a.actor_practice_id, a.action, a.outcome, ${userNameOf('a.actor_user_id')} AS actor_name`;

const LogRow = z.object({
  id: int8,
  at: timestamp,
  actor_role: z.string(),
  actor_practice_id: z.string().nullable(),
  action: z.string(),
  outcome: z.string(),
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
  };
}

/** Rows about one patient by anyone but the patient themself, newest first, before a row id. */
const ABOUT_PATIENT: Statement = {
  name: 'audit_log_about_patient',
  text: `
    SELECT ${COLUMNS}
    FROM audit_events a
    WHERE a.patient_id = $1::uuid AND a.actor_user_id IS DISTINCT FROM $1::uuid
      AND ($2::bigint IS NULL OR a.id < $2::bigint)
    ORDER BY a.id DESC LIMIT $3::int`,
};

/** What others did with the patient's data (their own actions left out), newest first, `size` rows before `before`. */
export async function readAuditAboutPatient(
  sql: Sql,
  patientId: string,
  page: { readonly before: string | undefined; readonly size: number },
): Promise<AuditLogRow[]> {
  return (await sql.query(ABOUT_PATIENT, [patientId, page.before ?? null, page.size])).map(toLogRow);
}

/** Rows of a practice's people, optionally about one patient and in [from, to), newest first, before a row id. */
const OF_PRACTICE: Statement = {
  name: 'audit_log_of_practice',
  text: `
    SELECT ${COLUMNS}
    FROM audit_events a
    WHERE a.actor_practice_id = $1::uuid
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
}

const SecurityRow = z.object({
  id: int8,
  at: timestamp,
  action: z.string(),
  outcome: z.string(),
  actor_name: z.string().nullable(),
  client_address: z.string().nullable(),
  user_agent: z.string().nullable(),
});

/**
 * A practice's security events, newest first, before a row id. The prefix test on `action` is a
 * range on text, so the (actor_practice_id, at) index narrows the rows to the practice first.
 */
const SECURITY_OF_PRACTICE: Statement = {
  name: 'audit_log_security_of_practice',
  text: `
    SELECT a.id, a.at, a.action, a.outcome, a.client_address, a.user_agent, ${userNameOf('a.actor_user_id')} AS actor_name
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
    };
  });
}
