// Pub/sub on the run's Redis, two engines as two instances: an instance's own subscribers get the
// events it publishes without the round trip through Redis when they have every earlier one, each
// once; anything else comes through Redis, to them as to every other instance.
import { randomUUID } from 'node:crypto';
import { REDIS_URL, runRedisPrefix } from '../../test/helpers/test-env';
import { patientAddedPayload } from '../../test/helpers/patient-added';
import { takeSeqs } from '../../test/helpers/sequences';
import { AppointmentTopic } from '../features/appointments/appointments.events';
import { createLogger } from '../platform/logger';
import { createPubSub, type AppPubSub } from './pubsub';
import { doctorStream } from './streams';
import { streamMessage, type StreamMessage } from './topics';

describe('pub/sub on Redis', () => {
  const logger = createLogger({ logLevel: 'fatal' });
  const redis = { url: REDIS_URL, clusterNodes: undefined, prefix: `${runRedisPrefix()}pubsub-${randomUUID()}:` };
  let here: AppPubSub;
  let there: AppPubSub;
  beforeAll(() => {
    here = createPubSub(redis, logger);
    there = createPubSub(redis, logger);
  });
  afterAll(async () => {
    await Promise.all([here.close(), there.close()]);
  });

  const doctorId = randomUUID();
  const message = (seq: number): StreamMessage => streamMessage(seq, AppointmentTopic.PatientAdded, patientAddedPayload(seq, doctorId));

  /** A stream with a subscriber on each instance, both holding every event up to `seq`. */
  const subscribedAt = async (seq: number) => {
    const stream = doctorStream(randomUUID());
    const queues = await Promise.all([here.subscribe(stream), there.subscribe(stream)]);
    for (const pubSub of [here, there]) pubSub.noteSeq(stream, seq);
    return { stream, local: queues[0], remote: queues[1] };
  };

  it("hands the publishing instance's subscribers the next event at once, and drops its copy coming back from Redis", async () => {
    await here.ping();
    const { stream, local, remote } = await subscribedAt(4);
    const published = here.publish(stream, message(5));
    // Delivered within publish(): Redis cannot have answered yet.
    expect(local.size).toBe(1);
    expect(remote.size).toBe(0);
    await published;
    expect(await takeSeqs(remote, 1)).toEqual([5]);
    // The other instance's next event reaches both through Redis, after the first's copy did: the
    // publishing instance yields it right after its own event, which came once.
    await there.publish(stream, message(6));
    expect(await takeSeqs(local, 2)).toEqual([5, 6]);
    expect(await takeSeqs(remote, 1)).toEqual([6]);
    local.end();
    remote.end();
  });

  it("hands a new stream's first event at once too: a stream noted at 0 holds every event before 1", async () => {
    await here.ping();
    const { stream, local, remote } = await subscribedAt(0);
    const published = here.publish(stream, message(1));
    expect(local.size).toBe(1);
    await published;
    expect(await takeSeqs(remote, 1)).toEqual([1]);
    await there.publish(stream, message(2));
    expect(await takeSeqs(local, 2)).toEqual([1, 2]);
    local.end();
    remote.end();
  });

  it('sends an event through Redis to its own subscribers too when an earlier one has not reached them', async () => {
    await here.ping();
    const { stream, local, remote } = await subscribedAt(3);
    const published = here.publish(stream, message(5)); // 4 is still on its way from somewhere
    expect(local.size).toBe(0);
    await published;
    expect(await takeSeqs(local, 1)).toEqual([5]);
    expect(await takeSeqs(remote, 1)).toEqual([5]);
    local.end();
    remote.end();
  });

  it('keeps to Redis for a stream whose subscribers opened without noting where the stream stood', async () => {
    await here.ping();
    const stream = doctorStream(randomUUID());
    const local = await here.subscribe(stream);
    const published = here.publish(stream, message(1));
    expect(local.size).toBe(0);
    await published;
    expect(await takeSeqs(local, 1)).toEqual([1]);
    local.end();
  });
});
