// The dashboard's live feed: `patientAdded` over the session's graphql-ws socket, merged into the
// cache as events arrive, resumed after the last event on every reconnect.
import { useEffect, useRef } from 'react';
import type { ApolloClient } from '@apollo/client';
import { addTypenameToDocument } from '@apollo/client/utilities';
import { print, type GraphQLFormattedError } from 'graphql';
import type { Client } from 'graphql-ws';
import type { PatientAddedSubscription } from '../../__generated__/graphql';
import { applyPatientAdded, type MergeOutcome, type PatientAddedEvent } from './patient-added';
import { DOCTOR_PATIENTS } from './patient-list.graphql';
import { PATIENT_ADDED } from './patient-added.graphql';

// __typename on every object, as Apollo's own links would add it: the cache needs it to normalize
// what we write from the event.
const PATIENT_ADDED_QUERY = print(addTypenameToDocument(PATIENT_ADDED));

export interface PatientFeedOptions {
  readonly client: ApolloClient;
  readonly wsClient: Client;
  readonly doctorId: string;
  /** True once the first page of the list is in the cache: events that came earlier are applied then. */
  readonly listLoaded: boolean;
  /** The schedule range on screen, so a booking on that day appears there too. */
  readonly scheduleRange: { from: string; to: string };
  /** Called for each event that changed the list (not for duplicates). */
  readonly onChange: (event: PatientAddedEvent, outcome: Exclude<MergeOutcome, 'duplicate' | 'not-loaded'>) => void;
  /** The subscription failed for good (FORBIDDEN, say): shown to the doctor. */
  readonly onError: (message: string) => void;
}

/**
 * Subscribes once per doctor. graphql-ws re-sends the same subscribe payload after every
 * reconnect, and JSON.stringify reads `variables` at each send: a getter there makes every
 * resubscription carry `after: <last cursor>`, so the server replays exactly what was missed.
 */
export function usePatientFeed(options: PatientFeedOptions): void {
  const latest = useRef(options);
  latest.current = options;
  const pending = useRef<PatientAddedEvent[]>([]);

  useEffect(() => {
    const { wsClient, client, doctorId } = latest.current;
    let cursor: string | null = null;
    let stop: () => void = () => undefined;

    const handle = (event: PatientAddedEvent) => {
      const outcome = applyPatientAdded(client.cache, event, latest.current.scheduleRange);
      // Before the list has loaded, keep the event for when it has; after, 'not-loaded' means the
      // event is not for this list at all.
      if (outcome === 'added' || outcome === 'moved') latest.current.onChange(event, outcome);
      else if (outcome === 'not-loaded' && !latest.current.listLoaded) pending.current.push(event);
    };

    const start = () => {
      const payload = {
        query: PATIENT_ADDED_QUERY,
        get variables() {
          return { doctorId, after: cursor };
        },
      };
      stop = wsClient.subscribe<PatientAddedSubscription>(payload, {
        next: (result) => {
          const event = result.data?.patientAdded;
          if (result.errors?.length || !event) return failed(result.errors ?? []);
          cursor = event.cursor;
          handle(event);
        },
        error: (error) => failed(Array.isArray(error) ? (error as GraphQLFormattedError[]) : []),
        complete: () => undefined,
      });
    };

    const failed = (errors: readonly GraphQLFormattedError[]) => {
      if (errors.some((error) => error.extensions?.['code'] === 'CURSOR_EXPIRED')) {
        // Missed more than the server keeps: reload the list, then follow live events from now.
        cursor = null;
        stop();
        void client.refetchQueries({ include: [DOCTOR_PATIENTS] });
        start();
        return;
      }
      if (errors.length > 0) latest.current.onError(errors[0]?.message ?? 'The live feed stopped.');
    };

    // Reconnected before any event arrived: there is no cursor to resume from, so bookings made
    // while the socket was down are fetched with the list instead.
    let connections = 0;
    const offConnected = wsClient.on('connected', () => {
      connections += 1;
      if (connections > 1 && cursor === null) void client.refetchQueries({ include: [DOCTOR_PATIENTS] });
    });

    start();
    return () => {
      offConnected();
      stop();
    };
  }, [options.wsClient, options.client, options.doctorId]);

  useEffect(() => {
    if (!options.listLoaded || pending.current.length === 0) return;
    const events = pending.current.splice(0);
    for (const event of events) {
      const outcome = applyPatientAdded(options.client.cache, event, latest.current.scheduleRange);
      if (outcome === 'added' || outcome === 'moved') latest.current.onChange(event, outcome);
    }
  }, [options.listLoaded, options.client]);
}
