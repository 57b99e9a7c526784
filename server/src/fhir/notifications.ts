import { randomUUID } from 'node:crypto';
import type { Appointment, Bundle, BundleEntry, SubscriptionStatus } from '@medplum/fhirtypes';
import type { PayloadContent } from './subscriptions.sql';

/**
 * The notification Bundles of Subscriptions, as Medplum's client reads them (@medplum/core's
 * SubscriptionManager: `entry[0].resource` is a SubscriptionStatus whose `type` says handshake,
 * heartbeat or event-notification, and whose `subscription` names the Subscription) and as the
 * Subscriptions Backport shapes them: a `history` Bundle, the status first, then the resources of
 * a full-resource payload. Every entry has a request and a response, as R4 requires of a
 * history Bundle (bdl-3, bdl-4).
 */

export type StatusType = 'handshake' | 'heartbeat' | 'event-notification' | 'query-event';

/** One event of a notification: its number (the stream's sequence) and the Appointment it is about. */
export interface NotificationEvent {
  readonly eventNumber: number;
  readonly appointment: Appointment;
}

/** The status entry of one subscription in a notification. */
function statusEntry(
  subscriptionId: string,
  type: StatusType,
  events: readonly NotificationEvent[],
  latestEventNumber: number | undefined,
): BundleEntry {
  const id = randomUUID();
  const status: SubscriptionStatus = {
    resourceType: 'SubscriptionStatus',
    id,
    status: 'active',
    type,
    subscription: { reference: `Subscription/${subscriptionId}` },
    ...(latestEventNumber === undefined ? {} : { eventsSinceSubscriptionStart: String(latestEventNumber) }),
    ...(events.length > 0
      ? {
          notificationEvent: events.map((event) => ({
            eventNumber: String(event.eventNumber),
            focus: { reference: `Appointment/${event.appointment.id ?? ''}` },
          })),
        }
      : {}),
  };
  return {
    fullUrl: `urn:uuid:${id}`,
    resource: status,
    request: { method: 'GET', url: `Subscription/${subscriptionId}/$status` },
    response: { status: '200' },
  };
}

/**
 * A notification Bundle for one or more subscriptions (a heartbeat names every subscription bound
 * on the socket). `latestEventNumber`: the number of the stream's latest event when known (sent
 * as `eventsSinceSubscriptionStart`, so a client can tell whether it missed any).
 */
export function notificationBundle(options: {
  readonly type: StatusType;
  readonly subscriptionIds: readonly string[];
  readonly events?: readonly NotificationEvent[];
  readonly content?: PayloadContent;
  readonly latestEventNumber?: number;
  /** e.g. http://localhost:4000/fhir/R4: the resources' fullUrl. */
  readonly base: string;
  readonly now: Date;
}): Bundle {
  const events = options.events ?? [];
  const resources: BundleEntry[] =
    options.content === 'full-resource'
      ? events.map(({ appointment }) => ({
          fullUrl: `${options.base}/Appointment/${appointment.id ?? ''}`,
          resource: appointment,
          request: { method: 'PUT', url: `Appointment/${appointment.id ?? ''}` },
          response: { status: '200' },
        }))
      : [];
  return {
    resourceType: 'Bundle',
    id: randomUUID(),
    type: 'history',
    timestamp: options.now.toISOString(),
    entry: [...options.subscriptionIds.map((id) => statusEntry(id, options.type, events, options.latestEventNumber)), ...resources],
  };
}
