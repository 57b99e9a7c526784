import { z } from 'zod';
import { accountActive, userRoleOf } from '../../accounts/users.sql';
import { Role } from '../../generated/prisma/enums';
import type { Sql, Statement } from '../../platform/sql';
import { timestamp } from '../../platform/sql-values';
import { practiceNameOf } from '../practices/practices.sql';

/**
 * The statements of the apps module's own tables: the apps practices registered (apps) and their
 * users' consents (app_authorizations). The provider's storage is in oauth-records.sql.ts.
 */

/** An app as the provider and the API read it; `clientSecret` still sealed. */
export interface AppRecord {
  readonly id: string;
  readonly practiceId: string;
  readonly practiceName: string;
  readonly name: string;
  readonly clientId: string;
  readonly sealedSecret: string | null;
  readonly redirectUris: string[];
  readonly scopes: string[];
  readonly createdAt: Date;
}

const APP_COLUMNS = `app.id, app.practice_id, ${practiceNameOf('app.practice_id')} AS practice_name, app.name, app.client_id,
  app.client_secret, app.redirect_uris, app.scopes, app.created_at`;

const AppRow = z.object({
  id: z.string(),
  practice_id: z.string(),
  practice_name: z.string().nullable(),
  name: z.string(),
  client_id: z.string(),
  client_secret: z.string().nullable(),
  redirect_uris: z.array(z.string()),
  scopes: z.array(z.string()),
  created_at: timestamp,
});

function toAppRecord(raw: unknown): AppRecord {
  const row = AppRow.parse(raw);
  return {
    id: row.id,
    practiceId: row.practice_id,
    practiceName: row.practice_name ?? '',
    name: row.name,
    clientId: row.client_id,
    sealedSecret: row.client_secret,
    redirectUris: row.redirect_uris,
    scopes: row.scopes,
    createdAt: row.created_at,
  };
}

const INSERT_APP: Statement = {
  name: 'apps_insert',
  text: `
    WITH app AS (
      INSERT INTO apps (id, practice_id, name, client_id, client_secret, redirect_uris, scopes, created_by_id)
      VALUES ($1::uuid, $2::uuid, $3::text, $4::text, $5::text, $6::text[], $7::text[], $8::uuid)
      RETURNING *
    )
    SELECT ${APP_COLUMNS} FROM app`,
};

/** A new app; the caller chose its id (the sealed secret is bound to it). */
export async function insertApp(
  tx: Sql,
  app: Omit<AppRecord, 'practiceName' | 'createdAt'> & { readonly createdById: string | null },
): Promise<AppRecord> {
  const rows = await tx.query(INSERT_APP, [
    app.id,
    app.practiceId,
    app.name,
    app.clientId,
    app.sealedSecret,
    app.redirectUris,
    app.scopes,
    app.createdById,
  ]);
  return toAppRecord(rows[0]);
}

const APP_BY_ID: Statement = {
  name: 'apps_by_id',
  text: `SELECT ${APP_COLUMNS} FROM apps app WHERE app.id = $1::uuid`,
};

export async function appById(sql: Sql, id: string): Promise<AppRecord | undefined> {
  const rows = await sql.query(APP_BY_ID, [id]);
  return rows[0] === undefined ? undefined : toAppRecord(rows[0]);
}

const UPDATE_APP: Statement = {
  name: 'apps_update',
  text: `
    WITH app AS (
      UPDATE apps SET name = $2::text, redirect_uris = $3::text[], scopes = $4::text[] WHERE id = $1::uuid RETURNING *
    )
    SELECT ${APP_COLUMNS} FROM app`,
};

export async function updateApp(
  tx: Sql,
  app: { id: string; name: string; redirectUris: readonly string[]; scopes: readonly string[] },
): Promise<AppRecord | undefined> {
  const rows = await tx.query(UPDATE_APP, [app.id, app.name, app.redirectUris, app.scopes]);
  return rows[0] === undefined ? undefined : toAppRecord(rows[0]);
}

const DELETE_APP: Statement = {
  name: 'apps_delete',
  text: `DELETE FROM apps WHERE id = $1::uuid`,
};

