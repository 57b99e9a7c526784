// The doctor's other live feeds: appointment changes and new vitals, each its own subscription with
// its own cursor (cursors are per subscription), merged into the cache as they arrive.
import { useEffect, useRef } from 'react';
import type { ApolloClient } from '@apollo/client';
import type { Client } from 'graphql-ws';
import { subscribeResumable } from '../../live/resumable-subscription';
import { applyAppointmentUpdated, applyVitalsRecorded } from './clinic-events';
import { APPOINTMENT_UPDATED, VITALS_RECORDED } from './clinic-events.graphql';
import { PATIENT_RECORDS, PATIENT_VITALS } from './patient-detail.graphql';
import { DOCTOR_PATIENTS } from './patient-list.graphql';
import { DOCTOR_SCHEDULE } from './schedule.graphql';

export interface ClinicFeedOptions {
  readonly client: ApolloClient;
  readonly wsClient: Client;
  readonly doctorId: string;
  readonly onError: (message: string) => void;
}

export function useClinicFeed(options: ClinicFeedOptions): void {
  const onError = useRef(options.onError);
  onError.current = options.onError;
  const { client, wsClient, doctorId } = options;

  useEffect(() => {
    const common = { client, wsClient, variables: { doctorId }, onError: (message: string) => onError.current(message) };
    const stopAppointments = subscribeResumable({
      ...common,
      document: APPOINTMENT_UPDATED,
      pick: (data) => data.appointmentUpdated,
      refetch: [DOCTOR_PATIENTS, DOCTOR_SCHEDULE],
      onEvent: (event) => applyAppointmentUpdated(client.cache, doctorId, event),
    });
    const stopVitals = subscribeResumable({
      ...common,
      document: VITALS_RECORDED,
      pick: (data) => data.vitalsRecorded,
      refetch: [DOCTOR_PATIENTS, PATIENT_VITALS, PATIENT_RECORDS],
      onEvent: (event) => applyVitalsRecorded(client.cache, event),
    });
    return () => {
      stopAppointments();
      stopVitals();
    };
  }, [client, wsClient, doctorId]);
}
