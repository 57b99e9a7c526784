import type { PrismaClient } from '../generated/prisma/client';
import { decodeEventCursor } from './cursors';
import type { EventQueue } from './event-queue';
import type { AppPubSub } from './pubsub';
import type { TopicName, TopicPayload } from './topics';

/** Every stored event payload carries its position in its stream. */
interface Sequenced {
  readonly seq: number;
}

/** Where a subscription's events live: the live channel (topic, id) and the outbox stream it replays from. */
export interface EventSource<T extends TopicName> {
  readonly topic: T;
  readonly topicId: string;
  readonly stream: string;
  /** An event cursor from an earlier event of this subscription; undefined: live events only. */
  readonly after?: string | null;
}

/**
 * A subscription that resumes: subscribes live first (buffered), then replays the stored events of
 * the stream and topic after the cursor, then continues live, dropping live events at or below
 * the last one replayed. So none is missing and none arrives twice. A stream can hold several
 * topics (a doctor's stream has patientAdded, appointmentUpdated...); replay reads only this one.
 * Call it after authorizing the viewer.
 */
export async function subscribeWithReplay<T extends TopicName>(
  deps: { prisma: PrismaClient; pubSub: AppPubSub },
  source: EventSource<T>,
): Promise<AsyncIterableIterator<TopicPayload<T>>> {
  const afterSeq = source.after ? decodeEventCursor(source.after) : undefined;
  const live = await deps.pubSub.subscribe(source.topic, source.topicId);
  if (afterSeq === undefined) return live;
  return replayThenLive(deps.prisma, source, afterSeq, live);
}

async function* replayThenLive<T extends TopicName>(
  prisma: PrismaClient,
  source: EventSource<T>,
  afterSeq: number,
  live: EventQueue<TopicPayload<T>>,
): AsyncGenerator<TopicPayload<T>> {
  try {
    const stored = await prisma.event.findMany({
      where: { stream: source.stream, topic: source.topic, seq: { gt: afterSeq } },
      orderBy: { seq: 'asc' },
      select: { payload: true },
    });
    let lastSeq = afterSeq;
    for (const { payload } of stored) {
      const event = payload as unknown as TopicPayload<T>;
      lastSeq = (event as Sequenced).seq;
      yield event;
    }
    for await (const event of live) {
      const { seq } = event as Sequenced;
      if (seq <= lastSeq) continue;
      lastSeq = seq;
      yield event;
    }
  } finally {
    live.end();
  }
}
