import { graphql } from '../../__generated__';

export const PATIENT_ROW = graphql(`
  fragment PatientRow on Patient {
    id
    name
    dateOfBirth
    appointments {
      id
      startsAt
      endsAt
      status
      reason
    }
    latestVitals {
      id
      recordedAt
      heartRate
      systolic
      diastolic
      temperatureC
      spo2Percent
    }
  }
`);

export const DOCTOR_PATIENTS = graphql(`
  query DoctorPatients($doctorId: ID!, $first: Int, $after: String) {
    doctorPatients(doctorId: $doctorId, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          ...PatientRow
        }
      }
    }
  }
`);

/** Patients per page of the dashboard list. */
export const PAGE_SIZE = 20;
