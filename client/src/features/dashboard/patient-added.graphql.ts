import { graphql } from '../../__generated__';

export const PATIENT_ADDED = graphql(`
  subscription PatientAdded($doctorId: ID!, $after: String) {
    patientAdded(doctorId: $doctorId, after: $after) {
      cursor
      doctorId
      firstVisit
      patient {
        ...PatientRow
      }
      appointment {
        ...ScheduleItem
      }
    }
  }
`);
