// The front desk's live feeds: every booking and every change of the practice's appointments, each
// its own resumable subscription (its own cursor), merged into the flow board's cached query.
import { useEffect, useRef } from 'react';
import type { ApolloClient } from '@apollo/client';
import type { Client } from 'graphql-ws';
import type { BoardItemFragment } from '../../__generated__/graphql';
import { subscribeResumable } from '../../live/resumable-subscription';
import { PRACTICE_APPOINTMENT_UPDATED, PRACTICE_PATIENT_ADDED, PRACTICE_SCHEDULE, SEARCH_PATIENTS } from './desk.graphql';

export interface PracticeFeedOptions {
  readonly client: ApolloClient;
  readonly wsClient: Client;
  readonly practiceId: string;
  readonly range: { readonly from: string; readonly to: string };
  readonly onError: (message: string) => void;
}

/**
 * Puts an appointment on the cached board of its day when it is not there yet (a booking, or a
 * reschedule into the day). Its other changes need nothing: writing the event updated the one
 * cache entry (Appointment:<id>) the board shows. Applying an event twice changes nothing.
 */
export function placeOnBoard(
  client: ApolloClient,
  practiceId: string,
  range: { from: string; to: string },
  appointment: BoardItemFragment,
): void {
  const starts = Date.parse(appointment.startsAt);
  if (starts >= Date.parse(range.to) || Date.parse(appointment.endsAt) <= Date.parse(range.from)) return;
  client.cache.updateQuery({ query: PRACTICE_SCHEDULE, variables: { practiceId, ...range } }, (data) => {
    if (!data || data.practiceSchedule.some((item) => item.id === appointment.id)) return data;
    const practiceSchedule = [...data.practiceSchedule, appointment].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
    return { ...data, practiceSchedule };
  });
}

export function usePracticeFeed(options: PracticeFeedOptions): void {
  const onError = useRef(options.onError);
  onError.current = options.onError;
  const { client, wsClient, practiceId, range } = options;
  const { from, to } = range;

  useEffect(() => {
    const day = { from, to };
    const common = { client, wsClient, variables: { practiceId }, onError: (message: string) => onError.current(message) };
    const stopUpdates = subscribeResumable({
      ...common,
      document: PRACTICE_APPOINTMENT_UPDATED,
      pick: (data) => data.practiceAppointmentUpdated,
      refetch: [PRACTICE_SCHEDULE],
      onEvent: (event) => placeOnBoard(client, practiceId, day, event.appointment),
    });
    const stopBookings = subscribeResumable({
      ...common,
      document: PRACTICE_PATIENT_ADDED,
      pick: (data) => data.practicePatientAdded,
      refetch: [PRACTICE_SCHEDULE, SEARCH_PATIENTS],
      onEvent: (event) => {
        placeOnBoard(client, practiceId, day, event.appointment);
        // A patient new to the practice belongs in the search results too.
        if (event.firstVisit) void client.refetchQueries({ include: [SEARCH_PATIENTS] });
      },
    });
    return () => {
      stopUpdates();
      stopBookings();
    };
  }, [client, wsClient, practiceId, from, to]);
}
