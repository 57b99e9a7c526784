import type { SqlSession } from './migrations';

/** A role name we create and grant without quoting surprises: lower case, digits, underscores. */
const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** What createAppRole did, for the admin command to report. */
export interface AppRoleResult {
  readonly created: boolean;
  /** False when the session may not set log_parameter_max_length for the role (only a superuser may). */
  readonly parameterLoggingOff: boolean;
}

/**
 * Makes `name` a role the server can run as (DATABASE_URL) while the session's role, the tables'
 * owner, migrates (MIGRATION_DATABASE_URL): creates it (LOGIN, no password) when missing and
 * grants it what careline_grant_app_role gives (migration 20261204020001_audit_app_role: every
 * table, but on audit_events only SELECT and INSERT, and retention through audit_prune). Also turns
 * off the logging of its statements' bound parameters (AUDIT_KEY is one) when the session may.
 * Idempotent: run it again after an upgrade.
 */
export async function createAppRole(session: SqlSession, name: string): Promise<AppRoleResult> {
  if (!ROLE_NAME.test(name)) throw new Error(`role name "${name}" must be lower case letters, digits and underscores`);
  const existing = await session.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name]);
  if (existing.length === 0) await session.exec(`CREATE ROLE "${name}" LOGIN`);
  await session.query('SELECT careline_grant_app_role($1::name)', [name]);
  let parameterLoggingOff = true;
  try {
    await session.exec(`ALTER ROLE "${name}" SET log_parameter_max_length = 0`);
  } catch {
    parameterLoggingOff = false;
  }
  return { created: existing.length === 0, parameterLoggingOff };
}
