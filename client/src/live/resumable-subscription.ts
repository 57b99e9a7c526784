// One subscription on the session's graphql-ws socket that resumes after its last event on every
// reconnect. Used by every live feed of the dashboard (patientAdded, appointmentUpdated,
// vitalsRecorded, myAppointmentUpdated): each keeps its OWN cursor, because the server's cursors are
// positions in one subscription's sequence and are valid only for that subscription.
import type { ApolloClient } from '@apollo/client';
import { addTypenameToDocument } from '@apollo/client/utilities';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode, type GraphQLFormattedError } from 'graphql';
import type { Client } from 'graphql-ws';

export interface ResumableOptions<TData, TVars, TEvent extends { cursor: string }> {
  readonly wsClient: Client;
  readonly client: ApolloClient;
  readonly document: TypedDocumentNode<TData, TVars>;
  /** Variables without `after`, which is added from the last event's cursor. */
  readonly variables: Omit<TVars, 'after'>;
  /** Picks the event out of a result (`data.appointmentUpdated`, ...). */
  readonly pick: (data: TData) => TEvent | null | undefined;
  readonly onEvent: (event: TEvent) => void;
  /** Queries to refetch when events may have been missed without a cursor to resume from. */
  readonly refetch: readonly DocumentNode[];
  /** The subscription failed for good (FORBIDDEN, say). */
  readonly onError: (message: string) => void;
}

/**
 * Subscribes and returns the function that stops it. graphql-ws re-sends the same subscribe payload
 * after every reconnect, and JSON.stringify reads `variables` at each send: a getter there makes
 * every resubscription carry `after: <last cursor>`, so the server replays exactly what was missed.
 */
export function subscribeResumable<TData, TVars, TEvent extends { cursor: string }>(
  options: ResumableOptions<TData, TVars, TEvent>,
): () => void {
  const { wsClient, client, variables, pick, onEvent, onError, refetch } = options;
  // __typename on every object, as Apollo's own links would add it: the cache needs it to normalize
  // what we write from the event.
  const query = print(addTypenameToDocument(options.document));
  let cursor: string | null = null;
  let stop: () => void = () => undefined;

  const start = () => {
    const payload = {
      query,
      get variables() {
        return { ...variables, after: cursor };
      },
    };
    stop = wsClient.subscribe<TData>(payload, {
      next: (result) => {
        const event = result.data ? pick(result.data as TData) : undefined;
        if (result.errors?.length || !event) return failed(result.errors ?? []);
        cursor = event.cursor;
        onEvent(event);
      },
      error: (error) => failed(Array.isArray(error) ? (error as GraphQLFormattedError[]) : []),
      complete: () => undefined,
    });
  };

  const failed = (errors: readonly GraphQLFormattedError[]) => {
    if (errors.some((error) => error.extensions?.['code'] === 'CURSOR_EXPIRED')) {
      // Missed more than the server keeps: reload, then follow live events from now.
      cursor = null;
      stop();
      void client.refetchQueries({ include: [...refetch] });
      start();
      return;
    }
    if (errors.length > 0) onError(errors[0]?.message ?? 'The live feed stopped.');
  };

  // Reconnected before any event arrived: there is no cursor to resume from, so changes made while
  // the socket was down are fetched with the queries instead.
  let connections = 0;
  const offConnected = wsClient.on('connected', () => {
    connections += 1;
    if (connections > 1 && cursor === null) void client.refetchQueries({ include: [...refetch] });
  });

  start();
  return () => {
    offConnected();
    stop();
  };
}
