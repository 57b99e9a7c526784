// The floor: the least work the booking -> dashboard job can be done with, by hand and without
// GraphQL. POST /book inserts the appointment in a PostgreSQL transaction, publishes the event
// JSON on Redis after COMMIT, and the Redis subscriber sends that same JSON to every socket
// subscribed to the doctor, each socket adding only its graphql-transport-ws envelope.
// Deliberately left out (so the floor stays a floor): authentication, validation, overlap
// constraints, the outbox row and its sequence. The bench's dashboards speak the same protocol to
// it as to CareLine. Environment: PORT, DATABASE_URL, REDIS_URL, REDIS_PREFIX.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { WebSocketServer, type WebSocket } from 'ws';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const port = Number(env('PORT'));
const prefix = `${env('REDIS_PREFIX')}floor:`;
const pool = new Pool({ connectionString: env('DATABASE_URL'), max: 10 });
const publisher = new Redis(env('REDIS_URL'));
const subscriber = new Redis(env('REDIS_URL'));

/** Per doctor channel: the sockets watching it and their subscription ids. */
const watchers = new Map<string, Map<WebSocket, Set<string>>>();
/** Doctors whose Redis SUBSCRIBE is acknowledged: only then does /debug/subscribers count them. */
const live = new Set<string>();

subscriber.on('message', (channel: string, message: string) => {
  const sockets = watchers.get(channel.slice(prefix.length));
  if (!sockets) return;
  // The message is already the `next` payload: the event, and its commit stamp as an extension (as CareLine sends it).
  const payload = message;
  for (const [socket, ids] of sockets) for (const id of ids) socket.send(`{"id":${JSON.stringify(id)},"type":"next","payload":${payload}}`);
});

function watch(socket: WebSocket, doctorId: string, id: string): void {
  let sockets = watchers.get(doctorId);
  if (!sockets) {
    watchers.set(doctorId, (sockets = new Map()));
    subscriber.subscribe(prefix + doctorId).then(
      () => watchers.has(doctorId) && live.add(doctorId),
      (error: unknown) => console.error('floor: SUBSCRIBE failed', error),
    );
  }
  let ids = sockets.get(socket);
  if (!ids) sockets.set(socket, (ids = new Set()));
  ids.add(id);
}

function unwatch(socket: WebSocket, id?: string): void {
  for (const [doctorId, sockets] of watchers) {
    const ids = sockets.get(socket);
    if (!ids) continue;
    if (id === undefined) ids.clear();
    else ids.delete(id);
    if (ids.size === 0) sockets.delete(socket);
    if (sockets.size === 0) {
      watchers.delete(doctorId);
      live.delete(doctorId);
      void subscriber.unsubscribe(prefix + doctorId);
    }
  }
}

interface BookBody {
  doctorId: string;
  patientId: string;
  startsAt: string;
  endsAt: string;
  reason: string | null;
}

async function book(body: BookBody): Promise<string> {
  const client = await pool.connect();
  let row: { id: string };
  try {
    await client.query('BEGIN');
    const result = await client.query<{ id: string }>(
      'INSERT INTO floor_appointments (doctor_id, patient_id, starts_at, ends_at, reason) VALUES ($1, $2, $3, $4, $5) RETURNING id',
      [body.doctorId, body.patientId, body.startsAt, body.endsAt, body.reason],
    );
    row = result.rows[0]!;
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  const committedAtMs = performance.timeOrigin + performance.now();
  const event = {
    cursor: randomUUID(),
    doctorId: body.doctorId,
    firstVisit: false,
    patient: { id: body.patientId, name: 'Floor patient', dateOfBirth: null },
    appointment: { id: row.id, startsAt: body.startsAt, endsAt: body.endsAt, status: 'BOOKED', reason: body.reason },
  };
  await publisher.publish(prefix + body.doctorId, JSON.stringify({ data: { patientAdded: event }, extensions: { committedAtMs } }));
  return row.id;
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://floor');
  const json = (status: number, value: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  };
  if (req.method === 'POST' && url.pathname === '/book') {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      book(JSON.parse(Buffer.concat(chunks).toString('utf8')) as BookBody).then(
        (id) => json(200, { id }),
        (error: unknown) => json(500, { error: String(error) }),
      );
    });
  } else if (url.pathname === '/readyz') json(200, { status: 'ready' });
  else if (url.pathname === '/debug/memory') {
    const gc = (globalThis as { gc?: () => void }).gc;
    const forced = url.searchParams.get('gc') === '1' && typeof gc === 'function';
    if (forced) gc();
    json(200, { gc: forced, ...process.memoryUsage() });
  } else if (url.pathname === '/debug/subscribers') {
    const ids = (url.searchParams.get('doctorIds') ?? '').split(',');
    let count = 0;
    for (const id of ids) if (live.has(id)) for (const subs of watchers.get(id)?.values() ?? []) count += subs.size;
    json(200, { count });
  } else json(404, { error: 'not found' });
});

const wss = new WebSocketServer({ server, path: '/graphql' });
wss.on('connection', (socket) => {
  socket.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString('utf8')) as { type: string; id?: string; payload?: { variables?: { doctorId?: string } } };
    if (message.type === 'connection_init') socket.send('{"type":"connection_ack"}');
    else if (message.type === 'subscribe' && message.id) watch(socket, String(message.payload?.variables?.doctorId), message.id);
    else if (message.type === 'complete' && message.id) unwatch(socket, message.id);
    else if (message.type === 'ping') socket.send('{"type":"pong"}');
  });
  socket.on('close', () => unwatch(socket));
});

async function main(): Promise<void> {
  await pool.query(`CREATE TABLE IF NOT EXISTS floor_appointments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(), doctor_id uuid NOT NULL, patient_id uuid NOT NULL,
    starts_at timestamptz NOT NULL, ends_at timestamptz NOT NULL, reason text, created_at timestamptz NOT NULL DEFAULT now())`);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
}

const stop = () => {
  for (const socket of wss.clients) socket.close(1001);
  server.close();
  Promise.all([pool.end(), publisher.quit(), subscriber.quit()]).then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
