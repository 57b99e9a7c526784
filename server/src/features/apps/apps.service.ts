import { randomBytes, randomUUID } from 'node:crypto';
import type { AdapterPayload } from 'oidc-provider';
import { isAppScope } from '../../accounts/app-scopes';
import { requireViewer, type Viewer } from '../../accounts/authorization';
import type { RequestMeta } from '../../accounts/request-meta';
import type { SessionService } from '../../accounts/sessions';
import type { AuditTrail } from '../../audit/audit-trail';
import { SecurityAction, SecurityOutcome } from '../../audit/security-events';
import type { Role } from '../../generated/prisma/enums';
import type { Transactions } from '../../live/transactions';
import type { Clock } from '../../platform/clock';
import type { DataCipher } from '../../platform/data-cipher';
import { badUserInput, forbidden, notFound } from '../../platform/errors';
import type { Sql } from '../../platform/sql';
import { isUuid, requiredText } from '../../platform/validation';
import {
  appByClientId,
  appById,
  deleteApp as deleteAppRecord,
  endAppAuthorizations,
  updateApp as updateAppRecord,
  appsOfPractice,
  authorizationsOfUser,
  countAppsOfPractice,
  insertApp,
  insertAuthorization,
  liveAuthorization,
  revokeAuthorizations,
  type AppRecord,
  type LiveAuthorization,
} from './apps.sql';
import type { App, AuthorizedApp, RegisterAppInput, UpdateAppInput } from './apps.type';
import { destroyGrant, revokeGrantRecords } from './oauth-records.sql';

/** Throws FORBIDDEN / UNAUTHENTICATED unless the viewer is an admin of the practice (the practices feature decides). */
export type AssertPracticeAdmin = (viewer: Viewer | undefined, practiceId: string) => Promise<unknown>;

const MAX_APPS_PER_PRACTICE = 50;
const MAX_REDIRECT_URIS = 10;
const MAX_URI_LENGTH = 2000;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

const secretContext = (appId: string) => `apps.client_secret:${appId}`;

/**
 * Third-party apps: registered by a practice's admin (an OAuth client each), authorized by users
 * on the consent page (one grant and one CareLine session per authorization), revoked by them.
 * App tokens never widen what a user may do: the services decide as for the user themself.
 */
export class AppService {
  constructor(
    private readonly sql: Sql,
    private readonly transactions: Transactions,
    private readonly assertAdmin: AssertPracticeAdmin,
    private readonly sessions: SessionService,
    private readonly cipher: DataCipher,
    private readonly clock: Clock,
    /** Registering, allowing and revoking an app are security events of the app's practice. */
    private readonly audit: AuditTrail,
  ) {}

  /** A new app; a confidential one's secret is in this answer and never again (stored sealed). */
  async registerApp(viewer: Viewer | undefined, input: RegisterAppInput): Promise<App> {
    await this.requirePracticeAdmin(viewer, input.practiceId);
    const name = requiredText(input.name, 'name', 100);
    const redirectUris = checkRedirectUris(input.redirectUris);
    const scopes = checkScopes(input.scopes);
    if ((await countAppsOfPractice(this.sql, input.practiceId)) >= MAX_APPS_PER_PRACTICE)
      throw badUserInput(`A practice can register at most ${MAX_APPS_PER_PRACTICE} apps.`);
    const id = randomUUID();
    const secret = input.confidential === true ? randomBytes(32).toString('base64url') : null;
    const actor = requireViewer(viewer);
    const record = await this.transactions.run(async (tx) => {
      const inserted = await insertApp(tx, {
        id,
        practiceId: input.practiceId,
        name,
        clientId: `careline-${randomBytes(12).toString('base64url')}`,
        sealedSecret: secret === null ? null : this.cipher.seal(secret, secretContext(id)),
        redirectUris,
        scopes,
        createdById: actor.userId,
      });
      await this.writeAppEvent(tx, SecurityAction.AppRegistered, actor, input.practiceId, id);
      return inserted;
    });
    return { ...toApp(record), clientSecret: secret };
  }

  /**
   * An admin of the app's practice changes its name, redirect URIs or scopes (each as registerApp
   * checks it). Authorizations holding a scope taken away end, as revokeAppAuthorization ends them
   * (the users allow the app again, for what it may now ask); the others go on.
   */
  async updateApp(viewer: Viewer | undefined, input: UpdateAppInput): Promise<App> {
    const app = await this.appForAdmin(viewer, input.appId);
    if (!app) throw notFound('App');
    const name = input.name == null ? app.name : requiredText(input.name, 'name', 100);
    const redirectUris = input.redirectUris == null ? app.redirectUris : checkRedirectUris(input.redirectUris);
    const scopes = input.scopes == null ? app.scopes : checkScopes(input.scopes);
    const actor = requireViewer(viewer);
    const { record, ended } = await this.transactions.run(async (tx) => {
      const updated = await updateAppRecord(tx, { id: app.id, name, redirectUris, scopes });
      if (!updated) throw notFound('App');
      const endedHere = await this.endGrants(tx, await endAppAuthorizations(tx, app.id, this.clock(), scopes));
      await this.writeAppEvent(tx, SecurityAction.AppUpdated, actor, app.practiceId, app.id);
      return { record: updated, ended: endedHere };
    });
    await this.afterEnded(ended);
    return toApp(record);
  }

