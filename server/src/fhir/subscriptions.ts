import type { Bundle, Parameters, Subscription } from '@medplum/fhirtypes';
import type { Request } from 'express';
import { z } from 'zod';
import type { Viewer } from '../accounts/authorization';
import type { StreamMessage } from '../live/topics';
import type { Sql } from '../platform/sql';
import { isUuid } from '../platform/validation';
import type { BindingTokens } from './binding-tokens';
import { notificationBundle, type NotificationEvent } from './notifications';
import { FhirError, invalid, notSupported } from './outcome';
import type { FhirContext } from './resource-handler';
import { openFollow, parseCriteria, streamOf, type Follow } from './subscription-streams';
import {
  deleteOwnSubscription,
  readOwnSubscription,
  storeSubscription,
  type PayloadContent,
  type SubscriptionRecord,
} from './subscriptions.sql';

/** The Subscriptions Backport's extension on `channel.payload` that says what a notification carries. */
export const PAYLOAD_CONTENT_URL = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-payload-content';

/** The path of the Subscriptions' websocket, on the same port (fhir/subscription-socket.ts). */
export const SUBSCRIPTION_SOCKET_PATH = '/ws/subscriptions-r4';

/** Subscriptions one account may hold; one more is 422 `business-rule` (delete some first). */
export const MAX_SUBSCRIPTIONS_PER_ACCOUNT = 50;

/** Events one `$events` answer carries at most; a client asks again from the last number + 1. */
export const MAX_EVENTS_PER_QUERY = 100;

const Extension = z.object({ url: z.string(), valueCode: z.string().optional() }).passthrough();

/** A Subscription as a client POSTs it: only what we read is checked; the rest is ignored. */
const SubscriptionBody = z.object({
  resourceType: z.literal('Subscription'),
  status: z.string().optional(),
  reason: z.string().max(500).optional(),
  criteria: z.string().max(300),
  channel: z
    .object({
      type: z.string(),
      payload: z.string().optional(),
      _payload: z
        .object({ extension: z.array(Extension).optional() })
        .passthrough()
        .optional(),
      extension: z.array(Extension).optional(),
    })
    .passthrough(),
});

/** What a subscription's notifications carry: the Backport's content extension (on `channel.payload`), id-only by default. */
function contentOf(channel: z.infer<typeof SubscriptionBody>['channel']): PayloadContent {
  const extension = [...(channel._payload?.extension ?? []), ...(channel.extension ?? [])].find((e) => e.url === PAYLOAD_CONTENT_URL);
  const code = extension?.valueCode ?? 'id-only';
  if (code === 'id-only' || code === 'full-resource') return code;
  throw notSupported(`The payload content '${code.slice(0, 32)}' is not supported (supported: id-only, full-resource).`);
}

/** The stored subscription as the R4 resource the API returns. */
export function toSubscription(record: SubscriptionRecord): Subscription {
  // `_payload` carries the Backport's extension on the primitive `channel.payload` (FHIR JSON).
  const channel: Subscription['channel'] & { _payload: unknown } = {
    type: 'websocket',
    payload: 'application/fhir+json',
    _payload: { extension: [{ url: PAYLOAD_CONTENT_URL, valueCode: record.content }] },
  };
  return {
    resourceType: 'Subscription',
    id: record.id,
    meta: { lastUpdated: record.createdAt.toISOString() },
    status: 'active',
    reason: record.reason,
    criteria: record.criteria,
    channel,
  };
}

export interface SubscriptionDeps {
  readonly sql: Sql;
  readonly bindingTokens: BindingTokens;
}

/**
 * Apps' tokens may not create or bind Subscriptions yet: a binding would deliver with the user's
 * rights, not the app's scopes (fail closed until SMART scopes are enforced on FHIR).
 */
function assertNotApp(viewer: Viewer): void {
  if (viewer.app) throw new FhirError(403, 'forbidden', 'Third-party app tokens cannot use Subscriptions yet.');
}

/** The caller's own subscription, or 404 (someone else's is not told apart from none). */
async function ownSubscription(deps: SubscriptionDeps, viewer: Viewer, id: string): Promise<SubscriptionRecord> {
  const record = isUuid(id) ? await readOwnSubscription(deps.sql, id, viewer.userId) : undefined;
  if (!record) throw new FhirError(404, 'not-found', `Subscription/${id.slice(0, 64)} is not known.`);
  return record;
}

/**
 * POST /Subscription: the criteria are parsed, the caller must be allowed to follow them (the
 * GraphQL streams' policies: 403 otherwise), and the subscription is stored with the stream's
 * position now, from which its events are numbered. The caller's identical subscription (same
 * criteria, content and reason), if any, is answered instead (`created` false).
 */
export async function createSubscription(
  deps: SubscriptionDeps,
  context: FhirContext,
  body: unknown,
): Promise<{ subscription: Subscription; created: boolean }> {
  assertNotApp(context.viewer);
  const parsed = SubscriptionBody.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(`Send a Subscription resource (${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid'}).`);
  }
  const { criteria, channel, status, reason } = parsed.data;
  if (channel.type !== 'websocket')
    throw notSupported(`The channel type '${channel.type.slice(0, 32)}' is not supported (supported: websocket).`);
  if (status !== undefined && status !== 'requested' && status !== 'active')
    throw invalid(`A new Subscription's status is requested or active, not '${status.slice(0, 32)}'.`);
  const content = contentOf(channel);
  const parsedCriteria = parseCriteria(criteria);
  const { services, viewer } = context;
  await openFollow(viewer, parsedCriteria, services);
  const stream = streamOf(parsedCriteria);
  const startSeq = await services.events.lastSeq(stream);
  const stored = await services.transactions.run((tx) =>
    storeSubscription(
      tx,
      { ownerId: viewer.userId, criteria, stream, content, reason: reason ?? `Appointments of ${criteria}`, startSeq },
      MAX_SUBSCRIPTIONS_PER_ACCOUNT,
    ),
  );
  if ('refused' in stored) {
    throw new FhirError(
      422,
      'business-rule',
      `An account may hold at most ${MAX_SUBSCRIPTIONS_PER_ACCOUNT} Subscriptions: delete some first (DELETE /Subscription/<id>).`,
    );
  }
  return { subscription: toSubscription(stored.record), created: stored.created };
}

