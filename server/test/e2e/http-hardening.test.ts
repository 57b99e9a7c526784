// HTTP and socket hardening of issue 16: security headers, CORS, CSRF prevention, request ids,
// the production switches, and who may open a socket (Origin, unauthenticated sockets per address).
import WebSocket from 'ws';
import { registerDoctor } from '../helpers/accounts';
import { createLogger } from '../../src/platform/logger';
import { startTestServer, type TestServer } from '../helpers/test-server';

const servers: TestServer[] = [];
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
});
afterAll(async () => {
  for (const server of servers.splice(0)) await server.dispose();
});

async function start(env: Record<string, string> = {}): Promise<TestServer> {
  const server = await startTestServer('services', env);
  servers.push(server);
  return server;
}

/** Opens a raw socket; resolves with 'open' or the HTTP status that refused the upgrade. */
function upgrade(server: TestServer, headers: Record<string, string> = {}): Promise<{ socket: WebSocket; outcome: 'open' | number }> {
  const socket = new WebSocket(server.wsUrl, 'graphql-transport-ws', { headers });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ socket, outcome: 'open' }));
    socket.once('unexpected-response', (_request, response) => resolve({ socket, outcome: response.statusCode ?? 0 }));
    socket.once('error', reject);
  });
}

const closeCode = (socket: WebSocket) => new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));

describe('with the default settings', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await start();
  });

  it.each(['/', '/graphql', '/healthz'])('sends the security headers on %s', async (route) => {
    const response = await fetch(`${server.url}${route}`, { headers: { accept: 'text/html' } });
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'self'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('strict-transport-security')).toBeNull(); // plain HTTP, no trusted proxy
  });

  it('ignores X-Forwarded-Proto from an untrusted peer (no HSTS)', async () => {
    const response = await fetch(`${server.url}/healthz`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(response.headers.get('strict-transport-security')).toBeNull();
  });

  it('allows no cross-origin caller by default', async () => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://elsewhere.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it("keeps Apollo's CSRF prevention: a simple cross-site GET without a preflight header is refused", async () => {
    const response = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF/);
  });

  it('returns a request id of its own choosing on every answer, whatever X-Request-Id the client sent', async () => {
    const fresh = await fetch(`${server.url}/healthz`);
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const sent = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'lb-1234abcd' } });
    expect(sent.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const replaced = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'bad id\twith "quotes"' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("logs the client's sane X-Request-Id as clientRequestId beside the server's requestId, and drops an insane one", async () => {
    const lines: string[] = [];
    const logger = createLogger({ logLevel: 'debug' }, { write: (line: string) => void lines.push(line) });
    const logged = await startTestServer('services', { LOG_LEVEL: 'debug' }, { logger });
    servers.push(logged);
    const ask = (clientId: string) =>
      fetch(`${logged.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': clientId },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
    const lineOf = (requestId: string | null) =>
      lines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((line) => line['requestId'] === requestId && line['msg'] === 'graphql request');

    const sane = await ask('lb-1234abcd');
    const saneLine = lineOf(sane.headers.get('x-request-id'));
    expect(saneLine?.['clientRequestId']).toBe('lb-1234abcd');

    const insane = await ask('bad id\twith "quotes"');
    const insaneLine = lineOf(insane.headers.get('x-request-id'));
    expect(insaneLine).toBeDefined();
    expect(insaneLine).not.toHaveProperty('clientRequestId');
  });

  it('refuses a socket opened by another site’s page with 403, and admits same-origin and Origin-less clients', async () => {
    expect((await upgrade(server, { origin: 'https://evil.example' })).outcome).toBe(403);
    expect((await upgrade(server, { origin: server.url })).outcome).toBe('open');
    expect((await upgrade(server)).outcome).toBe('open');
  });
});

describe('with an allowlist, a trusted proxy and a small cap on unauthenticated sockets', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await start({
      WS_ALLOWED_ORIGINS: 'https://dashboard.example',
      CORS_ORIGINS: 'https://dashboard.example',
      TRUST_PROXY: 'loopback',
      WS_MAX_UNAUTHENTICATED_PER_ADDRESS: '3',
    });
  });

  it('admits sockets and cross-origin calls from the listed origin only', async () => {
    expect((await upgrade(server, { origin: 'https://dashboard.example' })).outcome).toBe('open');
    expect((await upgrade(server, { origin: 'https://other.example' })).outcome).toBe(403);
    const preflight = await fetch(`${server.url}/graphql`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://dashboard.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization',
      },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://dashboard.example');
  });

  it('sends HSTS when the trusted proxy says the request came over HTTPS', async () => {
    const response = await fetch(`${server.url}/healthz`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
  });

  it('closes the fourth socket of one address that has not signed in with 4429, counting addresses as the proxy reports them', async () => {
    const opened = [];
    for (let i = 0; i < 3; i += 1) opened.push(await upgrade(server, { 'x-forwarded-for': '203.0.113.7' }));
    expect(opened.map(({ outcome }) => outcome)).toEqual(['open', 'open', 'open']);
    const fourth = await upgrade(server, { 'x-forwarded-for': '203.0.113.7' });
    expect(await closeCode(fourth.socket)).toBe(4429);
    // Another client behind the same proxy is not affected.
    expect((await upgrade(server, { 'x-forwarded-for': '203.0.113.8' })).outcome).toBe('open');
  });

  it('stops counting a socket once it signs in', async () => {
    const doctor = await registerDoctor(server);
    for (let i = 0; i < 4; i += 1) {
      const { socket } = await upgrade(server, { 'x-forwarded-for': '198.51.100.9' });
      const acknowledged = new Promise<string>((resolve) => socket.once('message', (data) => resolve(String(data))));
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${doctor.token}` } }));
      expect(JSON.parse(await acknowledged)).toEqual({ type: 'connection_ack' });
    }
  });
});

describe('in production', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await start({ NODE_ENV: 'production' });
  });

  it('refuses introspection and hides field suggestions', async () => {
    const doctor = await registerDoctor(server);
    const introspection = await server.gql('{ __schema { types { name } } }', {}, doctor.token);
    expect(introspection.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(introspection.errors?.[0]?.message).toMatch(/introspection/i);
    const typo = await server.gql('{ doctorz { id } }', {}, doctor.token);
    expect(typo.errors?.[0]?.message).toBe('Cannot query field "doctorz" on type "Query".');
  });

  it('does not serve the playground, and has no demo accounts', async () => {
    const page = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toMatch(/playground/i);
    const demo = await server.gql<{ demoAccounts: unknown }>('{ demoAccounts { email } }');
    expect(demo.data?.demoAccounts).toBeNull();
  });
});
