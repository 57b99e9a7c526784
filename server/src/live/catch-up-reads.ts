import type { Logger } from '../platform/logger';
import type { ReadReplica } from '../platform/read-replica';
import type { Sql } from '../platform/sql';
import { readEventsAfter, readStreamPosition } from './outbox';
import type { Sequenced } from './stream-merge';
import type { StreamMessage, UndecodableMessage } from './topics';

/** One catch-up read: events with seq > afterSeq, at most `limit`, and a sequence known to exist. */
export interface CatchUpRequest {
  readonly afterSeq: number;
  readonly limit: number;
  /** A sequence known to have committed on the primary; the answer must reach it (or fill the page). */
  readonly mustReach: number;
}

/** What a replica's page is worth: the part to deliver, and what the primary must still read after it. */
export interface ReplicaVerdict<E> {
  /** The replica's events from afterSeq + 1 on without a hole: true on the primary too. */
  readonly trusted: readonly E[];
  /** Set when the replica fell short: read this from the primary and append it. */
  readonly fromPrimary?: { readonly afterSeq: number; readonly limit: number };
}

/**
 * Which part of a page read from an asynchronous replica can be delivered as it is. A replica is
 * the primary as it was a moment ago, and a stream's events commit in sequence order, so the
 * replica's events that follow afterSeq without a hole are exactly the primary's. Anything else
 * is not the replica's to decide: a page that stops short of `mustReach` (the replica has not
 * replayed that far yet) or has a hole (a row it has not replayed, pruned, or one that does not
 * decode) is completed by the primary from the first missing sequence. So only the primary ever
 * says an event is gone: the reader skips a gap only when the primary's answer leaves it.
 */
export function judgeReplicaPage<E extends Sequenced>(page: readonly E[], request: CatchUpRequest): ReplicaVerdict<E> {
  let trustedCount = 0;
  while (trustedCount < page.length && trustedCount < request.limit && page[trustedCount]!.seq === request.afterSeq + 1 + trustedCount) {
    trustedCount++;
  }
  const trusted = page.slice(0, trustedCount);
  const reached = request.afterSeq + trustedCount;
  if (trustedCount === request.limit || reached >= request.mustReach) return { trusted };
  return { trusted, fromPrimary: { afterSeq: reached, limit: request.limit - trustedCount } };
}

/**
 * Where subscriptions read stored events when they catch up (a replay after a cursor, a gap in
 * what arrives live, a pub/sub outage): the replica when DATABASE_REPLICA_URL is set, completed
 * from the primary as judgeReplicaPage says; otherwise the primary alone. A replica that fails
 * (down, restarting) is read around: the primary answers, so delivery does not depend on it.
 */
export class CatchUpReads {
  constructor(
    private readonly primary: Sql,
    private readonly replica: ReadReplica | undefined,
    private readonly logger: Logger,
  ) {}

  /** Stored messages of `stream` with seq > afterSeq, in order, at most `limit`; see StreamReaderOptions.fetchAfter. */
  async eventsAfter(
    stream: string,
    afterSeq: number,
    limit: number,
    mustReach: number | undefined,
    onUndecodable: (seq: number, error: UndecodableMessage) => void,
  ): Promise<StreamMessage[]> {
    if (!this.replica) return readEventsAfter(this.primary, stream, afterSeq, limit, onUndecodable);
    // Nothing known (after a pub/sub outage): the primary's counter says how far the stream goes.
    const target = mustReach ?? (await readStreamPosition(this.primary, stream)).lastSeq;
    // An undecodable row on the replica is a hole: the primary reads it again and reports it then.
    let page: StreamMessage[];
    try {
      page = await readEventsAfter(this.replica.sql('catch_up'), stream, afterSeq, limit, () => undefined);
    } catch (error) {
      this.logger.warn({ err: error, stream }, 'read replica failed; the primary serves this catch-up read');
      page = [];
    }
    const verdict = judgeReplicaPage(page, { afterSeq, limit, mustReach: target });
    if (!verdict.fromPrimary) return [...verdict.trusted];
    this.replica.fellBack('catch_up');
    const rest = await readEventsAfter(this.primary, stream, verdict.fromPrimary.afterSeq, verdict.fromPrimary.limit, onUndecodable);
    return [...verdict.trusted, ...rest];
  }
}