  /**
   * An admin of the app's practice deletes it: every user's authorization ends (grants, tokens,
   * the sessions they lived in: sockets close on every instance), then the app itself. False when
   * there is no such app (the practice's admins only: anyone else is FORBIDDEN or not found).
   */
  async deleteApp(viewer: Viewer | undefined, appId: string): Promise<boolean> {
    const app = await this.appForAdmin(viewer, appId);
    if (!app) return false;
    const actor = requireViewer(viewer);
    const ended = await this.transactions.run(async (tx) => {
      const endedHere = await this.endGrants(tx, await endAppAuthorizations(tx, app.id, this.clock(), null));
      await deleteAppRecord(tx, app.id);
      await this.writeAppEvent(tx, SecurityAction.AppDeleted, actor, app.practiceId, app.id);
      return endedHere;
    });
    await this.afterEnded(ended);
    return true;
  }

  /** The app, when the viewer (not an app) is an admin of its practice (FORBIDDEN otherwise); undefined when there is none. */
  private async appForAdmin(viewer: Viewer | undefined, appId: string): Promise<AppRecord | undefined> {
    requireOwnViewer(viewer);
    if (!isUuid(appId)) return undefined;
    const app = await appById(this.sql, appId);
    if (app) await this.requirePracticeAdmin(viewer, app.practiceId);
    return app;
  }

  /** Deletes the grants' codes and tokens; the access tokens' keys, to announce once committed. */
  private async endGrants(
    tx: Sql,
    ended: readonly { grantId: string; sessionId: string; userId: string }[],
  ): Promise<{ sessions: { userId: string; sessionId: string }[]; tokenKeys: string[] }> {
    const tokenKeys: string[] = [];
    for (const { grantId } of ended) {
      tokenKeys.push(...(await revokeGrantRecords(tx, grantId)));
      await destroyGrant(tx, grantId);
    }
    return { sessions: ended.map(({ userId, sessionId }) => ({ userId, sessionId })), tokenKeys };
  }

  /** Once committed: the sessions of ended authorizations revoked, their tokens announced (sockets close everywhere). */
  private async afterEnded(ended: { sessions: { userId: string; sessionId: string }[]; tokenKeys: string[] }): Promise<void> {
    for (const { userId, sessionId } of ended.sessions) await this.sessions.revoke(userId, sessionId);
    await this.sessions.announceAppTokensRevoked(ended.tokenKeys);
  }

  /** The practice's apps for its admins, newest first; never a secret (it was shown once, at registration). */
  async practiceApps(viewer: Viewer | undefined, practiceId: string): Promise<App[]> {
    requireOwnViewer(viewer);
    await this.requirePracticeAdmin(viewer, practiceId);
    const records = await appsOfPractice(this.sql, practiceId);
    return records.map(toApp);
  }

  /** registerApp's and practiceApps' rule: an admin of that practice (FORBIDDEN otherwise). */
  private async requirePracticeAdmin(viewer: Viewer | undefined, practiceId: string): Promise<void> {
    if (!isUuid(practiceId)) throw notFound('Practice');
    await this.assertAdmin(viewer, practiceId);
  }

  async myAuthorizedApps(viewer: Viewer | undefined): Promise<AuthorizedApp[]> {
    const { userId } = requireOwnViewer(viewer);
    const records = await authorizationsOfUser(this.sql, userId);
    return records.map((record) => ({
      appId: record.appId,
      name: record.appName,
      practiceName: record.practiceName,
      scopes: record.scopes,
      authorizedAt: record.authorizedAt,
    }));
  }

  /**
   * Ends every authorization the viewer gave the app: its codes and tokens are deleted, and the
   * sessions they lived in revoked, which closes the app's sockets on every instance.
   */
  async revokeAppAuthorization(viewer: Viewer | undefined, appId: string): Promise<boolean> {
    const actor = requireOwnViewer(viewer);
    const { userId } = actor;
    if (!isUuid(appId)) return false;
    const revoked = await this.transactions.run(async (tx) => {
      const ended = await revokeAuthorizations(tx, userId, appId, this.clock());
      for (const { grantId } of ended) {
        await revokeGrantRecords(tx, grantId);
        await destroyGrant(tx, grantId);
      }
      const practiceId = ended[0]?.practiceId;
      if (practiceId) await this.writeAppEvent(tx, SecurityAction.AppAuthorizationRevoked, actor, practiceId, appId);
      return ended;
    });
    for (const { sessionId } of revoked) await this.sessions.revoke(userId, sessionId);
    return revoked.length > 0;
  }

