// CareLine on a Redis Cluster (REDIS_CLUSTER_NODES, issue 30): a 6-node cluster of its own
// (3 masters, 3 replicas, Debian's redis-server in cluster mode), two instances on it and on a
// database of their own, dashboards over graphql-ws, and a booking stream during each fault:
// a killed pub/sub connection, a resharded slot, a paused master and a killed master, each hitting
// the shard that carries the watched doctor's stream. Every dashboard must see every event once,
// in order. The recovery time of each fault (injection → every dashboard has the first event
// committed after it) is printed, never asserted. Every process is stopped in afterAll.
import { randomUUID } from 'node:crypto';
import { registerDoctor, registerPatient, type TestAccount } from '../helpers/accounts';
import { bookOrThrow, slotSeries } from '../helpers/bookings';
import { Dashboard, seqsUpTo } from '../helpers/dashboard';
import { createOwnDatabase, type OwnDatabase } from '../helpers/own-database';
import { patientAddedPayload } from '../helpers/patient-added';
import { takeSeqs } from '../helpers/sequences';
import { startOwnRedisCluster, type OwnRedisCluster } from '../helpers/redis-cluster';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { waitForDoctorSubscribers, waitUntil } from '../helpers/wait-for';
import { AppointmentTopic } from '../../src/features/appointments/appointments.events';
import { behindEvent, clusterChannel } from '../../src/live/pubsub';
import { doctorStream } from '../../src/live/streams';
import { streamMessage } from '../../src/live/topics';

const PREFIX = 'careline_cluster_test:';
const recoveries: string[] = [];

