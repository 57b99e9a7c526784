import { graphql } from '../../__generated__';

/** The practice whose figures the viewer may see: their own as staff, or the one they administer. */
export const ANALYTICS_CONTEXT = graphql(`
  query AnalyticsContext {
    me {
      id
      staff {
        id
        practice {
          id
          name
          timeZone
        }
      }
      adminOf {
        id
        name
        timeZone
      }
    }
  }
`);

export const PERIOD_FIGURES = graphql(`
  fragment PeriodFigures on PracticeAnalytics {
    appointments
    booked
    completed
    cancelled
    noShows
    lateCancelled
    noShowRate
    lateCancellationRate
    utilization
    medianLeadTimeDays
    thirdNextAvailableDays
    newPatientShare
    selfBookedShare
    confirmedShare
    medianCycleMinutes
  }
`);

export const PRACTICE_ANALYTICS = graphql(`
  query PracticeAnalytics($practiceId: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {
    practiceAnalytics(practiceId: $practiceId, from: $from, to: $to) {
      ...PeriodFigures
      leadTimes {
        fromDays
        toDays
        booked
      }
      byDay {
        date
        appointments
        completed
        cancelled
        noShows
      }
      byDoctor {
        doctor {
          id
          name
        }
        appointments
        noShowRate
        utilization
      }
      previous {
        ...PeriodFigures
      }
    }
  }
`);

export const PRACTICE_TODAY = graphql(`
  subscription PracticeToday($practiceId: ID!) {
    practiceToday(practiceId: $practiceId) {
      date
      booked
      checkedIn
      completed
      noShows
      cancelled
      openSlots
    }
  }
`);
