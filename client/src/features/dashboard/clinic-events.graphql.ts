import { graphql } from '../../__generated__';

export const VITALS_READING = graphql(`
  fragment VitalsReading on Vitals {
    id
    recordedAt
    heartRate
    systolic
    diastolic
    temperatureC
    spo2Percent
    respiratoryRate
    weightKg
  }
`);

export const APPOINTMENT_UPDATED = graphql(`
  subscription AppointmentUpdated($doctorId: ID!, $after: String) {
    appointmentUpdated(doctorId: $doctorId, after: $after) {
      cursor
      change
      appointment {
        ...ScheduleItem
        cancellationReason
      }
    }
  }
`);

export const VITALS_RECORDED = graphql(`
  subscription VitalsRecorded($doctorId: ID!, $after: String) {
    vitalsRecorded(doctorId: $doctorId, after: $after) {
      cursor
      patient {
        id
        latestVitals {
          ...VitalsReading
        }
      }
      vitals {
        ...VitalsReading
      }
    }
  }
`);
