import ShardedSubscriber from 'ioredis/built/cluster/ShardedSubscriber';

/**
 * A workaround for ioredis (5.11, and 6.1 still): a cluster's sharded subscriber is stopped with
 * `disconnect()` then `removeAllListeners()`, so a reply still in its socket (an SUNSUBSCRIBE
 * answered during a failover or a resharding) finds no command, is emitted as 'error' on a
 * connection with no listener, and the throw ends the process. The stopped connection keeps a
 * listener that drops it: nothing waits on that connection any more. Applied once, on import.
 */
const stop = ShardedSubscriber.prototype.stop;
ShardedSubscriber.prototype.stop = function stopKeepingAnErrorListener(this: ShardedSubscriber): void {
  const connection = this.getInstance();
  stop.call(this);
  connection?.on('error', () => undefined);
};
