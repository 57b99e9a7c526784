import { z } from 'zod';

/**
 * Every kind of event, and the payload each carries. Empty here on purpose: each feature adds its
 * topics by declaration merging (as Fastify's decorators do), next to the payload's schema:
 *
 *     declare module '../../live/topics' { interface TopicPayloads { PATIENT_ADDED: PatientAddedPayload } }
 *     export const PatientAdded = defineTopic('PATIENT_ADDED', PatientAddedPayloadSchema);
 *
 * so the delivery layer imports no feature, yet every emit and subscribe is typed, and every
 * payload read back from Redis or the outbox is checked against its topic's schema first.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the features (declaration merging)
export interface TopicPayloads {}

export type TopicName = keyof TopicPayloads & string;
export type TopicPayload<T extends TopicName> = TopicPayloads[T];

/**
 * One event of an outbox stream, as it crosses pub/sub and as it is read back from the outbox:
 * its position in the stream, its topic, and the topic's payload.
 */
export type StreamMessage = {
  [T in TopicName]: { readonly seq: number; readonly topic: T; readonly payload: TopicPayload<T> };
}[TopicName];

/**
 * The message of one event. The one widening of this layer: a message of topic T is a
 * StreamMessage, which TypeScript cannot prove for a generic T. Callers hold a payload typed (our
 * own, just built) or checked against T's schema (from outside).
 */
export function streamMessage<T extends TopicName>(seq: number, topic: T, payload: TopicPayload<T>): StreamMessage {
  return { seq, topic, payload } as StreamMessage;
}

/** The payload of a message of this topic, or undefined for another topic (the same widening, back). */
export function payloadOf<T extends TopicName>(message: StreamMessage, topic: T): TopicPayload<T> | undefined {
  return message.topic === topic ? (message.payload as TopicPayload<T>) : undefined;
}

type Decoder = (seq: number, payload: unknown) => StreamMessage;
const decoders = new Map<string, Decoder>();

/**
 * Declares a topic and the schema its payload must pass when it comes back from outside the
 * process (Redis, the events table). Returns the name, to be used at call sites instead of a string.
 */
export function defineTopic<T extends TopicName>(name: T, schema: z.ZodType<TopicPayload<T>>): T {
  if (decoders.has(name)) throw new Error(`Topic ${name} is defined twice`);
  decoders.set(name, (seq, payload) => streamMessage(seq, name, schema.parse(payload)));
  return name;
}

/** Why a message from Redis or the outbox was not accepted (its content is never logged: health data). */
export class UndecodableMessage extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'UndecodableMessage';
  }
}

const WireEnvelope = z.object({
  seq: z.number().int().positive(),
  topic: z.string(),
  payload: z.unknown(),
  committedAtMs: z.number().optional(),
});

/** A message as it crosses pub/sub: the stream message plus when it was committed (for latency metrics). */
export interface WireMessage {
  readonly message: StreamMessage;
  readonly committedAtMs: number | undefined;
}

/** Checks a stored or received event against its topic's schema; throws UndecodableMessage. */
export function decodeStreamMessage(seq: number, topic: string, payload: unknown): StreamMessage {
  const decode = decoders.get(topic);
  if (!decode) throw new UndecodableMessage(`unknown topic ${topic}`);
  try {
    return decode(seq, payload);
  } catch (error) {
    const issues =
      error instanceof z.ZodError ? error.issues.map((issue) => `${issue.path.join('.')}: ${issue.code}`).join(', ') : 'invalid';
    throw new UndecodableMessage(`payload of ${topic} does not match its schema (${issues})`);
  }
}

/** Decodes what pub/sub delivered (already JSON-parsed); throws UndecodableMessage. */
export function decodeWireMessage(raw: unknown): WireMessage {
  const envelope = WireEnvelope.safeParse(raw);
  if (!envelope.success) throw new UndecodableMessage('not a stream message');
  const { seq, topic, payload, committedAtMs } = envelope.data;
  return { message: decodeStreamMessage(seq, topic, payload), committedAtMs };
}
