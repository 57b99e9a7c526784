import { graphql } from '../../__generated__';

export const PATIENT_VITALS = graphql(`
  query PatientVitals($patientId: ID!) {
    patientVitals(patientId: $patientId, first: 20) {
      ...VitalsReading
    }
  }
`);

export const MEDICAL_RECORD_ITEM = graphql(`
  fragment MedicalRecordItem on MedicalRecord {
    id
    diagnosis
    icd10Code
    notes
    createdAt
    supersedesId
    supersededById
    doctor {
      id
      name
    }
  }
`);

export const PATIENT_RECORDS = graphql(`
  query PatientMedicalRecords($patientId: ID!) {
    patientMedicalRecords(patientId: $patientId, includeSuperseded: true) {
      ...MedicalRecordItem
    }
  }
`);

export const RECORD_VITALS = graphql(`
  mutation RecordVitals($patientId: ID!, $input: RecordVitalsInput!) {
    recordVitals(patientId: $patientId, input: $input) {
      ...VitalsReading
    }
  }
`);

export const ADD_MEDICAL_RECORD = graphql(`
  mutation AddMedicalRecord($patientId: ID!, $input: AddMedicalRecordInput!) {
    addMedicalRecord(patientId: $patientId, input: $input) {
      ...MedicalRecordItem
    }
  }
`);

export const CANCEL_APPOINTMENT = graphql(`
  mutation CancelAppointment($id: ID!, $reason: String) {
    cancelAppointment(id: $id, reason: $reason) {
      id
      status
      cancellationReason
      startsAt
      endsAt
    }
  }
`);

export const COMPLETE_APPOINTMENT = graphql(`
  mutation CompleteAppointment($id: ID!) {
    completeAppointment(id: $id) {
      id
      status
    }
  }
`);
