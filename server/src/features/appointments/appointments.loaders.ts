import DataLoader from 'dataloader';
import type { Viewer } from '../../accounts/authorization';
import type { AppointmentService } from './appointments.service';
import type { Appointment } from './appointments.type';

declare module '../../graphql/request-context' {
  interface RequestLoaders {
    /** Each patient's appointments as the viewer may see them (Patient.appointments). */
    readonly patientAppointments: DataLoader<string, Appointment[]>;
  }
}

/**
 * The appointments feature's loaders for one execution: a list page's appointments cost one query
 * for the whole page. Not cached: a subscription re-executes per event on the same context.
 */
export function createAppointmentLoaders(appointments: AppointmentService, viewer: Viewer | undefined) {
  return {
    patientAppointments: new DataLoader((ids: readonly string[]) => appointments.appointmentsOfPatients(viewer, ids), { cache: false }),
  };
}
