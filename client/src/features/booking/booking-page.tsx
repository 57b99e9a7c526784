import { useState } from 'react';
import { useQuery } from '@apollo/client/react';
import type { Client } from 'graphql-ws';
import { DOCTORS, MY_APPOINTMENTS } from './booking.graphql';
import { NotificationPreferencesPanel } from '../notifications/notification-preferences';
import { BookingForm } from './booking-form';
import { UpcomingAppointments } from './upcoming-appointments';
import { useMyAppointmentsFeed } from './use-my-appointments-feed';

export function BookingPage({ wsClient }: { wsClient: Client }) {
  const doctors = useQuery(DOCTORS);
  // A doctor without hours is offered only when their practice allows it (Doctor.bookable).
  const bookable = doctors.data?.doctors.filter((doctor) => doctor.bookable) ?? [];
  const mine = useQuery(MY_APPOINTMENTS);
  const [feedError, setFeedError] = useState<string | null>(null);
  useMyAppointmentsFeed(wsClient, setFeedError);
  return (
    <div className="booking">
      <section className="panel" aria-busy={doctors.loading}>
        {doctors.loading && !doctors.data && <p role="status">Loading doctors…</p>}
        {doctors.error && !doctors.data && (
          <p role="alert" className="error">
            Could not load the doctors.{' '}
            <button type="button" className="link" onClick={() => void doctors.refetch()}>
              Try again
            </button>
          </p>
        )}
        {doctors.data && bookable.length === 0 && <p className="muted">No doctors are taking bookings yet.</p>}
        {doctors.data && bookable.length > 0 && <BookingForm doctors={bookable} />}
      </section>
      <section className="panel" aria-labelledby="upcoming-title" aria-busy={mine.loading}>
        <h2 id="upcoming-title" tabIndex={-1}>
          Your upcoming appointments
        </h2>
        {feedError && (
          <p role="alert" className="error">
            Live updates stopped: {feedError}
          </p>
        )}
        {mine.loading && !mine.data && <p role="status">Loading your appointments…</p>}
        {mine.error && !mine.data && (
          <p role="alert" className="error">
            Could not load your appointments.{' '}
            <button type="button" className="link" onClick={() => void mine.refetch()}>
              Try again
            </button>
          </p>
        )}
        {mine.data?.me.patient && <UpcomingAppointments appointments={mine.data.me.patient.appointments} />}
      </section>
      <NotificationPreferencesPanel />
    </div>
  );
}
