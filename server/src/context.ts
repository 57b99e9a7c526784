import type { Viewer } from './accounts/authorization';
import type { RequestMeta } from './accounts/request-meta';
import { createAppointmentLoaders } from './features/appointments/appointments.loaders';
import { createDoctorLoaders } from './features/doctors/doctors.loaders';
import { createPatientLoaders } from './features/patients/patients.loaders';
import { createPracticeLoaders } from './features/practices/practices.loaders';
import { createVitalsLoaders } from './features/vitals/vitals.loaders';
import type { RequestContext, RequestLoaders, RequestServices } from './graphql/request-context';

/**
 * The context of one GraphQL execution (an HTTP request, or one subscription on a socket). Its
 * loaders are made on first use: an idle subscription, thousands per instance, never needs them
 * (bench/README.md, "Where an idle socket's heap goes").
 */
export function createContext(services: RequestServices, viewer: Viewer | undefined, request: RequestMeta): RequestContext {
  return new ExecutionContext(services, viewer, request);
}

// A class, not an object literal with a getter: V8 keeps such a literal as a dictionary (about
// 0.5 KB, and a closure, per subscription), where instances of a class share one shape.
class ExecutionContext implements RequestContext {
  readonly clientAddress: string;
  private made: RequestLoaders | undefined;

  constructor(
    readonly services: RequestServices,
    readonly viewer: Viewer | undefined,
    readonly request: RequestMeta,
  ) {
    this.clientAddress = request.clientAddress ?? 'unknown';
  }

  get loaders(): RequestLoaders {
    return (this.made ??= createLoaders(this.services, this.viewer));
  }
}

function createLoaders(services: RequestServices, viewer: Viewer | undefined): RequestLoaders {
  return {
    ...createDoctorLoaders(services.doctors),
    ...createPatientLoaders(services.patients),
    ...createPracticeLoaders(services.practices),
    ...createAppointmentLoaders(services.appointments, viewer),
    ...createVitalsLoaders(services.vitals, viewer),
  };
}
