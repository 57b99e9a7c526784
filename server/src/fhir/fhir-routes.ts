import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Resource, ResourceType } from '@medplum/fhirtypes';
import express, { type ErrorRequestHandler, type Request, type Response, type Router } from 'express';
import type { Viewer } from '../accounts/authorization';
import type { RequestServices } from '../graphql/request-context';
import type { Clock } from '../platform/clock';
import { isPublicError } from '../platform/errors';
import type { Logger } from '../platform/logger';
import type { RateLimitName, RateLimits } from '../platform/rate-limits';
import { appointmentResource } from './appointment.resource';
import { capabilityStatement } from './capability';
import { observationResource } from './observation.resource';
import { organizationResource, practitionerRoleResource } from './organization.resource';
import { FhirError, notSupported, outcomeOf } from './outcome';
import { patientResource } from './patient.resource';
import { practitionerResource, scheduleResource } from './practitioner.resource';
import type { FhirContext, ResourceHandler } from './resource-handler';
import type { OAuthUris } from './capability';
import { parseSearch } from './search';
import { bookAppointment, findAppointments, holdAppointment, patchAppointment } from './scheduling';
import { slotResource } from './slot.resource';
import { assertReferenceWithinLimit, assertWithinLimit, scopeLimit, type FhirAccess } from './smart-scopes';
import {
  bindingToken,
  createSubscription,
  deleteSubscription,
  readSubscription,
  socketUrlOf,
  subscriptionEvents,
  type SubscriptionDeps,
} from './subscriptions';

/** The resource types served, in the CapabilityStatement's order. */
export const RESOURCE_HANDLERS: readonly ResourceHandler[] = [
  patientResource,
  practitionerResource,
  appointmentResource,
  observationResource,
  slotResource,
  scheduleResource,
  organizationResource,
  practitionerRoleResource,
];

const FHIR_JSON = 'application/fhir+json';

export interface FhirRouteDeps extends SubscriptionDeps {
  readonly services: RequestServices;
  /** The viewer of the request's bearer token (app.ts verifies it once per request, as for /graphql). */
  viewerOf(req: IncomingMessage): Promise<Viewer | undefined>;
  readonly logger: Logger;
  readonly clock: Clock;
  /**
   * The GraphQL mutations' budgets, charged to the same account keys (`bookings` for $book,
   * `appointmentChanges` for a cancel), so FHIR is no way around them: RATE_LIMITED is 429.
   */
  readonly rateLimits: RateLimits;
  /**
   * HTTP_MAX_IN_FLIGHT's admission and ACCOUNT_MAX_CONCURRENT_OPERATIONS' per-account cap, shared
   * with /graphql (transport/admission.ts, transport/account-concurrency.ts): a release function, or
   * undefined when refused (503 `transient`, 429 `throttled`, both with Retry-After: 1).
   */
  readonly admission: { acquire(): Promise<(() => void) | undefined> };
  readonly accountConcurrency: { tryAcquire(userId: string): (() => void) | undefined };
  /** The OAuth endpoints of third-party apps (features/apps), named by the CapabilityStatement's SMART security. */
  readonly oauth?: OAuthUris;
}

/** Retry-After of a refusal by admission or the per-account cap (the same second as /graphql's). */
const BUSY_RETRY_AFTER_SECONDS = 1;

function send(res: Response, status: number, body: unknown): void {
  res.status(status).type(FHIR_JSON).send(JSON.stringify(body));
}

/**
 * The FHIR R4 facade, mounted at /fhir/R4: metadata without a token, read and search of each
 * handler's type with one. Every answer is `application/fhir+json`; every error an
 * OperationOutcome with its HTTP status (outcome.ts), never an HTML page or a stack trace.
 */
