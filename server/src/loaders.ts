import DataLoader from 'dataloader';
import type { Appointment } from './features/appointments/appointments.type';
import type { Doctor } from './features/doctors/doctors.type';
import type { Patient } from './features/patients/patients.type';
import type { Vitals } from './features/vitals/vitals.type';
import { appointmentScopeFor, type Viewer } from './accounts/authorization';
import type { Services } from './services';

/**
 * Batches the lookups of one GraphQL execution into one query per level (no N+1). Results are not
 * cached: a subscription re-executes per event on the same context and must see fresh data.
 */
export interface Loaders {
  readonly doctor: DataLoader<string, Doctor | null>;
  readonly patient: DataLoader<string, Patient | null>;
  readonly patientAppointments: DataLoader<string, Appointment[]>;
  readonly latestVitals: DataLoader<string, Vitals | null>;
}

export function createLoaders(services: Services, viewer: Viewer | undefined): Loaders {
  const scope = appointmentScopeFor(viewer);
  const options = { cache: false } as const;
  return {
    doctor: new DataLoader((ids) => services.doctors.doctorsByIds(ids), options),
    patient: new DataLoader((ids) => services.patients.patientsByIds(ids), options),
    patientAppointments: new DataLoader((ids) => services.patients.appointmentsOfPatients(scope, ids), options),
    latestVitals: new DataLoader((ids) => services.patients.latestVitalsOfPatients(scope, ids), options),
  };
}