/** The app, and with it its authorizations (ended first by endAppAuthorizations). */
export async function deleteApp(tx: Sql, id: string): Promise<void> {
  await tx.query(DELETE_APP, [id]);
}

const END_APP_AUTHORIZATIONS: Statement = {
  name: 'apps_end_authorizations',
  text: `
    UPDATE app_authorizations SET revoked_at = $2::timestamptz
    WHERE app_id = $1::uuid AND revoked_at IS NULL AND ($3::text[] IS NULL OR NOT (scopes <@ $3::text[]))
    RETURNING grant_id, session_id, user_id`,
};

/**
 * Ends every user's live authorization of the app (`keptScopes` null), or those holding a scope
 * outside `keptScopes`; their grants and sessions, for the caller to end too.
 */
export async function endAppAuthorizations(
  tx: Sql,
  appId: string,
  at: Date,
  keptScopes: readonly string[] | null,
): Promise<{ grantId: string; sessionId: string; userId: string }[]> {
  const rows = await tx.query(END_APP_AUTHORIZATIONS, [appId, at.toISOString(), keptScopes]);
  return rows.map((raw) => {
    const row = z.object({ grant_id: z.string(), session_id: z.string(), user_id: z.string() }).parse(raw);
    return { grantId: row.grant_id, sessionId: row.session_id, userId: row.user_id };
  });
}

const APP_BY_CLIENT_ID: Statement = {
  name: 'apps_by_client_id',
  text: `SELECT ${APP_COLUMNS} FROM apps app WHERE app.client_id = $1::text`,
};

export async function appByClientId(sql: Sql, clientId: string): Promise<AppRecord | undefined> {
  const rows = await sql.query(APP_BY_CLIENT_ID, [clientId]);
  return rows[0] === undefined ? undefined : toAppRecord(rows[0]);
}

const APPS_OF_PRACTICE: Statement = {
  name: 'apps_of_practice',
  text: `SELECT ${APP_COLUMNS} FROM apps app WHERE app.practice_id = $1::uuid ORDER BY app.created_at DESC, app.id DESC`,
};

/** The practice's apps, newest first (secrets still sealed: the caller must not return them). */
export async function appsOfPractice(sql: Sql, practiceId: string): Promise<AppRecord[]> {
  const rows = await sql.query(APPS_OF_PRACTICE, [practiceId]);
  return rows.map(toAppRecord);
}

const COUNT_APPS_OF_PRACTICE: Statement = {
  name: 'apps_count_of_practice',
  text: `SELECT count(*)::int AS count FROM apps WHERE practice_id = $1::uuid`,
};

export async function countAppsOfPractice(sql: Sql, practiceId: string): Promise<number> {
  const rows = await sql.query(COUNT_APPS_OF_PRACTICE, [practiceId]);
  return z.object({ count: z.number() }).parse(rows[0]).count;
}

const INSERT_AUTHORIZATION: Statement = {
  name: 'apps_insert_authorization',
  text: `
    INSERT INTO app_authorizations (grant_id, app_id, user_id, session_id, scopes, created_at)
    VALUES ($1::text, $2::uuid, $3::uuid, $4::uuid, $5::text[], $6::timestamptz)`,
};

/** A user's consent to an app: the provider's grant, and the CareLine session its tokens live in. */
export async function insertAuthorization(
  tx: Sql,
  authorization: { grantId: string; appId: string; userId: string; sessionId: string; scopes: readonly string[]; at: Date },
): Promise<void> {
  await tx.query(INSERT_AUTHORIZATION, [
    authorization.grantId,
    authorization.appId,
    authorization.userId,
    authorization.sessionId,
    authorization.scopes,
    authorization.at.toISOString(),
  ]);
}

/** What an app's token speaks for: its grant's user, session, app and allowed scopes. */
export interface LiveAuthorization {
  readonly userId: string;
  readonly role: Role;
  readonly sessionId: string;
  readonly appId: string;
  readonly appName: string;
  readonly scopes: string[];
}

const LIVE_AUTHORIZATION: Statement = {
  name: 'apps_live_authorization',
  text: `
    SELECT authorization_.user_id, ${userRoleOf('authorization_.user_id')} AS role, authorization_.session_id,
      app.id AS app_id, app.name AS app_name, authorization_.scopes
    FROM app_authorizations authorization_ JOIN apps app ON app.id = authorization_.app_id
    WHERE authorization_.grant_id = $1::text AND authorization_.revoked_at IS NULL
      AND ${accountActive('authorization_.user_id')}`,
};

