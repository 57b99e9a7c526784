// @vitest-environment happy-dom
// The dashboard component with live events and no server: the list comes from a MockLink, the
// events from a stand-in for the graphql-ws client. What the doctor sees after each kind of event.
import { createRoot, type Root } from 'react-dom/client';
import { ApolloClient } from '@apollo/client';
import { ApolloProvider } from '@apollo/client/react';
import { MockLink } from '@apollo/client/testing';
import type { Client, Sink } from 'graphql-ws';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCache } from '../../apollo';
import type { PatientAddedSubscription } from '../../__generated__/graphql';
import { DashboardPage } from './dashboard-page';
import { alice, aliceVisit, appointment, bobThenAlice, carmen, DOCTOR, event } from './patient-added.fixtures';
import { DOCTOR_PATIENTS, PAGE_SIZE } from './patient-list.graphql';
import { DOCTOR_SCHEDULE } from './schedule.graphql';

// The fixtures are dated January 2030: the dashboard reads the clock (which appointment is next),
// so the tests give it one, set to the morning of 2030-01-01 (only Date is faked; timers are real).
const NOW = new Date('2030-01-01T08:00:00.000Z');

// No act(): Apollo delivers cache changes to components on its own schedule, so the tests let
// React render as in a browser and wait (bounded) for the screen to match.

/** Stands in for graphql-ws's Client: records the dashboard's subscription and lets the test push events. */
function fakeSocket() {
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  // One sink per subscription the dashboard opens (patientAdded, appointmentUpdated, vitalsRecorded).
  const sinks = new Map<string, Sink<{ data: unknown }>>();
  const payloads = new Map<string, { variables: Record<string, unknown> }>();
  const client = {
    on: (name: string, listener: (...args: unknown[]) => void) => {
      const set = listeners.get(name) ?? new Set();
      set.add(listener);
      listeners.set(name, set);
      return () => set.delete(listener);
    },
    subscribe: (payload: { query: string; variables: Record<string, unknown> }, next: Sink<{ data: unknown }>) => {
      const name = /subscription (\w+)/.exec(payload.query)?.[1] ?? '';
      sinks.set(name, next);
      payloads.set(name, payload);
      return () => sinks.delete(name);
    },
    iterate: () => {
      throw new Error('not used');
    },
    dispose: () => undefined,
    terminate: () => undefined,
  };
  return {
    client: client as unknown as Client,
    emit: (name: string) => listeners.get(name)?.forEach((listener) => listener()),
    push: (data: PatientAddedSubscription['patientAdded']) =>
      sinks.get('PatientAdded')?.next({ data: { __typename: 'Subscription', patientAdded: data } }),
    pushTo: (name: string, data: unknown) => sinks.get(name)?.next({ data }),
    /** The variables graphql-ws would send now, on a resubscription after a reconnect. */
    resumeVariables: (name: string) => JSON.parse(JSON.stringify(payloads.get(name)?.variables)) as Record<string, unknown>,
  };
}

/** The list as a refetch reads it from the server before the test's booking was committed (Alice has moved up since). */
function staleList() {
  const list = bobThenAlice();
  return { ...list, doctorPatients: { ...list.doctorPatients, edges: [...list.doctorPatients.edges].reverse() } };
}

function apolloWithList() {
  const link = new MockLink([
    {
      request: { query: DOCTOR_PATIENTS, variables: { doctorId: DOCTOR, first: PAGE_SIZE } },
      result: { data: bobThenAlice() },
    },
    {
      request: { query: DOCTOR_PATIENTS, variables: { doctorId: DOCTOR, first: PAGE_SIZE } },
      result: { data: staleList() },
      delay: 50,
    },
    {
      request: { query: DOCTOR_SCHEDULE, variables: () => true },
      result: { data: { __typename: 'Query', doctorSchedule: [] } },
      maxUsageCount: Number.POSITIVE_INFINITY,
    },
  ]);
  return new ApolloClient({ link, cache: createCache() });
}

