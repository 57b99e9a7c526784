import type { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import express, { type Express, type Request } from 'express';
import { GraphQLError } from 'graphql';
import { z } from 'zod';
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { APP_SCOPES, parseScopes } from '../../accounts/app-scopes';
import type { Viewer } from '../../accounts/authorization';
import type { RequestMeta } from '../../accounts/request-meta';
import type { SessionService } from '../../accounts/sessions';
import type { TokenService } from '../../accounts/tokens';
import type { AppTokens } from '../../accounts/viewer';
import { Role } from '../../generated/prisma/enums';
import type { Clock } from '../../platform/clock';
import type { DataCipher } from '../../platform/data-cipher';
import type { Logger } from '../../platform/logger';
import type { SqlDatabase } from '../../platform/sql';
import type { UserService } from '../users/users.service';
import type { AppService } from './apps.service';
import { OAuthAdapter } from './oauth-adapter';
import { KEY_RELOAD_INTERVAL_MS, loadSigningKeys } from './oauth-keys';
import { renderConsentPage, renderErrorPage } from './oauth-pages';
import { existingAccessTokens, pruneRecords, recordKey } from './oauth-records.sql';

/** Where the provider's endpoints live, under the issuer (PUBLIC_URL). */
const ROUTES = {
  authorization: '/oauth/auth',
  token: '/oauth/token',
  jwks: '/oauth/jwks',
  revocation: '/oauth/token/revocation',
  introspection: '/oauth/token/introspection',
  userinfo: '/oauth/me',
  end_session: '/oauth/session/end',
  pushed_authorization_request: '/oauth/request',
  registration: '/oauth/reg',
  code_verification: '/oauth/device',
  device_authorization: '/oauth/device/auth',
  backchannel_authentication: '/oauth/backchannel',
  challenge: '/oauth/challenge',
  credential: '/oauth/credential',
} as const;

const INTERACTION_PREFIX = '/oauth/interaction/';

/** Lifetimes, in seconds. A refresh token is also bounded by the CareLine session it lives in (SESSION_MAX_AGE). */
const TTL = {
  AccessToken: 15 * 60,
  AuthorizationCode: 60,
  RefreshToken: 14 * 24 * 3600,
  Grant: 90 * 24 * 3600,
  Session: 3600,
  Interaction: 30 * 60,
  IdToken: 15 * 60,
};

export interface OAuth {
  /** The viewer behind an app's access token (accounts/viewer.ts asks it for non-JWT tokens). */
  readonly appTokens: AppTokens;
  /** Mounts the provider, the sign-in and consent page, and the SMART configuration on the app. */
  mount(app: Express, requestMeta: (req: Request) => RequestMeta): void;
  /** The endpoints the FHIR CapabilityStatement names (SMART's oauth-uris extension). */
  readonly uris: { authorize: string; token: string; revoke: string; introspect: string };
  /** Stops the pruning of expired records and the reloading of signing keys. */
  stop(): void;
  /** Reads the signing keys again (after a rotation); resolves once the provider uses them. */
  reloadKeys(): Promise<void>;
}

type SigningKeys = Awaited<ReturnType<typeof loadSigningKeys>>;

const PRUNE_INTERVAL_MS = 10 * 60 * 1000;
const PRUNE_GRACE_MS = 24 * 3600 * 1000;

/**
 * The OpenID Connect provider of third-party apps (oidc-provider, docs/apps.md): authorization code
 * with PKCE S256 only, rotating refresh tokens (a reused one revokes its grant), revocation,
 * introspection; storage and signing keys in PostgreSQL; issuer PUBLIC_URL. Each authorization is
 * a sign-in through UserService.login (throttle, MFA, audit) that opens a CareLine session: the
 * app's tokens live as long as that session and the user's consent.
 */
export async function createOAuth(deps: {
  publicUrl: string;
  trustProxy: boolean;
  sql: SqlDatabase;
  cipher: DataCipher;
  clock: Clock;
  logger: Logger;
  apps: AppService;
  users: UserService;
  tokens: TokenService;
  sessions: SessionService;
  /** The built dashboard (CLIENT_DIST_DIR): the consent page links its stylesheet. */
  clientDistDir?: string;
  /** Emits 'signingKeysRotated' when any instance or the admin command rotated the keys (the revocation channel's events). */
  keyRotations?: EventEmitter;
}): Promise<OAuth> {
  const stylesheet = dashboardStylesheet(deps.clientDistDir);
  const configurationWith = ({ jwks, cookieKeys }: SigningKeys): Configuration => ({
    adapter: (name: string) =>
      new OAuthAdapter(
        name,
        deps.sql,
        deps.clock,
        (clientId) => deps.apps.clientMetadata(clientId),
        (tokenKeys) => deps.sessions.announceAppTokensRevoked(tokenKeys),
      ),
    jwks: { keys: jwks },
    cookies: { keys: cookieKeys },
    routes: ROUTES,
    responseTypes: ['code'],
    scopes: Object.keys(APP_SCOPES),
    claims: { openid: ['sub'], fhirUser: ['fhirUser'] },
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
    pkce: { required: () => true },
    rotateRefreshToken: true,
    features: {
      devInteractions: { enabled: false },
      // A token may be revoked or introspected only by the app it was issued to (the provider's
      // default rule, stated here so that it is ours).
      revocation: {
        enabled: true,
        allowedPolicy: async (ctx, client, token) => {
          if (token.clientId === client.clientId) return true;
          if (client.clientAuthMethod === 'none') return false;
          throw new errors.InvalidRequest('client is not authorized to revoke the presented token');
        },
      },
      introspection: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      userinfo: { enabled: true },
    },
    interactions: { url: (_ctx: KoaContextWithOIDC, interaction) => `${INTERACTION_PREFIX}${interaction.uid}` },
    // Browsers may call the token endpoint from a public app's own pages (its redirect URIs' origins).
    clientBasedCORS: (_ctx, origin, client) =>
      origin !== 'null' &&
      client.clientAuthMethod === 'none' &&
      (client.redirectUris?.some((uri) => URL.parse(uri)?.origin === origin) ?? false),
    ttl: TTL,
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.set('cache-control', 'no-store');
      ctx.body = renderErrorPage(
        String(out['error']),
        typeof out['error_description'] === 'string' ? out['error_description'] : undefined,
        stylesheet(),
      );
    },
  });
  /**
   * A provider with these keys. oidc-provider takes its keys once, at construction: a rotation
   * builds a new one (storage is the database, so nothing in flight is lost; interaction cookies
   * signed under the previous key still verify while it is published).
   */
  const build = (keys: SigningKeys) => {
    const provider = new Provider(deps.publicUrl, configurationWith(keys));
    // X-Forwarded-Proto is believed only behind TRUST_PROXY, as for the rest of the server.
    provider.proxy = deps.trustProxy;
    provider.on('server_error', (_ctx, error) => deps.logger.error({ err: error }, 'oauth provider error'));
    provider.use(smartPatientContext);
    return { provider, callback: provider.callback(), kids: keys.jwks.map((jwk) => jwk.kid).join(' ') };
  };
  let current: ReturnType<typeof build> | undefined;
  // Another instance (or `npm run admin -- rotate-oauth-key`) rotated the keys: read them again,
  // now (the revocation channel's message) and every KEY_RELOAD_INTERVAL_MS (a message missed, a
  // retired key's publication ending). A reload asked for while one runs runs again after it.
  let reloading: Promise<void> | undefined;
  let reloadAgain = false;
  const reloadKeys = (): Promise<void> => {
    if (reloading) {
      reloadAgain = true;
      return reloading;
    }
    reloading = (async () => {
      do {
        reloadAgain = false;
        try {
          const keys = await loadSigningKeys(deps.sql, deps.cipher, deps.clock);
          const kids = keys.jwks.map((jwk) => jwk.kid).join(' ');
          if (current && kids !== current.kids) {
            current = build(keys);
            deps.logger.info({ kids: kids.split(' ') }, 'oauth signing keys reloaded');
          }
        } catch (error) {
          deps.logger.warn({ err: error }, 'could not reload the oauth signing keys; the previous ones stay in use');
        }
      } while (reloadAgain);
    })().finally(() => {
      reloading = undefined;
    });
    return reloading;
  };
  const onKeysRotated = () => void reloadKeys();
  deps.keyRotations?.on('signingKeysRotated', onKeysRotated);
  const keyReload = setInterval(onKeysRotated, KEY_RELOAD_INTERVAL_MS);
  keyReload.unref();
  // Expired codes, tokens, sessions and interactions are never read again (find skips them): drop
  // them now and then, a day after expiry (nothing waits on them; the grace only spares the rows
  // an instance with a late clock could still be reading).
  const prune = () =>
    pruneRecords(deps.sql, new Date(deps.clock().getTime() - PRUNE_GRACE_MS)).catch((error: unknown) =>
      deps.logger.warn({ err: error }, 'pruning expired oauth records failed'),
    );
  const pruning = setInterval(() => void prune(), PRUNE_INTERVAL_MS);
  pruning.unref();

  // SMART's standalone patient launch: a token that carries launch/patient names its patient in the
  // token response (`patient`), which is the user when the user is a patient (there is no picker).
  async function smartPatientContext(ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> {
    await next();
    if (ctx.path !== ROUTES.token || ctx.status !== 200) return;
    const body: unknown = ctx.body;
    const accessToken = ctx.oidc?.entities.AccessToken;
    if (typeof body !== 'object' || body === null || !accessToken?.grantId || !accessToken.scope?.split(' ').includes('launch/patient'))
      return;
    const authorization = await deps.apps.authorizationOfGrant(accessToken.grantId);
    if (authorization?.role === Role.PATIENT) ctx.body = { ...body, patient: authorization.userId };
  }
  current = build(await loadSigningKeys(deps.sql, deps.cipher, deps.clock));
  const live = () => {
    if (!current) throw new Error('the oauth provider is not built');
    return current;
  };

  const appTokens: AppTokens = {
    async viewerOf(token, request): Promise<Viewer | undefined> {
      const accessToken = await live().provider.AccessToken.find(token);
      if (!accessToken?.grantId || accessToken.isExpired) return undefined;
      const authorization = await deps.apps.authorizationOfGrant(accessToken.grantId);
      if (!authorization || authorization.userId !== accessToken.accountId) return undefined;
      const checked = await deps.sessions.check(authorization.sessionId, undefined);
      if (!('session' in checked)) return undefined;
      const { session } = checked;
      const allowed = new Set(authorization.scopes);
      return {
        userId: authorization.userId,
        role: authorization.role,
        sessionId: session.id,
        sessionExpiresAt: Math.floor(session.expiresAt.getTime() / 1000),
        request: { ...request, appId: authorization.appId },
        secondFactorMissing: session.secondFactorMissing,
        app: {
          id: authorization.appId,
          name: authorization.appName,
          scopes: new Set(parseScopes(accessToken.scope).filter((scope) => allowed.has(scope))),
          token: { key: recordKey(token), expiresAtMs: (accessToken.exp ?? 0) * 1000 },
        },
      };
    },
    async revokedAmong(tokenKeys) {
      if (tokenKeys.length === 0) return [];
      const existing = await existingAccessTokens(deps.sql, tokenKeys);
      return tokenKeys.filter((key) => !existing.has(key));
    },
  };

  const smartConfiguration = () => ({
    issuer: deps.publicUrl,
    jwks_uri: `${deps.publicUrl}${ROUTES.jwks}`,
    authorization_endpoint: `${deps.publicUrl}${ROUTES.authorization}`,
    token_endpoint: `${deps.publicUrl}${ROUTES.token}`,
    revocation_endpoint: `${deps.publicUrl}${ROUTES.revocation}`,
    introspection_endpoint: `${deps.publicUrl}${ROUTES.introspection}`,
    userinfo_endpoint: `${deps.publicUrl}${ROUTES.userinfo}`,
    grant_types_supported: ['authorization_code', 'refresh_token'],
    response_types_supported: ['code'],
    token_endpoint_auth_methods_supported: ['none', 'client_secret_basic'],
    code_challenge_methods_supported: ['S256'],
    scopes_supported: Object.keys(APP_SCOPES),
    capabilities: [
      'launch-standalone',
      'client-public',
      'client-confidential-symmetric',
      'context-standalone-patient',
      'sso-openid-connect',
      'permission-offline',
      'permission-patient',
      'permission-user',
      'permission-v2',
    ],
  });

  return {
    appTokens,
    uris: {
      authorize: `${deps.publicUrl}${ROUTES.authorization}`,
      token: `${deps.publicUrl}${ROUTES.token}`,
      revoke: `${deps.publicUrl}${ROUTES.revocation}`,
      introspect: `${deps.publicUrl}${ROUTES.introspection}`,
    },
    stop: () => {
      clearInterval(pruning);
      clearInterval(keyReload);
      deps.keyRotations?.off('signingKeysRotated', onKeysRotated);
    },
    reloadKeys,
    mount(app, requestMeta) {
      // At the issuer, and under the FHIR base (where SMART clients look for it).
      app.get(['/.well-known/smart-configuration', '/fhir/R4/.well-known/smart-configuration'], (_req, res) => {
        res.set('access-control-allow-origin', '*').json(smartConfiguration());
      });
      app.get(`${INTERACTION_PREFIX}:uid`, async (req, res, next) => {
        try {
          const { provider } = live();
          const details = await provider.interactionDetails(req, res);
          const page = await consentPageOf(details.params);
          if (!page) return void res.status(400).type('text/plain').send('Unknown app.');
          sendPage(res, { ...page, uid: details.uid, stylesheet: stylesheet() }, 200, details.params);
        } catch (error) {
          interactionFailed(res, error, next, stylesheet());
        }
      });
      app.post(`${INTERACTION_PREFIX}:uid`, express.urlencoded({ extended: false, limit: '16kb' }), async (req, res, next) => {
        try {
          const { provider } = live();
          const details = await provider.interactionDetails(req, res);
          const page = await consentPageOf(details.params);
          if (!page) return void res.status(400).type('text/plain').send('Unknown app.');
          const form = formOf(req.body);
          if (form.decision !== 'allow') {
            await provider.interactionFinished(
              req,
              res,
              { error: 'access_denied', error_description: 'The user did not allow the app.' },
              { mergeWithLastSubmission: false },
            );
            return;
          }
          let signedIn;
          try {
            signedIn = await deps.users.login(form.email, form.password, requestMeta(req), form.otp || null);
          } catch (error) {
            if (!(error instanceof GraphQLError)) throw error;
            const code = error.extensions['code'];
            const status = code === 'RATE_LIMITED' ? 429 : code === 'MFA_REQUIRED' ? 401 : code === 'UNAUTHENTICATED' ? 401 : 400;
            sendPage(
              res,
              {
                ...page,
                uid: details.uid,
                error: error.message,
                email: form.email,
                otpRequired: code === 'MFA_REQUIRED',
                stylesheet: stylesheet(),
              },
              status,
              details.params,
            );
            return;
          }
          const claims = await deps.tokens.verify(signedIn.token);
          if (!claims) throw new Error('a token just signed did not verify');
          const clientId = String(details.params['client_id']);
          const scopes = page.scopes;
          const grant = new provider.Grant({ accountId: claims.userId, clientId });
          grant.addOIDCScope(scopes.join(' '));
          const grantId = await grant.save();
          await deps.apps.recordAuthorization(
            { grantId, app: page.app, userId: claims.userId, sessionId: claims.sessionId, scopes },
            { role: claims.role, request: requestMeta(req) },
          );
          await provider.interactionFinished(
            req,
            res,
            { login: { accountId: claims.userId, remember: false }, consent: { grantId } },
            { mergeWithLastSubmission: false },
          );
        } catch (error) {
          interactionFailed(res, error, next, stylesheet());
        }
      });
      // The provider answers its own paths (discovery, authorization, token, revocation...);
      // everything else goes on to the rest of the server.
      app.use((req, res, next) => {
        if (
          req.path === '/.well-known/openid-configuration' ||
          (req.path.startsWith('/oauth/') && !req.path.startsWith(INTERACTION_PREFIX))
        ) {
          void live().callback(req as IncomingMessage, res as ServerResponse);
          return;
        }
        next();
      });
    },
  };

  /** The app and the scopes asked for (those it may ask for) of an authorization request. */
  async function consentPageOf(params: Record<string, unknown>) {
    const clientId = params['client_id'];
    const app = typeof clientId === 'string' ? await deps.apps.appOfClient(clientId) : undefined;
    if (!app) return undefined;
    const allowed = new Set(app.scopes);
    const scopes = parseScopes(typeof params['scope'] === 'string' ? params['scope'] : undefined).filter((scope) => allowed.has(scope));
    return { app, appName: app.name, practiceName: app.practiceName, scopes };
  }
}

/** The page, with a CSP that lets its form go to this server and then on to the app's redirect URI. */
function sendPage(
  res: express.Response,
  page: Parameters<typeof renderConsentPage>[0],
  status: number,
  params: Record<string, unknown>,
): void {
  const redirect = typeof params['redirect_uri'] === 'string' ? URL.parse(params['redirect_uri'])?.origin : undefined;
  res
    .status(status)
    .set('cache-control', 'no-store')
    .set(
      'content-security-policy',
      `default-src 'none'; style-src 'self' 'unsafe-inline'; form-action 'self'${redirect ? ` ${redirect}` : ''}; frame-ancestors 'none'; base-uri 'none'`,
    )
    .type('html')
    .send(renderConsentPage(page));
}

/**
 * An interaction that cannot go on (its cookie missing or expired, the request already finished):
 * the provider's error, on our error page with its status; anything else goes to the server's handler.
 */
function interactionFailed(res: express.Response, error: unknown, next: express.NextFunction, stylesheet: string | undefined): void {
  if (!(error instanceof errors.OIDCProviderError)) return next(error);
  res
    .status(error.status)
    .set('cache-control', 'no-store')
    .type('html')
    .send(renderErrorPage(error.error, error.error_description, stylesheet));
}

/**
 * The dashboard's built stylesheet (`/assets/<name>.css`, named in the built index.html), found
 * once; undefined while there is no built client (the page then uses its own colours only).
 */
function dashboardStylesheet(clientDistDir: string | undefined): () => string | undefined {
  let found: string | undefined;
  return () => {
    if (found !== undefined || clientDistDir === undefined) return found;
    try {
      const html = readFileSync(path.join(clientDistDir, 'index.html'), 'utf8');
      found = /<link rel="stylesheet"[^>]*href="(\/assets\/[\w.-]+\.css)"/.exec(html)?.[1];
    } catch {
      // Not built: the page's own style is enough.
    }
    return found;
  };
}

/** The form's fields, as text (anything else is empty). */
function formOf(body: unknown): { decision: string; email: string; password: string; otp: string } {
  const parsed = z.record(z.string(), z.unknown()).safeParse(body);
  const field = (name: string) => {
    const value = parsed.success ? parsed.data[name] : undefined;
    return typeof value === 'string' ? value : '';
  };
  return { decision: field('decision'), email: field('email'), password: field('password'), otp: field('otp').replace(/\s/g, '') };
}
