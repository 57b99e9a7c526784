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
  let loaders: RequestLoaders | undefined;
  return {
    viewer,
    request,
    services,
    get loaders() {
      return (loaders ??= createLoaders(services, viewer));
    },
    clientAddress: request.clientAddress ?? 'unknown',
  };
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
