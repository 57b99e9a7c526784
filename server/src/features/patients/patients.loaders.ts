import DataLoader from 'dataloader';
import type { PatientService } from './patients.service';
import type { Patient } from './patients.type';

declare module '../../graphql/request-context' {
  interface RequestLoaders {
    /** Patients by id (Appointment.patient). */
    readonly patient: DataLoader<string, Patient | null>;
  }
}

/** The patients feature's loaders for one execution. Not cached: a subscription re-executes per event on the same context. */
export function createPatientLoaders(patients: PatientService) {
  return { patient: new DataLoader((ids: readonly string[]) => patients.patientsByIds(ids), { cache: false }) };
}