const LiveAuthorizationRow = z.object({
  user_id: z.string(),
  role: z.enum(Role),
  session_id: z.string(),
  app_id: z.string(),
  app_name: z.string(),
  scopes: z.array(z.string()),
});

/** The grant's consent, unless it was revoked or its account deactivated. */
export async function liveAuthorization(sql: Sql, grantId: string): Promise<LiveAuthorization | undefined> {
  const rows = await sql.query(LIVE_AUTHORIZATION, [grantId]);
  if (rows[0] === undefined) return undefined;
  const row = LiveAuthorizationRow.parse(rows[0]);
  return {
    userId: row.user_id,
    role: row.role,
    sessionId: row.session_id,
    appId: row.app_id,
    appName: row.app_name,
    scopes: row.scopes,
  };
}

/** One of a user's consents, as `myAuthorizedApps` shows it. */
export interface AuthorizationRecord {
  readonly appId: string;
  readonly appName: string;
  readonly practiceName: string;
  readonly scopes: string[];
  readonly authorizedAt: Date;
}

const AUTHORIZATIONS_OF_USER: Statement = {
  name: 'apps_authorizations_of_user',
  text: `
    SELECT app.id AS app_id, app.name AS app_name, ${practiceNameOf('app.practice_id')} AS practice_name,
      authorization_.scopes, authorization_.created_at
    FROM app_authorizations authorization_ JOIN apps app ON app.id = authorization_.app_id
    WHERE authorization_.user_id = $1::uuid AND authorization_.revoked_at IS NULL
    ORDER BY authorization_.created_at DESC`,
};

const AuthorizationRow = z.object({
  app_id: z.string(),
  app_name: z.string(),
  practice_name: z.string().nullable(),
  scopes: z.array(z.string()),
  created_at: timestamp,
});

export async function authorizationsOfUser(sql: Sql, userId: string): Promise<AuthorizationRecord[]> {
  const rows = await sql.query(AUTHORIZATIONS_OF_USER, [userId]);
  return rows.map((raw) => {
    const row = AuthorizationRow.parse(raw);
    return {
      appId: row.app_id,
      appName: row.app_name,
      practiceName: row.practice_name ?? '',
      scopes: row.scopes,
      authorizedAt: row.created_at,
    };
  });
}

const REVOKE_AUTHORIZATIONS: Statement = {
  name: 'apps_revoke_authorizations',
  text: `
    UPDATE app_authorizations authorization_ SET revoked_at = $3::timestamptz
    FROM apps app
    WHERE app.id = authorization_.app_id AND authorization_.user_id = $1::uuid AND authorization_.app_id = $2::uuid
      AND authorization_.revoked_at IS NULL
    RETURNING authorization_.grant_id, authorization_.session_id, app.practice_id`,
};

/** Ends the user's consents to the app; their grants and sessions, for the caller to end too. */
export async function revokeAuthorizations(
  tx: Sql,
  userId: string,
  appId: string,
  at: Date,
): Promise<{ grantId: string; sessionId: string; practiceId: string }[]> {
  const rows = await tx.query(REVOKE_AUTHORIZATIONS, [userId, appId, at.toISOString()]);
  return rows.map((raw) => {
    const row = z.object({ grant_id: z.string(), session_id: z.string(), practice_id: z.string() }).parse(raw);
    return { grantId: row.grant_id, sessionId: row.session_id, practiceId: row.practice_id };
  });
}

const APP_NAMES: Statement = {
  name: 'apps_names_of',
  text: `SELECT id, name FROM apps WHERE id = ANY($1::uuid[])`,
};

/** The names of these apps, by id (the access log's "<user> via <app>"); an app deleted since is absent. */
export async function appNamesOf(sql: Sql, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await sql.query(APP_NAMES, [unique]);
  return new Map(rows.map((raw) => z.object({ id: z.string(), name: z.string() }).parse(raw)).map((row) => [row.id, row.name]));
}
