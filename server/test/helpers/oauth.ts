// What the OAuth / SMART e2e tests share: a server whose PUBLIC_URL is its own address (openid-client
// checks the issuer), a minimal browser with cookies, the sign-in and consent page driven as a user
// would, and openid-client's configuration of an app.
import { createServer } from 'node:net';
import * as oidc from 'openid-client';
import { TEST_PASSWORD, type TestAccount } from './accounts';
import type { TestServer } from './test-server';

export const REDIRECT_URI = 'http://127.0.0.1:8765/callback';
export const REGISTER_APP = `mutation ($input: RegisterAppInput!) { registerApp(input: $input) { id clientId name redirectUris scopes clientSecret } }`;

export interface RegisteredApp {
  readonly id: string;
  readonly clientId: string;
  readonly clientSecret: string | null;
}

/** A free port, so PUBLIC_URL (the issuer, checked by openid-client) can name the server's own address. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** A minimal cookie jar for one browser (names are unique enough here; paths are ignored). */
export class Browser {
  private readonly cookies = new Map<string, string>();
  /** `send`: how requests go out (a transcript's recording fetch; the global fetch by default). */
  constructor(private readonly send: (url: string, init: RequestInit) => Promise<Response> = fetch) {}
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const response = await this.send(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string> | undefined),
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at);
      const value = pair!.slice(at + 1);
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }
}

/** Follows redirects within the server until one leaves it (to the app's redirect URI) or a page answers. */
export async function follow(server: Pick<TestServer, 'url'>, browser: Browser, response: Response): Promise<Response | URL> {
  let current = response;
  for (let hops = 0; hops < 10; hops += 1) {
    const location = current.headers.get('location');
    if (current.status < 300 || current.status >= 400 || !location) return current;
    const next = new URL(location, server.url).href;
    if (!next.startsWith(server.url)) return new URL(next);
    current = await browser.fetch(next);
  }
  throw new Error('too many redirects');
}

/** openid-client's view of the app, from the server's discovery (plain http on loopback allowed). */
export async function configuration(server: Pick<TestServer, 'url'>, clientId: string, secret?: string): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(server.url), clientId, undefined, secret ? oidc.ClientSecretBasic(secret) : oidc.None(), {
    execute: [oidc.allowInsecureRequests],
  });
}

/** Runs the browser part: authorization request, sign-in and consent, back to the redirect URI. */
export async function authorize(
  server: Pick<TestServer, 'url'>,
  config: oidc.Configuration,
  scope: string,
  account: TestAccount,
  options: { decision?: 'allow' | 'deny'; appName?: string; fetch?: (url: string, init: RequestInit) => Promise<Response> } = {},
): Promise<{ callback: URL; verifier: string; state: string }> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    prompt: 'consent',
  });
  const browser = new Browser(options.fetch);
  const page = await follow(server, browser, await browser.fetch(url.href));
  if (page instanceof URL) throw new Error(`redirected without a page: ${page.href}`);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain(`>Allow ${options.appName ?? 'Test Scheduler'} to use your CareLine account?</h1>`);
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error('no form on the consent page');
  const form = new URLSearchParams({ email: account.email, password: TEST_PASSWORD, otp: '', decision: options.decision ?? 'allow' });
  const posted = await browser.fetch(new URL(action, server.url).href, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  const callback = await follow(server, browser, posted);
  if (!(callback instanceof URL)) throw new Error(`no redirect to the app: ${callback.status} ${await callback.text()}`);
  return { callback, verifier, state };
}

/** The whole authorization-code flow for one user: the app's token response. */
export async function authorizedTokens(
  server: Pick<TestServer, 'url'>,
  config: oidc.Configuration,
  scope: string,
  account: TestAccount,
  appName?: string,
): Promise<oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers> {
  const { callback, verifier, state } = await authorize(server, config, scope, account, appName ? { appName } : {});
  return oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
}

/** A practice admin registers an app (a public client unless confidential). */
export async function registerApp(
  server: Pick<TestServer, 'gql'>,
  admin: TestAccount,
  practiceId: string,
  scopes: readonly string[],
  options: { name?: string; confidential?: boolean } = {},
): Promise<RegisteredApp> {
  const registered = await server.gql<{ registerApp: RegisteredApp }>(
    REGISTER_APP,
    {
      input: {
        practiceId,
        name: options.name ?? 'Test Scheduler',
        redirectUris: [REDIRECT_URI],
        scopes,
        confidential: options.confidential ?? false,
      },
    },
    admin.token,
  );
  if (!registered.data) throw new Error(`registerApp failed: ${JSON.stringify(registered.errors)}`);
  return registered.data.registerApp;
}
