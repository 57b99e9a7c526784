// The web front end on the API's port: dashboard, client routes, playground, and GraphQL over GET
// still answered by Apollo. Uses a stand-in build so it does not depend on the client being built.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestServer, type TestServer } from '../helpers/test-server';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('the web client served beside the API', () => {
  let server: TestServer;
  let distDir: string;

  beforeAll(async () => {
    distDir = await mkdtemp(path.join(tmpdir(), 'careline-dist-'));
    await mkdir(path.join(distDir, 'assets'));
    await writeFile(path.join(distDir, 'index.html'), '<title>dashboard</title>');
    await writeFile(path.join(distDir, 'playground.html'), '<title>playground</title>');
    await writeFile(path.join(distDir, 'assets', 'app-abc123.js'), 'console.log(1)');
    server = await startTestServer('embedded', { CLIENT_DIST_DIR: distDir });
  });
  afterAll(async () => {
    await server.dispose();
    await rm(distDir, { recursive: true, force: true });
  });

  const get = (pathname: string, accept = BROWSER_ACCEPT, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${pathname}`, { headers: { accept, ...headers } });

  it('serves the dashboard at / and at client routes, for reloads', async () => {
    for (const pathname of ['/', '/dashboard', '/book']) {
      const response = await get(pathname);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('dashboard');
    }
    expect(await (await get('/', '*/*')).text()).toContain('dashboard'); // curl
    expect((await get('/dashboard', 'application/json')).status).toBe(404);
  });

  it('serves hashed assets as immutable files', async () => {
    const response = await get('/assets/app-abc123.js', '*/*');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toContain('immutable');
  });

  it('opens the playground for a browser at GET /graphql', async () => {
    const response = await get('/graphql');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('playground');
  });

  it('still answers GraphQL over HTTP at GET /graphql for other clients', async () => {
    // Apollo's CSRF prevention wants a non-simple header on GET operations.
    const response = await get(`/graphql?query=${encodeURIComponent('{ __typename }')}`, 'application/json', {
      'apollo-require-preflight': 'true',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('leaves health checks and unknown files to the server', async () => {
    expect(await (await get('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await get('/missing.js')).status).toBe(404);
  });
});