export function fhirRoutes(deps: FhirRouteDeps): Router {
  const router = express.Router();
  const byType = new Map<string, ResourceHandler>(RESOURCE_HANDLERS.map((handler) => [handler.type, handler]));
  const baseOf = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}`;

  // The same admission and per-account cap as /graphql, answered as OperationOutcomes.
  router.use((req, res, next) => {
    void (async () => {
      const userId = (await deps.viewerOf(req))?.userId;
      const account = userId === undefined ? () => undefined : deps.accountConcurrency.tryAcquire(userId);
      if (!account) {
        throw new FhirError(
          429,
          'throttled',
          'This account runs too many operations at once. Try again shortly.',
          BUSY_RETRY_AFTER_SECONDS,
        );
      }
      const admitted = await deps.admission.acquire();
      if (!admitted) {
        account();
        throw new FhirError(503, 'transient', 'The server is busy. Try again shortly.', BUSY_RETRY_AFTER_SECONDS);
      }
      // 'close' fires for a finished response and for a client that went away alike.
      res.once('close', () => {
        admitted();
        account();
      });
    })().then(() => next(), next);
  });

  router.use(express.json({ limit: '1mb', type: ['application/json', FHIR_JSON, 'application/json-patch+json'] }));

  router.get('/metadata', (req, res) => send(res, 200, capabilityStatement(baseOf(req), RESOURCE_HANDLERS, deps.clock(), deps.oauth)));

  /**
   * The request's viewer and, for a third-party app's token, the limit its SMART scopes put on
   * this type and access (smart-scopes.ts): 403 naming the scope it lacks.
   */
  const contextOf = async (req: Request, type: ResourceType, access: FhirAccess): Promise<FhirContext> => {
    const viewer = await deps.viewerOf(req);
    if (!viewer) throw new FhirError(401, 'login', 'Send a valid bearer token: Authorization: Bearer <accessToken>.');
    if (viewer.secondFactorMissing) throw new FhirError(403, 'forbidden', 'This account must set up a second factor first.');
    const limit = scopeLimit(viewer, type, access);
    return { services: deps.services, viewer, base: baseOf(req), now: deps.clock(), limit };
  };
  const handlerOf = (type: string): ResourceHandler => {
    const handler = byType.get(type);
    if (!handler)
      throw notSupported(`The resource type '${type.slice(0, 64)}' is not supported (supported: ${[...byType.keys()].join(', ')}).`);
    return handler;
  };
  const answer = (work: (req: Request) => Promise<Resource>) => async (req: Request, res: Response, next: (error: unknown) => void) => {
    try {
      send(res, 200, await work(req));
    } catch (error) {
      next(error);
    }
  };

  // Subscriptions (subscriptions.ts), before the generic read and search routes.
  router.post('/Subscription', (req, res, next) => {
    void (async () => {
      const { subscription, created } = await createSubscription(deps, await contextOf(req, 'Subscription', 'create'), req.body);
      res.location(`${baseOf(req)}/Subscription/${subscription.id ?? ''}`);
      send(res, created ? 201 : 200, subscription);
    })().catch(next);
  });
  router.get(
    '/Subscription/:id',
    answer(async (req) => readSubscription(deps, await contextOf(req, 'Subscription', 'read'), String(req.params['id']))),
  );
  router.delete('/Subscription/:id', (req, res, next) => {
    void (async () => {
      await deleteSubscription(deps, await contextOf(req, 'Subscription', 'update'), String(req.params['id']));
      res.status(204).end();
    })().catch(next);
  });
  router.get(
    '/Subscription/:id/:operation',
    answer(async (req) => {
      const id = String(req.params['id']);
      const operation = String(req.params['operation']);
      if (operation === '$get-ws-binding-token')
        return bindingToken(deps, await contextOf(req, 'Subscription', 'read'), id, socketUrlOf(req));
      if (operation === '$events') return subscriptionEvents(deps, await contextOf(req, 'Subscription', 'read'), id, req.query);
      throw notSupported(
        `The operation '${operation.slice(0, 64)}' is not supported on Subscription (supported: $get-ws-binding-token, $events).`,
      );
    }),
  );

  router.get(
    '/:type',
    answer(async (req) => {
      const handler = handlerOf(String(req.params['type']));
      const context = await contextOf(req, handler.type, 'search');
      const search = parseSearch(
        req.query,
        handler.searchParams.map((param) => param.name),
        handler.repeatable,
      );
      // A patient/ scope: a search naming another patient is refused, not answered empty.
      for (const name of handler.type === 'Patient' ? ['_id'] : ['patient', 'subject']) {
        const value = search.one(name);
        if (value !== undefined) assertReferenceWithinLimit(context.limit, value.replace(/^Patient\//, ''));
      }
      const bundle = await handler.search(context, search);
      assertWithinLimit(context.limit, bundle);
      return bundle;
    }),
  );
  router.get(
    '/:type/:id',
    answer(async (req) => {
      const handler = handlerOf(String(req.params['type']));
      const context = await contextOf(req, handler.type, 'read');
      const resource = await handler.read(context, String(req.params['id']));
      assertWithinLimit(context.limit, resource);
      return resource;
    }),
  );
  // Scheduling (scheduling.ts): $find, $hold and $book of Appointment, and cancelling by JSON Patch.
  const charge = (context: FhirContext, limiter: RateLimitName) => deps.rateLimits.consume(limiter, `account:${context.viewer.userId}`);
  // $find reads free times (the scopes of Slot); $hold and $book create an Appointment.
  const OPERATIONS: Readonly<
    Record<string, { type: ResourceType; access: FhirAccess; run: (context: FhirContext, body: unknown) => Promise<Resource> }>
  > = {
    $find: { type: 'Slot', access: 'search', run: findAppointments },
    $hold: {
      type: 'Appointment',
      access: 'create',
      run: async (context, body) => {
        await charge(context, 'bookings');
        return holdAppointment(context, body);
      },
    },
    $book: {
      type: 'Appointment',
      access: 'create',
      run: async (context, body) => {
        await charge(context, 'bookings');
        return bookAppointment(context, body);
      },
    },
  };
  router.post(
    '/Appointment/:operation',
    answer(async (req) => {
      const name = String(req.params['operation']);
      const operation = Object.hasOwn(OPERATIONS, name) ? OPERATIONS[name] : undefined;
      if (!operation)
        throw notSupported(`The operation '${String(req.params['operation']).slice(0, 64)}' is not supported on Appointment.`);
      const context = await contextOf(req, operation.type, operation.access);
      const result = await operation.run(context, req.body);
      assertWithinLimit(context.limit, result);
      return result;
    }),
  );
  router.patch(
    '/Appointment/:id',
    answer(async (req) => {
      if (!req.is('application/json-patch+json'))
        throw new FhirError(415, 'not-supported', 'Send a JSON Patch as application/json-patch+json.');
      const context = await contextOf(req, 'Appointment', 'update');
      const id = String(req.params['id']);
      // A patient/ scope: only the token's patient's appointments are changed (checked before the change).
      if (context.limit.patientId !== undefined) assertWithinLimit(context.limit, await appointmentResource.read(context, id));
      await charge(context, 'appointmentChanges');
      return patchAppointment(context, id, req.body);
    }),
  );
  // Anything else (writes, other operations, history) is not implemented yet: said so, never a 404 page.
  router.use((req, _res, next) => {
    next(new FhirError(405, 'not-supported', `${req.method} ${req.path.slice(0, 100)} is not supported by this server yet.`));
  });
  router.use(fhirErrorHandler(deps.logger));
  return router;
}

/** Every error as an OperationOutcome; an unexpected one logged under an id the client can quote. */
function fhirErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    const errorId = randomUUID();
    const { status, outcome, unexpected } = outcomeOf(error, errorId);
    if (unexpected) logger.error({ err: error, errorId }, 'FHIR request failed');
    if (status === 401) res.set('WWW-Authenticate', 'Bearer');
    const retryAfter =
      error instanceof FhirError ? error.retryAfterSeconds : isPublicError(error) ? error.extensions['retryAfterSeconds'] : undefined;
    if (typeof retryAfter === 'number') res.set('Retry-After', String(Math.ceil(retryAfter)));
    send(res, status, outcome);
  };
}