  /** The app behind a client id, for the consent page. */
  appOfClient(clientId: string): Promise<AppRecord | undefined> {
    return appByClientId(this.sql, clientId);
  }

  /** The provider's view of an app (its Client model). */
  async clientMetadata(clientId: string): Promise<AdapterPayload | undefined> {
    const app = await appByClientId(this.sql, clientId);
    if (!app) return undefined;
    return {
      client_id: app.clientId,
      client_name: app.name,
      redirect_uris: app.redirectUris,
      response_types: ['code'],
      grant_types: ['authorization_code', 'refresh_token'],
      scope: app.scopes.join(' '),
      ...(app.sealedSecret === null
        ? { token_endpoint_auth_method: 'none' }
        : { token_endpoint_auth_method: 'client_secret_basic', client_secret: this.cipher.open(app.sealedSecret, secretContext(app.id)) }),
    };
  }

  /** Records a user's consent: the provider's grant, and the session signed in on the consent page. */
  async recordAuthorization(
    authorization: { grantId: string; app: AppRecord; userId: string; sessionId: string; scopes: readonly string[] },
    actor: { role: Role; request: RequestMeta },
  ): Promise<void> {
    const { app, ...rest } = authorization;
    await this.transactions.run(async (tx) => {
      await insertAuthorization(tx, { ...rest, appId: app.id, at: this.clock() });
      await this.writeAppEvent(tx, SecurityAction.AppAuthorized, { userId: rest.userId, ...actor }, app.practiceId, app.id);
    });
  }

  private async writeAppEvent(
    tx: Sql,
    action: SecurityAction,
    actor: { userId: string; role: string; request: RequestMeta },
    practiceId: string,
    appId: string,
  ): Promise<void> {
    await this.audit.writeSecurityEvent(tx, {
      action,
      outcome: SecurityOutcome.Success,
      actorUserId: actor.userId,
      actorRole: actor.role,
      practiceId,
      objectType: 'app',
      objectId: appId,
      request: actor.request,
    });
  }

  /** The live consent behind a grant, or undefined (revoked, or its account deactivated). */
  authorizationOfGrant(grantId: string): Promise<LiveAuthorization | undefined> {
    return liveAuthorization(this.sql, grantId);
  }
}

/** An app as the API shows it: without its secret (registerApp adds it to its answer, once). */
function toApp(record: AppRecord): App {
  return {
    id: record.id,
    clientId: record.clientId,
    name: record.name,
    redirectUris: record.redirectUris,
    scopes: record.scopes,
    confidential: record.sealedSecret !== null,
    createdAt: record.createdAt,
    clientSecret: null,
  };
}

/** Apps are the user's own business: an app's token cannot list or revoke apps (the scope gate refuses it too). */
function requireOwnViewer(viewer: Viewer | undefined): Viewer {
  const signedIn = requireViewer(viewer);
  if (signedIn.app) throw forbidden('Apps are managed by the user, not by an app.');
  return signedIn;
}

function checkRedirectUris(uris: readonly string[]): string[] {
  if (uris.length < 1 || uris.length > MAX_REDIRECT_URIS)
    throw badUserInput(`Give 1 to ${MAX_REDIRECT_URIS} redirect URIs.`, 'redirectUris');
  for (const uri of uris) {
    const parsed = uri.length <= MAX_URI_LENGTH && URL.canParse(uri) ? new URL(uri) : undefined;
    if (!parsed || parsed.hash !== '' || uri.includes('#'))
      throw badUserInput(`Not an absolute URL without a fragment: ${uri.slice(0, 100)}`, 'redirectUris');
    if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname)))
      throw badUserInput('A redirect URI must be https:// (http:// only to localhost, 127.0.0.1 or [::1]).', 'redirectUris');
  }
  return [...new Set(uris)];
}

function checkScopes(scopes: readonly string[]): string[] {
  if (scopes.length === 0) throw badUserInput('Give at least one scope.', 'scopes');
  const unknown = scopes.filter((scope) => !isAppScope(scope));
  if (unknown.length > 0) throw badUserInput(`Unknown scope: ${unknown.slice(0, 3).join(', ')}.`, 'scopes');
  return [...new Set(scopes)];
}

declare module '../../graphql/request-context' {
  interface RequestServices {
    readonly apps: AppService;
  }
}
