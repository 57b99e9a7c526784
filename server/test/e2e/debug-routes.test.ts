// The bench's probes (transport/debug-routes.ts): absent unless DEBUG_ENDPOINTS=true, and then
// answering only peers on this machine.
import { isLoopback } from '../../src/transport/debug-routes';
import { startTestServer } from '../helpers/test-server';

jest.setTimeout(60_000);

it('serves the probes only with DEBUG_ENDPOINTS=true', async () => {
  const off = await startTestServer('services');
  // A GET of an unknown path is the dashboard's page (the client routes it); a POST is 404.
  expect((await fetch(`${off.url}/debug/memory`)).headers.get('content-type')).not.toMatch(/json/);
  expect((await fetch(`${off.url}/debug/heap-snapshot`, { method: 'POST' })).status).toBe(404);
  await off.dispose();

  const on = await startTestServer('services', { DEBUG_ENDPOINTS: 'true' });
  const memory = (await (await fetch(`${on.url}/debug/memory`)).json()) as { heapUsed: number };
  expect(memory.heapUsed).toBeGreaterThan(0);
  // (The heap snapshot is left to `npm run bench -- --heap`: a snapshot of this test process is slow.)
  await on.dispose();
});

it('takes only loopback peers for the probes, never another address', () => {
  expect(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'].every(isLoopback)).toBe(true);
  expect(['10.0.0.1', '192.168.1.5', '::ffff:10.0.0.1', 'fe80::1', undefined].some(isLoopback)).toBe(false);
});