export async function readSubscription(deps: SubscriptionDeps, context: FhirContext, id: string): Promise<Subscription> {
  return toSubscription(await ownSubscription(deps, context.viewer, id));
}

/** DELETE /Subscription/<id>: the owner's only; sockets bound to it stop at their next event. */
export async function deleteSubscription(deps: SubscriptionDeps, context: FhirContext, id: string): Promise<void> {
  const deleted = isUuid(id) && (await context.services.transactions.run((tx) => deleteOwnSubscription(tx, id, context.viewer.userId)));
  if (!deleted) throw new FhirError(404, 'not-found', `Subscription/${id.slice(0, 64)} is not known.`);
}

/** The socket's URL as the client reached this server (ws:// or wss://, same host and port). */
export function socketUrlOf(req: Request): string {
  return `${req.protocol === 'https' ? 'wss' : 'ws'}://${req.get('host') ?? 'localhost'}${SUBSCRIPTION_SOCKET_PATH}`;
}

/**
 * GET /Subscription/<id>/$get-ws-binding-token: the owner, still allowed to follow its criteria,
 * gets a short-lived token to bind a socket to it (binding-tokens.ts).
 */
export async function bindingToken(deps: SubscriptionDeps, context: FhirContext, id: string, socketUrl: string): Promise<Parameters> {
  const { viewer, services } = context;
  assertNotApp(viewer);
  const record = await ownSubscription(deps, viewer, id);
  await openFollow(viewer, parseCriteria(record.criteria), services);
  const { token, expiresAt } = await deps.bindingTokens.sign({
    userId: viewer.userId,
    role: viewer.role,
    sessionId: viewer.sessionId,
    subscriptionId: record.id,
  });
  return {
    resourceType: 'Parameters',
    parameter: [
      { name: 'token', valueString: token },
      { name: 'expiration', valueDateTime: expiresAt.toISOString() },
      { name: 'subscription', valueString: record.id },
      { name: 'websocket-url', valueUrl: socketUrl },
    ],
  };
}

const EVENTS_PARAMS = new Set(['eventsSinceNumber', 'eventsUntilNumber', 'content']);

function eventNumberParam(query: Request['query'], name: string): number | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value) || Number(value) < 1) {
    throw invalid(`${name} must be one positive whole number (an event number).`);
  }
  return Number(value);
}

/**
 * GET /Subscription/<id>/$events (Subscriptions Backport): the stored events numbered
 * `eventsSinceNumber` and later (up to `eventsUntilNumber`, at most MAX_EVENTS_PER_QUERY), none
 * from before the subscription was created, in order and each once (the ordered stream reader),
 * each passing the same checks and leaving the same audit row as a live delivery. A `history`
 * Bundle whose SubscriptionStatus (`query-event`) lists the events.
 */
export async function subscriptionEvents(
  deps: SubscriptionDeps,
  context: FhirContext,
  id: string,
  query: Request['query'],
): Promise<Bundle> {
  const unknown = Object.keys(query).find((name) => !EVENTS_PARAMS.has(name));
  if (unknown !== undefined) throw invalid(`Unknown parameter '${unknown.slice(0, 64)}' (known: ${[...EVENTS_PARAMS].join(', ')}).`);
  const since = eventNumberParam(query, 'eventsSinceNumber');
  const until = eventNumberParam(query, 'eventsUntilNumber');
  const contentParam = query['content'];
  if (contentParam !== undefined && contentParam !== 'id-only' && contentParam !== 'full-resource') {
    throw invalid('content must be id-only or full-resource.');
  }
  const { viewer, services } = context;
  assertNotApp(viewer);
  const record = await ownSubscription(deps, viewer, id);
  const follow = await openFollow(viewer, parseCriteria(record.criteria), services);
  const afterSeq = Math.max(record.startSeq, (since ?? 1) - 1);
  const messages = await services.events.readStored({
    stream: follow.stream,
    topics: follow.topics,
    afterSeq,
    untilSeq: until ?? Number.MAX_SAFE_INTEGER,
    limit: MAX_EVENTS_PER_QUERY,
    authorize: follow.authorize,
  });
  const events = await deliverAll(follow, messages);
  return notificationBundle({
    type: 'query-event',
    subscriptionIds: [record.id],
    events,
    content: contentParam ?? record.content,
    latestEventNumber: await services.events.lastSeq(follow.stream),
    base: context.base,
    now: context.now,
  });
}

/** Each message through the follow's re-check and audit, in order: what is to be delivered. */
async function deliverAll(follow: Follow, messages: readonly StreamMessage[]): Promise<NotificationEvent[]> {
  const events: NotificationEvent[] = [];
  for (const message of messages) {
    const appointment = await follow.deliver(message);
    if (appointment) events.push({ eventNumber: message.seq, appointment });
  }
  return events;
}
