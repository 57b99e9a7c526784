// The front desk's live feeds: every booking and every change of the practice's appointments, each
// its own resumable subscription (its own cursor), written into the normalized cache
// (practice-events.ts), whichever desk, doctor or patient made the change and on whichever server.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApolloClient } from '@apollo/client';
import type { Client } from 'graphql-ws';
import type { AppointmentChange, BoardItemFragment } from '../../__generated__/graphql';
import { connectionOf } from '../../connection-status';
import { subscribeResumable } from '../../live/resumable-subscription';
import { PRACTICE_APPOINTMENT_UPDATED, PRACTICE_PATIENT_ADDED, PRACTICE_SCHEDULE, SEARCH_PATIENTS } from './desk.graphql';
import { applyPracticeAppointment, placeOnCachedDays } from './practice-events';

export interface PracticeFeedOptions {
  readonly client: ApolloClient;
  readonly wsClient: Client;
  readonly practiceId: string;
  readonly onError: (message: string) => void;
}

export interface PracticeFeed {
  /**
   * True once the socket is up, both feeds are (re)subscribed and the board was read again after
   * that: from then on nothing that commits can be missing from the board. The page says "Live" only then.
   */
  readonly synced: boolean;
  /** Places the appointments of recent events on the cached days again (a day that just loaded). */
  readonly replay: () => void;
}

/** How many recent appointments are kept to place on a day that loads after their event arrived. */
const RECENT_LIMIT = 500;

/** Subscribes once per practice, whatever day the board shows (every cached day is kept current). */
export function usePracticeFeed(options: PracticeFeedOptions): PracticeFeed {
  const onError = useRef(options.onError);
  onError.current = options.onError;
  const { client, wsClient, practiceId } = options;
  const recent = useRef(new Map<string, BoardItemFragment>());
  const [synced, setSynced] = useState(false);

  const replay = useCallback(() => {
    for (const id of recent.current.keys()) placeOnCachedDays(client.cache, practiceId, { id });
  }, [client, practiceId]);

  useEffect(() => {
    recent.current.clear();
    const remember = (appointment: BoardItemFragment, change?: AppointmentChange) => {
      recent.current.delete(appointment.id);
      recent.current.set(appointment.id, appointment);
      if (recent.current.size > RECENT_LIMIT) recent.current.delete(recent.current.keys().next().value ?? '');
      applyPracticeAppointment(client.cache, practiceId, appointment, change);
    };
    const common = { client, wsClient, variables: { practiceId }, onError: (message: string) => onError.current(message) };
    const stopUpdates = subscribeResumable({
      ...common,
      document: PRACTICE_APPOINTMENT_UPDATED,
      pick: (data) => data.practiceAppointmentUpdated,
      refetch: [PRACTICE_SCHEDULE],
      onEvent: (event) => remember(event.appointment, event.change),
    });
    const stopBookings = subscribeResumable({
      ...common,
      document: PRACTICE_PATIENT_ADDED,
      pick: (data) => data.practicePatientAdded,
      refetch: [PRACTICE_SCHEDULE, SEARCH_PATIENTS],
      onEvent: (event) => {
        remember(event.appointment);
        // A patient new to the practice belongs in the search results too.
        if (event.firstVisit) void client.refetchQueries({ include: [SEARCH_PATIENTS] });
      },
    });

    // Each time the socket (re)connects, the subscriptions are sent again (with `after` once they
    // have seen an event); the board is then read again, so a change committed before the
    // subscriptions took effect is on it too (and the events seen so far are placed again).
    const status = connectionOf(wsClient);
    let round = 0;
    let stopped = false;
    const sync = async () => {
      const mine = ++round;
      setSynced(false);
      try {
        await client.refetchQueries({ include: [PRACTICE_SCHEDULE] });
      } catch {
        return; // the board shows its own error; the next connection tries again
      }
      if (stopped || mine !== round || status.state !== 'live') return;
      replay();
      setSynced(true);
    };
    const offConnected = wsClient.on('connected', () => void sync());
    const offStatus = status.subscribe(() => {
      if (status.state !== 'live') {
        round += 1;
        setSynced(false);
      }
    });
    if (status.state === 'live') void sync();
    return () => {
      stopped = true;
      offConnected();
      offStatus();
      stopUpdates();
      stopBookings();
    };
  }, [client, wsClient, practiceId, replay]);

  return { synced, replay };
}
