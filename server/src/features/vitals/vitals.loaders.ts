import DataLoader from 'dataloader';
import type { Viewer } from '../../accounts/authorization';
import type { VitalsService } from './vitals.service';
import type { Vitals } from './vitals.type';

declare module '../../graphql/request-context' {
  interface RequestLoaders {
    /** Each patient's latest vitals, when the viewer may see them (Patient.latestVitals). */
    readonly latestVitals: DataLoader<string, Vitals | null>;
  }
}

/** The vitals feature's loaders for one execution (one query per list page). Not cached across events. */
export function createVitalsLoaders(vitals: VitalsService, viewer: Viewer | undefined) {
  return { latestVitals: new DataLoader((ids: readonly string[]) => vitals.latestVitalsOfPatients(viewer, ids), { cache: false }) };
}
