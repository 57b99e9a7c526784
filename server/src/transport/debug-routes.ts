import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import type { Express } from 'express';
import type { EventStreams } from '../live/event-streams';
import { doctorStream } from '../live/streams';

/**
 * Bench-only probes, mounted only when DEBUG_ENDPOINTS=true (docs/configuration.md), answering only
 * loopback peers: the benchmark harness runs the server as a child process and reads its memory and
 * live subscriptions here.
 * - GET /debug/memory[?gc=1]: process.memoryUsage(), after a forced full GC when asked and the
 *   process runs with --expose-gc (`gc: false` in the answer says it could not).
 * - GET /debug/subscribers?doctorIds=<id>,<id>: live patientAdded subscriptions of those doctors
 *   on this instance, summed.
 * - POST /debug/heap-snapshot: writes a V8 heap snapshot to the system's temporary directory and
 *   answers its path (`npm run bench -- --heap`, read with bench/src/heap-diff.ts). It stops the
 *   process while it writes.
 */
export function mountDebugRoutes(app: Express, events: Pick<EventStreams, 'subscriberCount'>): void {
  // Only from this machine (the harness), whatever DEBUG_ENDPOINTS exposes by mistake: the peer's
  // own address, never a forwarded header.
  app.use('/debug', (req, res, next) => {
    if (isLoopback(req.socket.remoteAddress)) return next();
    res.status(404).end();
  });
  app.get('/debug/memory', (req, res) => {
    const gc = (globalThis as { gc?: () => void }).gc;
    const forced = req.query['gc'] === '1' && typeof gc === 'function';
    if (forced) gc();
    res.json({ gc: forced, ...process.memoryUsage() });
  });
  app.post('/debug/heap-snapshot', (_req, res) => {
    const file = writeHeapSnapshot(path.join(tmpdir(), `careline-${process.pid}-${Date.now()}.heapsnapshot`));
    res.json({ file });
  });
  app.get('/debug/subscribers', (req, res) => {
    const doctorIds = String(req.query['doctorIds'] ?? '')
      .split(',')
      .filter(Boolean);
    res.json({ count: doctorIds.reduce((sum, id) => sum + events.subscriberCount(doctorStream(id)), 0) });
  });
}

/** A peer address of this machine (IPv4, IPv6 or IPv4-mapped loopback). */
export function isLoopback(address: string | undefined): boolean {
  return address === '::1' || address?.startsWith('127.') === true || address?.startsWith('::ffff:127.') === true;
}
