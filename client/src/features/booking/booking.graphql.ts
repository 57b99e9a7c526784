import { graphql } from '../../__generated__';

export const DOCTOR_CARD = graphql(`
  fragment DoctorCard on Doctor {
    id
    name
    specialty
    timeZone
  }
`);

export const DOCTORS = graphql(`
  query Doctors {
    doctors {
      ...DoctorCard
    }
  }
`);

export const MY_APPOINTMENT = graphql(`
  fragment MyAppointment on Appointment {
    id
    startsAt
    endsAt
    status
    reason
    doctor {
      id
      name
      specialty
    }
  }
`);

export const MY_APPOINTMENTS = graphql(`
  query MyAppointments {
    me {
      id
      patient {
        id
        appointments {
          ...MyAppointment
        }
      }
    }
  }
`);

export const BOOK_APPOINTMENT = graphql(`
  mutation BookAppointment($input: BookAppointmentInput!) {
    bookAppointment(input: $input) {
      ...MyAppointment
    }
  }
`);
