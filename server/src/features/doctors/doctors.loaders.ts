import DataLoader from 'dataloader';
import type { DoctorService } from './doctors.service';
import type { Doctor } from './doctors.type';

declare module '../../graphql/request-context' {
  interface RequestLoaders {
    /** Doctors by id, batched per execution (Appointment.doctor, MedicalRecord.doctor). */
    readonly doctor: DataLoader<string, Doctor | null>;
  }
}

/**
 * The doctors feature's loaders for one execution. Not cached across the execution: a
 * subscription re-executes per event on the same context and must see fresh data.
 */
export function createDoctorLoaders(doctors: DoctorService) {
  return { doctor: new DataLoader((ids: readonly string[]) => doctors.doctorsByIds(ids), { cache: false }) };
}
