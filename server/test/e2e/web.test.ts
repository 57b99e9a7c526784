// The web front end on the API's port: dashboard, client routes, playground, and GraphQL over GET
// still answered by Apollo. Uses a stand-in build so it does not depend on the client being built.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { startTestServer, type TestServer } from '../helpers/test-server';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
// Big enough to be worth compressing (over the 1 kB threshold).
const ASSET = `console.log(${JSON.stringify('careline '.repeat(400))});\n`;
const DASHBOARD_HTML = `<title>dashboard</title><!-- ${'padding '.repeat(300)} -->`;

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  /** The bytes on the wire (fetch would decode them). */
  readonly body: Buffer;
}

function rawGet(url: string, headers: Record<string, string>): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

describe('the web client served beside the API', () => {
  let server: TestServer;
  let distDir: string;

  beforeAll(async () => {
    distDir = await mkdtemp(path.join(tmpdir(), 'careline-dist-'));
    await mkdir(path.join(distDir, 'assets'));
    await writeFile(path.join(distDir, 'index.html'), DASHBOARD_HTML);
    await writeFile(path.join(distDir, 'playground.html'), '<title>playground</title>');
    // As `vite build` leaves it: each asset with its precompressed copies beside it.
    await writeFile(path.join(distDir, 'assets', 'app-abc123.js'), ASSET);
    await writeFile(path.join(distDir, 'assets', 'app-abc123.js.br'), brotliCompressSync(ASSET));
    await writeFile(path.join(distDir, 'assets', 'app-abc123.js.gz'), gzipSync(ASSET));
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
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('sends the precompressed brotli or gzip copy of an asset as the browser accepts, with Vary and the CSP', async () => {
    const brotli = await rawGet(`${server.url}/assets/app-abc123.js`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(brotli.status).toBe(200);
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.headers['vary']).toMatch(/accept-encoding/i);
    expect(brotli.headers['content-type']).toMatch(/javascript/);
    expect(brotli.headers['content-security-policy']).toContain("script-src 'self'");
    expect(brotli.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(brotliDecompressSync(brotli.body).toString()).toBe(ASSET);
    expect(brotli.body.length).toBeLessThan(Buffer.byteLength(ASSET) / 10);

    const gzip = await rawGet(`${server.url}/assets/app-abc123.js`, { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.headers['vary']).toMatch(/accept-encoding/i);
    expect(gunzipSync(gzip.body).toString()).toBe(ASSET);

    const plain = await rawGet(`${server.url}/assets/app-abc123.js`, {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(ASSET);
  });

  it('compresses index.html on the fly and has it revalidated, CSP kept', async () => {
    const response = await rawGet(`${server.url}/dashboard`, { accept: BROWSER_ACCEPT, 'accept-encoding': 'br' });
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers['vary']).toMatch(/accept-encoding/i);
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(brotliDecompressSync(response.body).toString()).toBe(DASHBOARD_HTML);
  });

  it('compresses GraphQL answers with gzip', async () => {
    const query = encodeURIComponent('{ __schema { types { name fields { name } } } }');
    const response = await rawGet(`${server.url}/graphql?query=${query}`, {
      accept: 'application/json',
      'accept-encoding': 'gzip',
      'apollo-require-preflight': 'true',
    });
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe('gzip');
    const body: unknown = JSON.parse(gunzipSync(response.body).toString());
    expect(body).toMatchObject({ data: { __schema: { types: expect.any(Array) as unknown } } });
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
