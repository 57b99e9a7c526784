// @vitest-environment happy-dom
// The booking form against a MockLink, no server: which way of choosing a time it offers.
import { createRoot, type Root } from 'react-dom/client';
import { ApolloClient } from '@apollo/client';
import { ApolloProvider } from '@apollo/client/react';
import { MockLink } from '@apollo/client/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCache } from '../../apollo';
import type { DoctorCardFragment } from '../../__generated__/graphql';
import { AVAILABLE_SLOTS, DOCTOR_AVAILABILITY } from './booking.graphql';
import { BookingForm } from './booking-form';

const withHours: DoctorCardFragment = {
  __typename: 'Doctor',
  id: 'd-hours',
  name: 'Dr. Hours',
  specialty: 'GP',
  timeZone: 'Europe/London',
  bookable: true,
};
const anyTime: DoctorCardFragment = {
  __typename: 'Doctor',
  id: 'd-any',
  name: 'Dr. Any',
  specialty: 'GP',
  timeZone: 'UTC',
  bookable: true,
};
// Two free times tomorrow (the form works from today's date).
const tomorrowAtNine = new Date(Date.now() + 86_400_000);
tomorrowAtNine.setUTCHours(9, 0, 0, 0);
const SLOTS = [tomorrowAtNine.toISOString(), new Date(tomorrowAtNine.getTime() + 30 * 60_000).toISOString()];

function availability(doctorId: string, hours: boolean) {
  return {
    request: { query: DOCTOR_AVAILABILITY, variables: { doctorId } },
    result: {
      data: {
        __typename: 'Query' as const,
        doctorAvailability: {
          __typename: 'DoctorAvailability' as const,
          timeZone: 'Europe/London',
          weeklyHours: hours ? [{ __typename: 'WorkingHours' as const, weekday: 4, startTime: '09:00', endTime: '17:00' }] : [],
        },
      },
    },
    maxUsageCount: Number.POSITIVE_INFINITY,
  };
}

describe('choosing a time in the booking form', () => {
  let container: HTMLDivElement;
  let root: Root;
  afterEach(() => {
    root.unmount();
    container.remove();
  });

  function render(doctors: DoctorCardFragment[]) {
    const link = new MockLink([
      availability(withHours.id, true),
      availability(anyTime.id, false),
      {
        request: { query: AVAILABLE_SLOTS, variables: () => true },
        result: { data: { __typename: 'Query', availableSlots: SLOTS } },
        maxUsageCount: Number.POSITIVE_INFINITY,
      },
    ]);
    container = document.createElement('div');
    document.body.append(container);
    root = createRoot(container);
    root.render(
      <ApolloProvider client={new ApolloClient({ link, cache: createCache() })}>
        <BookingForm doctors={doctors} />
      </ApolloProvider>,
    );
  }
  const slotValues = () => [...container.querySelectorAll<HTMLInputElement>('input[name="slot"]')].map((input) => input.value);
  const timeInput = () => container.querySelector('#booking-time');

  it('offers the free slots of a doctor with working hours, and no free-text time', async () => {
    render([withHours]);

    await vi.waitFor(() => expect(slotValues()).toEqual(SLOTS), { timeout: 2000 });
    expect(timeInput()).toBeNull();
  });

  it('goes back to the time field for a doctor without working hours', async () => {
    render([withHours, anyTime]);
    await vi.waitFor(() => expect(slotValues()).toEqual(SLOTS), { timeout: 2000 });

    container.querySelector<HTMLInputElement>(`input[name="doctor"][value="${anyTime.id}"]`)?.click();

    await vi.waitFor(() => expect(timeInput()).not.toBeNull(), { timeout: 2000 });
    expect(slotValues()).toEqual([]);
  });
});
