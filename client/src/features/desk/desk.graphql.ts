import { graphql } from '../../__generated__';

export const DESK_CONTEXT = graphql(`
  query DeskContext {
    me {
      id
      staff {
        id
        admin
        practice {
          id
          name
          timeZone
          doctors {
            id
            name
            specialty
            bookable
          }
        }
      }
    }
  }
`);

export const BOARD_ITEM = graphql(`
  fragment BoardItem on Appointment {
    id
    startsAt
    endsAt
    status
    reason
    checkedInAt
    confirmedAt
    doctor {
      id
      name
    }
    patient {
      id
      name
    }
  }
`);

export const PRACTICE_SCHEDULE = graphql(`
  query PracticeSchedule($practiceId: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {
    practiceSchedule(practiceId: $practiceId, from: $from, to: $to) {
      ...BoardItem
    }
  }
`);

export const CHECK_IN = graphql(`
  mutation CheckIn($id: ID!) {
    checkInAppointment(id: $id) {
      ...BoardItem
    }
  }
`);

export const UNDO_CHECK_IN = graphql(`
  mutation UndoCheckIn($id: ID!) {
    undoCheckIn(id: $id) {
      ...BoardItem
    }
  }
`);

export const MARK_NO_SHOW = graphql(`
  mutation MarkNoShow($id: ID!) {
    markNoShow(id: $id) {
      ...BoardItem
    }
  }
`);

export const SEARCH_PATIENTS = graphql(`
  query SearchPracticePatients($practiceId: ID!, $search: String, $first: Int) {
    practicePatients(practiceId: $practiceId, search: $search, first: $first) {
      totalCount
      edges {
        node {
          id
          name
          dateOfBirth
        }
      }
    }
  }
`);

export const BOOK_FOR_PATIENT = graphql(`
  mutation BookForPatient($input: BookAppointmentInput!) {
    bookAppointment(input: $input) {
      ...BoardItem
    }
  }
`);

export const PRACTICE_APPOINTMENT_UPDATED = graphql(`
  subscription PracticeAppointmentUpdated($practiceId: ID!, $after: String) {
    practiceAppointmentUpdated(practiceId: $practiceId, after: $after) {
      cursor
      change
      appointment {
        ...BoardItem
      }
    }
  }
`);

export const PRACTICE_PATIENT_ADDED = graphql(`
  subscription PracticePatientAdded($practiceId: ID!, $after: String) {
    practicePatientAdded(practiceId: $practiceId, after: $after) {
      cursor
      firstVisit
      appointment {
        ...BoardItem
      }
    }
  }
`);
