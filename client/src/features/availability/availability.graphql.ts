import { graphql } from '../../__generated__';

export const AVAILABILITY = graphql(`
  fragment Availability on DoctorAvailability {
    timeZone
    weeklyHours {
      weekday
      startTime
      endTime
    }
    daysOff
  }
`);

export const MY_AVAILABILITY = graphql(`
  query MyAvailability($doctorId: ID!) {
    doctorAvailability(doctorId: $doctorId) {
      ...Availability
    }
  }
`);

export const SET_WORKING_HOURS = graphql(`
  mutation SetWorkingHours($doctorId: ID!, $hours: [WorkingHoursInput!]!) {
    setWorkingHours(doctorId: $doctorId, hours: $hours) {
      ...Availability
    }
  }
`);

export const ADD_DAY_OFF = graphql(`
  mutation AddDayOff($doctorId: ID!, $date: String!) {
    addDayOff(doctorId: $doctorId, date: $date) {
      ...Availability
    }
  }
`);

export const REMOVE_DAY_OFF = graphql(`
  mutation RemoveDayOff($doctorId: ID!, $date: String!) {
    removeDayOff(doctorId: $doctorId, date: $date) {
      ...Availability
    }
  }
`);

export const ADMIN_PRACTICE_DOCTORS = graphql(`
  query AdminPracticeDoctors {
    me {
      id
      adminOf {
        id
        name
        bookableWithoutHours
        doctors {
          id
          name
        }
      }
    }
  }
`);

export const SET_BOOKABLE_WITHOUT_HOURS = graphql(`
  mutation SetBookableWithoutHours($practiceId: ID!, $allowed: Boolean!) {
    setPracticeBookableWithoutHours(practiceId: $practiceId, allowed: $allowed) {
      id
      bookableWithoutHours
    }
  }
`);
