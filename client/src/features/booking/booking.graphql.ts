import { graphql } from '../../__generated__';

export const DOCTOR_CARD = graphql(`
  fragment DoctorCard on Doctor {
    id
    name
    specialty
    timeZone
    bookable
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
    confirmedAt
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

export const DOCTOR_AVAILABILITY = graphql(`
  query DoctorAvailability($doctorId: ID!) {
    doctorAvailability(doctorId: $doctorId) {
      timeZone
      weeklyHours {
        weekday
        startTime
        endTime
      }
    }
  }
`);

export const AVAILABLE_SLOTS = graphql(`
  query AvailableSlots($doctorId: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $durationMinutes: Int) {
    availableSlots(doctorId: $doctorId, from: $from, to: $to, durationMinutes: $durationMinutes)
  }
`);

export const CANCEL_MY_APPOINTMENT = graphql(`
  mutation CancelMyAppointment($id: ID!) {
    cancelAppointment(id: $id) {
      ...MyAppointment
    }
  }
`);

export const MY_APPOINTMENT_UPDATED = graphql(`
  subscription MyAppointmentUpdated($after: String) {
    myAppointmentUpdated(after: $after) {
      cursor
      change
      appointment {
        ...MyAppointment
      }
    }
  }
`);

export const RESCHEDULE_APPOINTMENT = graphql(`
  mutation RescheduleAppointment($id: ID!, $startsAt: DateTimeISO!) {
    rescheduleAppointment(id: $id, startsAt: $startsAt) {
      id
      startsAt
      endsAt
      status
    }
  }
`);

export const CONFIRM_MY_APPOINTMENT = graphql(`
  mutation ConfirmMyAppointment($id: ID!) {
    confirmAppointment(id: $id) {
      ...MyAppointment
    }
  }
`);
