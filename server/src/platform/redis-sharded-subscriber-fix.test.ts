import { EventEmitter } from 'node:events';
import ShardedSubscriber from 'ioredis/built/cluster/ShardedSubscriber';
import './redis-sharded-subscriber-fix';

it("keeps a listener on a stopped sharded subscriber's connection, so a late reply's error cannot end the process", () => {
  // Never connected (lazy): stop() is what a failover or a resharding calls on the old subscriber.
  const subscriber = new ShardedSubscriber(new EventEmitter(), { host: '127.0.0.1', port: 6379 });
  const connection = subscriber.getInstance();
  subscriber.stop();
  expect(connection).not.toBeNull();
  expect(() => connection!.emit('error', new Error('Command queue state error. Last reply: sunsubscribe'))).not.toThrow();
});
