// The session cache against real PostgreSQL and a redis-server of its own: answers come from
// memory while the revocation channel listens, and from the database while it does not (fail
// closed); when the channel is back the cache is dropped and open sockets are re-checked.
import { once } from 'node:events';
import { registerPatient } from '../../test/helpers/accounts';
import { startOwnRedis } from '../../test/helpers/redis-server';
import { startTestServer, type TestServer } from '../../test/helpers/test-server';
import { systemClock } from '../platform/clock';
import { createLogger } from '../platform/logger';
import { parseConfig } from '../platform/config';
import { internalRequest } from './request-meta';
import { createRevocationChannel } from './revocation-channel';
import { SessionService } from './sessions';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer('services');
});
afterAll(async () => {
  await server.dispose();
});

const logger = createLogger(parseConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }).runtime);
const bounded = <T>(promise: Promise<T>, what: string, ms = 10_000): Promise<T> =>
  Promise.race([
    promise,
    new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms).unref()),
  ]);

it('reads sessions from the database while the Redis channel is down, and re-checks sockets once it is back', async () => {
  const redis = await startOwnRedis();
  const channel = createRevocationChannel({ url: redis.url, clusterNodes: undefined, prefix: 'careline_sessions_test:' }, logger);
  try {
    const sessions = new SessionService(
      server.database.prisma,
      server.database.sql,
      channel,
      { sessionMaxAgeSeconds: 3600, sessionIdleTimeoutSeconds: 0, mfaRequiredRoles: [] },
      systemClock,
    );
    if (!channel.isListening()) await bounded(once(channel.events, 'restored'), 'the channel to listen');
    const patient = await registerPatient(server);
    const session = await sessions.open({ id: patient.id, role: 'PATIENT', mfaEnabled: false }, internalRequest());
    expect(await sessions.live(session.id)).toMatchObject({ id: session.id, userId: patient.id });

    // A revocation whose announcement never came (written by hand): the cached answer stands
    // while the channel listens (the documented staleness, at most SESSION_CACHE_TTL_MS)...
    await server.database.prisma.session.update({ where: { id: session.id }, data: { revokedAt: new Date() } });
    expect(await sessions.live(session.id)).toBeDefined();

    // ...but once the channel is known to be down, every check reads the database.
    const lost = once(channel.events, 'lost');
    await redis.stop();
    await bounded(lost, 'the channel to notice Redis is gone');
    expect(channel.isListening()).toBe(false);
    expect(await sessions.live(session.id)).toBeUndefined();

    const recheck = once(sessions.events, 'recheck');
    await redis.start();
    await bounded(recheck, 'a re-check of open sockets after Redis is back', 20_000);
    expect(channel.isListening()).toBe(true);
  } finally {
    await channel.close();
    await redis.dispose();
  }
}, 60_000);

it('announces a revocation to every service on the channel, and refuses the session at once', async () => {
  const channel = createRevocationChannel({ url: undefined, clusterNodes: undefined, prefix: '' }, logger);
  const sessions = new SessionService(
    server.database.prisma,
    server.database.sql,
    channel,
    { sessionMaxAgeSeconds: 3600, sessionIdleTimeoutSeconds: 0, mfaRequiredRoles: [] },
    systemClock,
  );
  const patient = await registerPatient(server);
  const session = await sessions.open({ id: patient.id, role: 'PATIENT', mfaEnabled: false }, internalRequest());
  expect(await sessions.live(session.id)).toBeDefined();
  const announced = once(sessions.events, 'revoked');
  await sessions.revoke(patient.id, session.id);
  expect((await bounded(announced, 'the announcement'))[0]).toEqual([session.id]);
  expect(await sessions.live(session.id)).toBeUndefined();
  expect(await sessions.endedAmong([session.id])).toEqual([session.id]);
  await channel.close();
});

it('refuses a session past its SESSION_MAX_AGE', async () => {
  const channel = createRevocationChannel({ url: undefined, clusterNodes: undefined, prefix: '' }, logger);
  let now = Date.now();
  const sessions = new SessionService(
    server.database.prisma,
    server.database.sql,
    channel,
    { sessionMaxAgeSeconds: 60, sessionIdleTimeoutSeconds: 0, mfaRequiredRoles: [] },
    () => new Date(now),
  );
  const patient = await registerPatient(server);
  const session = await sessions.open({ id: patient.id, role: 'PATIENT', mfaEnabled: false }, internalRequest());
  expect(await sessions.live(session.id)).toBeDefined();
  now += 61_000;
  expect(await sessions.live(session.id)).toBeUndefined();
  await channel.close();
});
