import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Resource } from '@medplum/fhirtypes';
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
import { parseSearch } from './search';
import { bookAppointment, findAppointments, holdAppointment, patchAppointment } from './scheduling';
import { slotResource } from './slot.resource';

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

export interface FhirRouteDeps {
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

  router.get('/metadata', (req, res) => send(res, 200, capabilityStatement(baseOf(req), RESOURCE_HANDLERS, deps.clock())));

  const contextOf = async (req: Request): Promise<FhirContext> => {
    const viewer = await deps.viewerOf(req);
    if (!viewer) throw new FhirError(401, 'login', 'Send a valid bearer token: Authorization: Bearer <accessToken>.');
    if (viewer.secondFactorMissing) throw new FhirError(403, 'forbidden', 'This account must set up a second factor first.');
    // SMART scopes are not enforced here yet: an app's token is refused rather than let through
    // with its user's full rights (fail closed; issue 27).
    if (viewer.app)
      throw new FhirError(
        403,
        'forbidden',
        'Third-party app tokens are not accepted on /fhir/R4 yet (SMART scopes on FHIR are not enforced).',
      );
    return { services: deps.services, viewer, base: baseOf(req), now: deps.clock() };
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

  router.get(
    '/:type',
    answer(async (req) => {
      const handler = handlerOf(String(req.params['type']));
      const context = await contextOf(req);
      return handler.search(
        context,
        parseSearch(
          req.query,
          handler.searchParams.map((param) => param.name),
          handler.repeatable,
        ),
      );
    }),
  );
  router.get(
    '/:type/:id',
    answer(async (req) => {
      const handler = handlerOf(String(req.params['type']));
      const context = await contextOf(req);
      return handler.read(context, String(req.params['id']));
    }),
  );
  // Scheduling (scheduling.ts): $find, $hold and $book of Appointment, and cancelling by JSON Patch.
  const charge = (context: FhirContext, limiter: RateLimitName) => deps.rateLimits.consume(limiter, `account:${context.viewer.userId}`);
  const OPERATIONS: Readonly<Record<string, (context: FhirContext, body: unknown) => Promise<Resource>>> = {
    $find: findAppointments,
    $hold: async (context, body) => {
      await charge(context, 'bookings');
      return holdAppointment(context, body);
    },
    $book: async (context, body) => {
      await charge(context, 'bookings');
      return bookAppointment(context, body);
    },
  };
  router.post(
    '/Appointment/:operation',
    answer(async (req) => {
      const operation = OPERATIONS[String(req.params['operation'])];
      if (!operation)
        throw notSupported(`The operation '${String(req.params['operation']).slice(0, 64)}' is not supported on Appointment.`);
      const context = await contextOf(req);
      return operation(context, req.body);
    }),
  );
  router.patch(
    '/Appointment/:id',
    answer(async (req) => {
      if (!req.is('application/json-patch+json'))
        throw new FhirError(415, 'not-supported', 'Send a JSON Patch as application/json-patch+json.');
      const context = await contextOf(req);
      await charge(context, 'appointmentChanges');
      return patchAppointment(context, String(req.params['id']), req.body);
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
