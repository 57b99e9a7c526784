import { graphql } from '../../__generated__';

export const SCHEDULE_ITEM = graphql(`
  fragment ScheduleItem on Appointment {
    id
    startsAt
    endsAt
    status
    reason
    confirmedAt
    patient {
      id
      name
    }
  }
`);

export const DOCTOR_SCHEDULE = graphql(`
  query DoctorSchedule($doctorId: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {
    doctorSchedule(doctorId: $doctorId, from: $from, to: $to) {
      ...ScheduleItem
    }
  }
`);
