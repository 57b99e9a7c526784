// The dashboard's live feed: `patientAdded` over the session's graphql-ws socket, merged into the
// cache as events arrive, resumed after the last event on every reconnect.
import { useEffect, useRef } from 'react';
import type { ApolloClient } from '@apollo/client';
import type { Client } from 'graphql-ws';
import { subscribeResumable } from '../../live/resumable-subscription';
import { applyPatientAdded, type MergeOutcome, type PatientAddedEvent } from './patient-added';
import { DOCTOR_PATIENTS } from './patient-list.graphql';
import { PATIENT_ADDED } from './patient-added.graphql';

export interface PatientFeedOptions {
  readonly client: ApolloClient;
  readonly wsClient: Client;
  readonly doctorId: string;
  /** True once the first page of the list is in the cache: events that came earlier are applied then. */
  readonly listLoaded: boolean;
  /**
   * The list as the page reads it from the cache: when it changes (a refetch, say), the recent
   * events are applied again, because a refetch that read the server before an event was committed
   * can answer after the event was merged, and would put the list back as it was.
   */
  readonly list: unknown;
  /** Called for each event that changed the list (not for duplicates). */
  readonly onChange: (event: PatientAddedEvent, outcome: Exclude<MergeOutcome, 'duplicate' | 'not-loaded'>) => void;
  /** The subscription failed for good (FORBIDDEN, say): shown to the doctor. */
  readonly onError: (message: string) => void;
}

/** Subscribes once per doctor (see subscribeResumable for the resume on reconnect). */
export function usePatientFeed(options: PatientFeedOptions): void {
  const latest = useRef(options);
  latest.current = options;
  const pending = useRef<PatientAddedEvent[]>([]);
  const recent = useRef<PatientAddedEvent[]>([]);

  useEffect(() => {
    const { wsClient, client, doctorId } = latest.current;
    return subscribeResumable({
      wsClient,
      client,
      document: PATIENT_ADDED,
      variables: { doctorId },
      pick: (data) => data.patientAdded,
      refetch: [DOCTOR_PATIENTS],
      onError: (message) => latest.current.onError(message),
      onEvent: (event) => {
        recent.current = [...recent.current, event].slice(-RECENT_EVENTS);
        const outcome = applyPatientAdded(client.cache, event);
        // Before the list has loaded, keep the event for when it has; after, 'not-loaded' means the
        // event is not for this list at all.
        if (outcome === 'added' || outcome === 'moved') latest.current.onChange(event, outcome);
        else if (outcome === 'not-loaded' && !latest.current.listLoaded) pending.current.push(event);
      },
    });
  }, [options.wsClient, options.client, options.doctorId]);

  useEffect(() => {
    if (!options.listLoaded || pending.current.length === 0) return;
    const events = pending.current.splice(0);
    for (const event of events) {
      const outcome = applyPatientAdded(options.client.cache, event);
      if (outcome === 'added' || outcome === 'moved') latest.current.onChange(event, outcome);
    }
  }, [options.listLoaded, options.client]);

  // Applying an event twice changes nothing (a duplicate), so this only restores what a stale
  // answer undid, and says nothing new to the page (no onChange).
  useEffect(() => {
    if (!options.listLoaded) return;
    for (const event of recent.current) applyPatientAdded(options.client.cache, event);
  }, [options.list, options.listLoaded, options.client]);
}

/** How many of the last events are applied again after the list changes (a refetch answers within seconds). */
const RECENT_EVENTS = 50;
