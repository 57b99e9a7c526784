import type { Viewer } from '../accounts/authorization';
import type { RequestMeta } from '../accounts/request-meta';
import type { AuditTrail } from '../audit/audit-trail';
import type { DeliveryAudit } from '../audit/deliveries';
import type { EventStreams } from '../live/event-streams';
import type { Transactions } from '../live/transactions';

/**
 * One instance of each service per server. Each feature adds its own services here by
 * declaration merging, next to the service class:
 *
 *     declare module '../../graphql/request-context' {
 *       interface RequestServices { readonly appointments: AppointmentService }
 *     }
 *
 * so resolvers reach their services through the context without this layer importing any feature
 * (the same device as Fastify's decorators). The composition root (../services.ts) must provide
 * every member, which the compiler checks.
 */
export interface RequestServices {
  /** Reads the live streams (live/event-streams.ts). */
  readonly events: EventStreams;
  /** Every write: a transaction of statements with its events (live/transactions.ts). */
  readonly transactions: Transactions;
  /** Audit rows for reads and event deliveries of patients' data (audit/audit-trail.ts). */
  readonly audit: AuditTrail;
  /** Delivery rows of live events, one per (event, receiving user) (audit/deliveries.ts). */
  readonly deliveries: DeliveryAudit;
}

/**
 * The batched lookups of one GraphQL execution (DataLoader), declared by the features the same
 * way. Created per request by ../context.ts.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the features (declaration merging)
export interface RequestLoaders {}

/** What every resolver receives: who asks and from where, the services, and this execution's loaders. */
export interface RequestContext {
  readonly viewer: Viewer | undefined;
  /** The request's id, client address (TRUST_PROXY applied) and user agent; a socket's are its upgrade request's. */
  readonly request: RequestMeta;
  readonly services: RequestServices;
  readonly loaders: RequestLoaders;
  /** The client's address (TRUST_PROXY applied), for limits per address; 'unknown' when not from a request. */
  readonly clientAddress: string;
}
