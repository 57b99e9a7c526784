import type { Logger } from '../platform/logger';
import type { Sql } from '../platform/sql';
import { readLastSeqs } from './outbox';
import { behindEvent, type AppPubSub } from './pubsub';

/**
 * The rule of the stream-position check: the streams whose subscribers on this instance miss
 * events. `received` is, per subscribed stream, the highest sequence pub/sub brought (or that its
 * subscribers read from the database); `latestBefore` is each stream's last sequence in the
 * database at the previous check. A stream is behind when pub/sub has not brought, a whole check
 * interval later, an event that was already committed then: that message was lost (a failover,
 * a resharding, a killed subscriber connection) or is stuck, and no later event may come to
 * reveal the gap. Events committed since the previous check are not judged yet (they may be in
 * flight), so a busy stream never reads the database for nothing.
 */
export function streamsBehind(received: ReadonlyMap<string, number>, latestBefore: ReadonlyMap<string, number>): string[] {
  const behind: string[] = [];
  for (const [stream, seq] of received) {
    const latest = latestBefore.get(stream);
    if (latest !== undefined && seq < latest) behind.push(stream);
  }
  return behind;
}

/**
 * Centrifugo's periodic position check, for CareLine's outbox: every interval, one batched query
 * reads the last sequence of every stream this instance has live subscribers of, and each stream
 * found behind (streamsBehind) gets its `behindEvent`, on which that stream's readers read the
 * outbox from where they are (stream-reader.ts). Only with Redis: in memory nothing is lost.
 */
export class StreamPositionCheck {
  private timer: NodeJS.Timeout | undefined;
  private latestBefore = new Map<string, number>();
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly sql: Sql,
    private readonly pubSub: AppPubSub,
    private readonly logger: Logger,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.pubSub.kind === 'memory' || this.timer) return;
    this.timer = setInterval(() => void (this.running ??= this.check().finally(() => (this.running = undefined))), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One check (the timer runs it; tests call it). Returns the streams found behind. Never throws (logged). */
  async check(): Promise<string[]> {
    const received = this.pubSub.receivedSeqs();
    if (received.size === 0) {
      this.latestBefore = new Map();
      return [];
    }
    let latest: Map<string, number>;
    try {
      latest = await readLastSeqs(this.sql, [...received.keys()]);
    } catch (error) {
      this.logger.warn({ err: error }, 'stream-position check could not read the outbox');
      return [];
    }
    const behind = streamsBehind(received, this.latestBefore);
    for (const stream of behind) {
      // Its readers now read the database to its end: at least `latest`.
      this.pubSub.noteSeq(stream, latest.get(stream) ?? 0);
      this.pubSub.events.emit(behindEvent(stream));
    }
    if (behind.length > 0) {
      this.logger.warn({ streams: behind.length }, 'pub/sub lost events of some streams; their readers read the outbox');
    }
    this.latestBefore = latest;
    return behind;
  }
}
