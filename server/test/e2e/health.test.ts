// Operators' endpoints: /healthz says the process is up, /readyz that its database and pub/sub answer.
import { book, futureSlot, registerDoctor, registerPatient } from '../helpers/accounts';
import { createOwnDatabase, type OwnDatabase } from '../helpers/own-database';
import { startTestServer, type TestServer } from '../helpers/test-server';

describe('health endpoints', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('services');
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('answers /healthz with 200', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with 200 when PostgreSQL and Redis both answer', async () => {
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ready',
      failing: [],
      database: { kind: 'postgres', ok: true },
      pubSub: { kind: 'redis', ok: true },
    });
  });
});

describe('readiness without Redis', () => {
  let server: TestServer;
  let database: OwnDatabase;
  beforeAll(async () => {
    // A database of its own: every instance on the run's database sweeps its unpublished events
    // once a second and would publish this one's event through its own Redis.
    database = await createOwnDatabase('careline_test_no_redis');
    // Port 1 refuses connections: the instance starts, but is not ready to deliver events.
    server = await startTestServer('services', { REDIS_URL: 'redis://127.0.0.1:1', DATABASE_URL: database.url });
  });
  afterAll(async () => {
    await server.dispose();
    await database.drop();
  });

  it('answers /readyz with 503 and names pub/sub as the failing part', async () => {
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      status: 'unavailable',
      failing: ['pubSub'],
      database: { ok: true },
      pubSub: { ok: false },
    });
  });

  it('still accepts bookings, keeping their events in the outbox for later delivery', async () => {
    const doctor = await registerDoctor(server);
    const patient = await registerPatient(server);
    const booked = await book(server, patient, { doctorId: doctor.id, startsAt: futureSlot() });
    expect(booked.errors).toBeUndefined();
    const stored = await server.database.prisma.event.count({ where: { stream: `doctor:${doctor.id}`, publishedAt: null } });
    expect(stored).toBe(1);
  });
});

describe('readiness in production', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('services', { NODE_ENV: 'production', REDIS_URL: 'redis://127.0.0.1:1' });
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('names the failing part and nothing of how the instance is built', async () => {
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'unavailable', failing: ['pubSub'] });
  });
});
