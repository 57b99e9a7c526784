// The patient's live list: `myAppointmentUpdated` (a cancel or reschedule by the doctor, or by the
// patient in another tab) written into the normalized cache, resumed after its last event.
import { useEffect } from 'react';
import { useApolloClient } from '@apollo/client/react';
import type { Client } from 'graphql-ws';
import { subscribeResumable } from '../../live/resumable-subscription';
import { MY_APPOINTMENT, MY_APPOINTMENT_UPDATED, MY_APPOINTMENTS } from './booking.graphql';

/** `onError` should be stable (a state setter): a new one resubscribes. */
export function useMyAppointmentsFeed(wsClient: Client, onError: (message: string) => void): void {
  const client = useApolloClient();
  useEffect(
    () =>
      subscribeResumable({
        wsClient,
        client,
        document: MY_APPOINTMENT_UPDATED,
        variables: {},
        pick: (data) => data.myAppointmentUpdated,
        refetch: [MY_APPOINTMENTS],
        onError,
        // The appointment is already in the list (the patient booked it): writing it by id is enough.
        onEvent: (event) => client.cache.writeFragment({ fragment: MY_APPOINTMENT, data: event.appointment }),
      }),
    [client, wsClient, onError],
  );
}