describe('on a Redis Cluster', () => {
  let cluster: OwnRedisCluster;
  let database: OwnDatabase;
  let instances: TestServer[] = [];

  beforeAll(async () => {
    cluster = await startOwnRedisCluster();
    database = await createOwnDatabase('careline_test_cluster');
    const env = {
      REDIS_URL: '', // the run's shared Redis is replaced, not joined
      REDIS_CLUSTER_NODES: cluster.nodesSetting,
      REDIS_PREFIX: PREFIX,
      DATABASE_URL: database.url,
      STREAM_POSITION_CHECK_INTERVAL: '500ms',
      RATE_LIMIT_APPOINTMENT_CHANGES_PER_MINUTE: '3',
      // A fault's booking stream runs until every dashboard has recovered: on a slow machine that is
      // more bookings per minute than one patient may make, which is not what this file tests.
      RATE_LIMIT_BOOKINGS_PER_MINUTE: '0',
      LOG_LEVEL: 'fatal',
    };
    instances = await Promise.all([startTestServer('services', env), startTestServer('services', env)]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.dispose()));
    await cluster?.dispose();
    await database?.drop();
    if (recoveries.length > 0) console.log(`[redis cluster] recovery per fault:\n  ${recoveries.join('\n  ')}`);
  }, 60_000);

  it('refuses REDIS_URL and REDIS_CLUSTER_NODES together, naming both', async () => {
    await expect(startTestServer('services', { REDIS_CLUSTER_NODES: cluster.nodesSetting, DATABASE_URL: database.url })).rejects.toThrow(
      /REDIS_URL and REDIS_CLUSTER_NODES are both set/,
    );
  });

  it('reports the cluster as its pub/sub, and shares presence and rate limits through it', async () => {
    const [a, b] = instances as [TestServer, TestServer];
    const ready = await fetch(`${a.url}/readyz`);
    expect(await ready.json()).toMatchObject({ status: 'ready', pubSub: { kind: 'redis-cluster', ok: true } });

    // Presence: sockets opened on A count on B (one key per user, in several slots).
    const users = [randomUUID(), randomUUID(), randomUUID()];
    a.presence.opened(users[0]!);
    a.presence.opened(users[1]!);
    await waitUntil('presence seen from the other instance', async () => (await b.presence.online(users)).size === 2);
    expect(await b.presence.online(users)).toEqual(new Set([users[0], users[1]]));
    a.presence.closed(users[0]!);
    await waitUntil('presence withdrawn', async () => !(await b.presence.online(users)).has(users[0]!));

    // Rate limits: both instances spend one budget of 3 on the cluster.
    const key = `cluster-${randomUUID()}`;
    expect(a.rateLimits.store()).toBe('ready');
    await a.rateLimits.consume('appointmentChanges', key);
    await b.rateLimits.consume('appointmentChanges', key);
    await a.rateLimits.consume('appointmentChanges', key);
    await expect(b.rateLimits.consume('appointmentChanges', key)).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
  });

  it('spreads streams over the shards: channels hash by their stream', async () => {
    const slots = await Promise.all(Array.from({ length: 30 }, () => cluster.keySlot(clusterChannel(PREFIX, doctorStream(randomUUID())))));
    const owners = await Promise.all(slots.map(async (slot) => (await cluster.masterOf(slot)).port));
    // 30 random streams over 3 masters: every master carries some (a 1-in-10^5 chance otherwise).
    expect(new Set(owners).size).toBe(3);
    // The hash tag is the stream: the prefix does not move it.
    const stream = doctorStream(randomUUID());
    expect(await cluster.keySlot(clusterChannel('other:', stream))).toBe(await cluster.keySlot(clusterChannel(PREFIX, stream)));
  });

  it("hands an instance's own subscribers its next event without the shard's round trip, and drops the shard's copy", async () => {
    const [a, b] = instances as [TestServer, TestServer];
    const doctorId = randomUUID();
    const stream = doctorStream(doctorId);
    const message = (seq: number) => streamMessage(seq, AppointmentTopic.PatientAdded, patientAddedPayload(seq, doctorId));
    const [local, remote] = await Promise.all([a.pubSub.subscribe(stream), b.pubSub.subscribe(stream)]);
    for (const instance of instances) instance.pubSub.noteSeq(stream, 4);
    const published = a.pubSub.publish(stream, message(5));
    // Delivered within publish(): the shard cannot have answered yet.
    expect([local.size, remote.size]).toEqual([1, 0]);
    await published;
    // B's next event reaches A through the shard after A's own copy did: A yields it right after
    // its own event, which came once.
    await b.pubSub.publish(stream, message(6));
    expect(await takeSeqs(local, 2)).toEqual([5, 6]);
    expect(await takeSeqs(remote, 2)).toEqual([5, 6]);
    local.end();
    remote.end();
  });

  /**
   * Two doctors (the watched one, whose stream's shard the fault hits, and a bystander), each
   * with a dashboard on both instances; 5 bookings each, the fault, a booking stream until every
   * dashboard has the first event after the fault (the recovery time), `afterRecovery`, then 5
   * more each. Every dashboard: every event once, in order.
   */
  async function bookThrough(
    name: string,
    inject: (slot: number) => Promise<string>,
    afterRecovery: (slot: number) => Promise<string> = async () => '',
  ): Promise<void> {
    const [a, b] = instances as [TestServer, TestServer];
    const doctors = await Promise.all([registerDoctor(a), registerDoctor(b)]);
    const patients = await Promise.all([registerPatient(a), registerPatient(b)]);
    const dashboards = doctors.flatMap((doctor) =>
      instances.map((instance) => {
        const dashboard = new Dashboard(doctor.id, doctor.token);
        dashboard.connect(instance.wsUrl);
        return dashboard;
      }),
    );
    await Promise.all(doctors.flatMap((doctor) => instances.map((instance) => waitForDoctorSubscribers(instance, doctor.id))));
    const signals = { resubscribed: 0, behind: 0 };
    const onResubscribed = () => (signals.resubscribed += 1);
    const onBehind = () => (signals.behind += 1);
    for (const instance of instances) {
      instance.pubSub.events.on('resubscribed', onResubscribed);
      for (const doctor of doctors) instance.pubSub.events.on(behindEvent(doctorStream(doctor.id)), onBehind);
    }

    const slot = slotSeries();
    const booked = new Map<string, string[]>(doctors.map((doctor) => [doctor.id, []]));
    let made = 0;
    const bookNext = async () => {
      const i = made++;
      const doctor: TestAccount = doctors[i % 2]!;
      const id = await bookOrThrow(instances[Math.floor(i / 2) % 2]!, patients[i % 2]!, { doctorId: doctor.id, startsAt: slot(i) });
      booked.get(doctor.id)!.push(id);
    };
    const everyDashboardHas = (counts: (doctorId: string) => number, timeoutMs: number) =>
      Promise.all(dashboards.map((dashboard) => dashboard.waitForCount(counts(dashboard.doctorId), timeoutMs)));

    try {
      for (let i = 0; i < 10; i += 1) await bookNext();
      await everyDashboardHas(() => 5, 15_000);

      const watchedSlot = await cluster.keySlot(clusterChannel(PREFIX, doctorStream(doctors[0]!.id)));
      const injectedAt = performance.now();
      const what = await inject(watchedSlot);
      // The booking stream goes on through the fault until every dashboard has an event committed after it.
      let recovered = false;
      const stream = (async () => {
        while (!recovered) await bookNext();
      })();
      await everyDashboardHas(() => 6, 60_000);
      const recoveryMs = performance.now() - injectedAt;
      const after = await afterRecovery(watchedSlot); // the stream goes on meanwhile
      recovered = true;
      await stream;
      // Live pub/sub again: how many of these the position check had to rescue is reported.
      const behindBefore = signals.behind;
      for (let i = 0; i < 10; i += 1) await bookNext();
      await everyDashboardHas((doctorId) => booked.get(doctorId)!.length, 30_000);
      const rescuedAfter = signals.behind - behindBefore;

      const tallies = dashboards.map((dashboard) => {
        const ids = booked.get(dashboard.doctorId)!;
        const seen = dashboard.seen.map((event) => event.appointmentId);
        return { lost: ids.filter((id) => !seen.includes(id)).length, duplicated: seen.length - new Set(seen).size };
      });
      const lost = tallies.reduce((sum, tally) => sum + tally.lost, 0);
      const duplicated = tallies.reduce((sum, tally) => sum + tally.duplicated, 0);
      recoveries.push(
        `${name} (${what}${after}): ${recoveryMs.toFixed(0)} ms to the first event after it on every dashboard; ` +
          `${made} bookings, ${lost} lost, ${duplicated} duplicated; 'resubscribed' ${signals.resubscribed}×, ` +
          `position check rescued a stream ${signals.behind}× (${rescuedAfter}× in the last 10 bookings)`,
      );
      for (const dashboard of dashboards) {
        const ids = booked.get(dashboard.doctorId)!;
        expect(dashboard.seen.map((event) => event.seq)).toEqual(seqsUpTo(ids.length));
        expect(dashboard.seen.map((event) => event.appointmentId)).toEqual(ids);
        expect(dashboard.errors).toEqual([]);
      }
    } finally {
      for (const instance of instances) {
        instance.pubSub.events.off('resubscribed', onResubscribed);
        for (const doctor of doctors) instance.pubSub.events.off(behindEvent(doctorStream(doctor.id)), onBehind);
      }
      await Promise.all(dashboards.map((dashboard) => dashboard.disconnect()));
    }
  }

  /** Waits until another master than `port` owns the slot (the replica took over); its time since `since`. */
  async function failoverOf(slot: number, port: number, since: number): Promise<string> {
    await waitUntil(
      'the failover',
      async () => {
        const owner = await cluster.masterOf(slot).catch(() => undefined); // none while it is only marked failing
        return owner !== undefined && owner.port !== port;
      },
      30_000,
    );
    const owner = await cluster.masterOf(slot);
    return `; replica :${owner.port} master ${(performance.now() - since).toFixed(0)} ms after the fault`;
  }

  /**
   * Three live masters owning every slot, none marked failing, every live node agreeing, and every
   * live replica's link to its master up: a replica still syncing (the paused master, back as a
   * replica) is not ready to take over when the next fault kills its master.
   */
  async function waitHealthy(): Promise<void> {
    await waitUntil(
      'a healthy cluster',
      async () => {
        const nodes = await cluster.nodes();
        const masters = nodes.filter((node) => node.master && !node.failed && node.slots.length > 0);
        if (masters.length !== 3 || !(await cluster.cli(masters[0]!.port, 'CLUSTER', 'INFO')).includes('cluster_state:ok')) return false;
        const replicas = nodes.filter((node) => !node.master && !node.failed);
        const links = await Promise.all(replicas.map((replica) => cluster.cli(replica.port, 'INFO', 'replication')));
        return links.every((info) => info.includes('master_link_status:up'));
      },
      30_000,
    );
  }

  it('loses nothing when the pub/sub connections of the shard are killed (CLIENT KILL TYPE pubsub)', async () => {
    await bookThrough('killed pub/sub connection', async (slot) => {
      const master = await cluster.masterOf(slot);
      const killed = await cluster.cli(master.port, 'CLIENT', 'KILL', 'TYPE', 'pubsub');
      return `${killed} connection(s) on master :${master.port}`;
    });
  }, 120_000);

  it("loses nothing when the stream's slot is resharded to another master", async () => {
    await bookThrough('resharded slot', async (slot) => {
      const source = await cluster.masterOf(slot);
      const masters = (await cluster.nodes()).filter((node) => node.master && !node.failed && node.slots.length > 0);
      const target = masters.find((node) => node.id !== source.id)!;
      await cluster.cli(target.port, 'CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', source.id);
      await cluster.cli(source.port, 'CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', target.id);
      const keys = (await cluster.cli(source.port, 'CLUSTER', 'GETKEYSINSLOT', String(slot), '1000')).split('\n').filter(Boolean);
      if (keys.length > 0) await cluster.cli(source.port, 'MIGRATE', '127.0.0.1', String(target.port), '', '0', '5000', 'KEYS', ...keys);
      for (const node of masters) await cluster.cli(node.port, 'CLUSTER', 'SETSLOT', String(slot), 'NODE', target.id);
      return `slot ${slot} :${source.port} → :${target.port}, ${keys.length} keys moved`;
    });
    await waitHealthy();
  }, 120_000);

  it('loses nothing when the master of the stream is paused (SIGSTOP) until its replica takes over', async () => {
    let paused = 0;
    let pausedAt = 0;
    await bookThrough(
      'paused master',
      async (slot) => {
        paused = (await cluster.masterOf(slot)).port;
        pausedAt = performance.now();
        cluster.pause(paused);
        return `master :${paused} SIGSTOP`;
      },
      async (slot) => {
        // Paused until its replica has taken over; then SIGCONT: it comes back as a replica.
        const failover = await failoverOf(slot, paused, pausedAt);
        cluster.resume(paused);
        return `${failover}, then SIGCONT`;
      },
    );
    await waitHealthy();
  }, 120_000);

  it('loses nothing when the master of the stream is killed and its replica fails over', async () => {
    let killed = 0;
    let killedAt = 0;
    await bookThrough(
      'killed master',
      async (slot) => {
        killed = (await cluster.masterOf(slot)).port;
        killedAt = performance.now();
        await cluster.kill(killed);
        return `master :${killed} SIGKILL`;
      },
      (slot) => failoverOf(slot, killed, killedAt),
    );
  }, 120_000);
});