describe('the dashboard merging live bookings', () => {
  let container: HTMLDivElement;
  let root: Root;
  let socket: ReturnType<typeof fakeSocket>;

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    container = document.createElement('div');
    document.body.append(container);
    socket = fakeSocket();
    root = createRoot(container);
    root.render(
      <ApolloProvider client={apolloWithList()}>
        <DashboardPage
          session={{ token: 't', userId: DOCTOR, role: 'DOCTOR', name: 'Dr. A', admin: false, mfaPending: false }}
          wsClient={socket.client}
        />
      </ApolloProvider>,
    );
    await vi.waitFor(() => expect(rows()).toEqual(['Bob Nguyen', 'Alice Martin']));
  });
  afterEach(() => {
    root.unmount();
    container.remove();
    vi.useRealTimers();
  });

  const rows = () => [...container.querySelectorAll('tbody tr .patient-name')].map((cell) => cell.textContent);
  const badge = () => container.querySelector('.badge__count')?.textContent;
  const push = async (data: PatientAddedSubscription['patientAdded']) => socket.push(data);
  const eventually = (assertion: () => void) => vi.waitFor(assertion, { timeout: 2000 });
  // An event after the one under test: once it shows, every earlier event has been handled too.
  const dan = { id: 'p-dan', name: 'Dan Brown' };
  const sentinel = (seq: number) => event(seq, DOCTOR, dan, appointment(`a-dan-${seq}`, '2030-02-01T09:00:00.000Z', 'Later', dan), true);

  it('adds a new patient at the top, highlighted, and counts them on the badge and in the title', async () => {
    await push(event(1, DOCTOR, carmen, appointment('a-3', '2030-01-11T09:00:00.000Z', 'New', carmen), true));

    await eventually(() => expect(rows()).toEqual(['Carmen Ruiz', 'Bob Nguyen', 'Alice Martin']));
    expect(container.querySelector('tbody tr')?.className).toBe('is-new');
    expect(badge()).toBe('1');
    expect(document.title).toBe('(1) Dashboard · CareLine');
    expect(container.textContent).toContain('3 in total');
  });

  // Regression: after a reconnect, the feeds without a cursor refetch the list; an answer read
  // before a booking was committed, landing after its event was merged, put the list back without it.
  it('keeps a live booking when a refetch answers with the list from before it', async () => {
    socket.emit('connected');
    await push(event(1, DOCTOR, carmen, appointment('a-3', '2030-01-11T09:00:00.000Z', 'New', carmen), true));
    await eventually(() => expect(rows()).toEqual(['Carmen Ruiz', 'Bob Nguyen', 'Alice Martin']));

    socket.emit('connected');
    await eventually(() => expect(rows()).toEqual(['Carmen Ruiz', 'Alice Martin', 'Bob Nguyen']));
    expect(badge()).toBe('1');
  });

  it('moves a known patient up without adding a row', async () => {
    await push(event(1, DOCTOR, alice, appointment('a-4', '2030-01-09T09:00:00.000Z', 'Follow-up', alice), false, [aliceVisit]));

    await eventually(() => expect(rows()).toEqual(['Alice Martin', 'Bob Nguyen']));
    expect(badge()).toBe('1');
    expect(container.textContent).toContain('2 in total');
  });

  it('counts a duplicate event once', async () => {
    const booked = event(1, DOCTOR, carmen, appointment('a-3', '2030-01-11T09:00:00.000Z', 'New', carmen), true);
    await push(booked);
    await push(booked);
    await push(sentinel(2));

    await eventually(() => expect(rows()).toEqual(['Dan Brown', 'Carmen Ruiz', 'Bob Nguyen', 'Alice Martin']));
    expect(badge()).toBe('2');
  });

  it("ignores an event for another doctor's list", async () => {
    await push(event(1, 'doctor-b', carmen, appointment('a-5', '2030-01-11T09:00:00.000Z', 'Elsewhere', carmen), true));
    await push(sentinel(2));

    await eventually(() => expect(rows()).toEqual(['Dan Brown', 'Bob Nguyen', 'Alice Martin']));
    expect(badge()).toBe('1');
  });

  it('shows the connection state from the socket events and resets the badge when clicked', async () => {
    const state = () => container.querySelector('.connection')?.getAttribute('data-state');
    socket.emit('connected');
    await eventually(() => expect(state()).toBe('live'));
    socket.emit('closed');
    await eventually(() => expect(state()).toBe('reconnecting'));

    await push(event(1, DOCTOR, carmen, appointment('a-3', '2030-01-11T09:00:00.000Z', 'New', carmen), true));
    await eventually(() => expect(badge()).toBe('1'));
    (container.querySelector('.badge') as HTMLButtonElement).click();
    await eventually(() => expect(badge()).toBe('0'));
    expect(document.title).toBe('Dashboard · CareLine');
  });

  it("updates a cancelled appointment in place: the row's next appointment follows", async () => {
    const nextCell = () => container.querySelector(`tr[data-patient-id="${alice.id}"] td[data-label="Next appointment"]`)?.textContent;
    await eventually(() => expect(nextCell()).not.toBe('None upcoming'));

    socket.pushTo('AppointmentUpdated', {
      __typename: 'Subscription',
      appointmentUpdated: {
        __typename: 'AppointmentUpdatedEvent',
        cursor: 'c-7',
        change: 'CANCELLED',
        appointment: { ...aliceVisit, status: 'CANCELLED', cancellationReason: 'Travelling' },
      },
    });

    await eventually(() => expect(nextCell()).toBe('None upcoming'));
    expect(rows()).toEqual(['Bob Nguyen', 'Alice Martin']);
  });

  it("shows recorded vitals on the patient's row", async () => {
    const vitals = {
      __typename: 'Vitals',
      id: 'v-1',
      recordedAt: '2030-01-10T09:10:00.000Z',
      heartRate: 72,
      systolic: 128,
      diastolic: 82,
      temperatureC: 36.8,
      spo2Percent: 98,
      respiratoryRate: null,
      weightKg: null,
    };
    socket.pushTo('VitalsRecorded', {
      __typename: 'Subscription',
      vitalsRecorded: {
        __typename: 'VitalsRecordedEvent',
        cursor: 'c-8',
        patient: { __typename: 'Patient', id: alice.id, latestVitals: vitals },
        vitals,
      },
    });

    const vitalsCell = () => container.querySelector(`tr[data-patient-id="${alice.id}"] td[data-label="Latest vitals"]`)?.textContent;
    await eventually(() => expect(vitalsCell()).toContain('HR 72'));
    expect(vitalsCell()).toContain('BP 128/82');
  });

  it('resumes each subscription from its own last cursor', async () => {
    await push(event(3, DOCTOR, carmen, appointment('a-3', '2030-01-11T09:00:00.000Z', 'New', carmen), true));
    socket.pushTo('AppointmentUpdated', {
      __typename: 'Subscription',
      appointmentUpdated: {
        __typename: 'AppointmentUpdatedEvent',
        cursor: 'cursor-9',
        change: 'CANCELLED',
        appointment: { ...aliceVisit, status: 'CANCELLED', cancellationReason: null },
      },
    });

    await eventually(() => expect(socket.resumeVariables('AppointmentUpdated')).toEqual({ doctorId: DOCTOR, after: 'cursor-9' }));
    expect(socket.resumeVariables('PatientAdded')).toEqual({ doctorId: DOCTOR, after: 'cursor-3' });
    expect(socket.resumeVariables('VitalsRecorded')).toEqual({ doctorId: DOCTOR, after: null });
  });
});
