import DataLoader from 'dataloader';
import type { PracticeService } from './practices.service';
import type { Practice } from './practices.type';

declare module '../../graphql/request-context' {
  interface RequestLoaders {
    /** Practices by id (Doctor.practice, StaffMember.practice, Invitation.practice). */
    readonly practice: DataLoader<string, Practice | null>;
  }
}

/** The practices feature's loaders for one execution. Not cached: a subscription re-executes per event on the same context. */
export function createPracticeLoaders(practices: PracticeService) {
  return { practice: new DataLoader((ids: readonly string[]) => practices.practicesByIds(ids), { cache: false }) };
}
