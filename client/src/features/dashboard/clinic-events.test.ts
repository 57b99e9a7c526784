// appointmentUpdated and vitalsRecorded merged into a real InMemoryCache with the app's type
// policies, no server: what the patient's row, the schedule and the vitals history show after each.
import { describe, expect, it } from 'vitest';
import { createCache } from '../../apollo';
import type { DoctorScheduleQuery, VitalsReadingFragment } from '../../__generated__/graphql';
import { applyAppointmentUpdated, applyVitalsRecorded, type AppointmentUpdatedEvent } from './clinic-events';
import { alice, aliceVisit, bobThenAlice, bobVisit, DOCTOR } from './patient-added.fixtures';
import { DOCTOR_PATIENTS, PAGE_SIZE } from './patient-list.graphql';
import { DOCTOR_SCHEDULE } from './schedule.graphql';
import { PATIENT_VITALS } from './patient-detail.graphql';

const DAY = { from: '2030-01-10T00:00:00.000Z', to: '2030-01-11T00:00:00.000Z' };
const NEXT_DAY = { from: '2030-01-11T00:00:00.000Z', to: '2030-01-12T00:00:00.000Z' };

/** Doctor A's list (Bob, Alice), the schedule of 10 Jan (Alice 09:00, Bob 10:00) and an empty 11 Jan. */
function cacheWithDay() {
  const cache = createCache();
  cache.writeQuery({ query: DOCTOR_PATIENTS, variables: { doctorId: DOCTOR, first: PAGE_SIZE }, data: bobThenAlice() });
  const schedule = (items: DoctorScheduleQuery['doctorSchedule']): DoctorScheduleQuery => ({ __typename: 'Query', doctorSchedule: items });
  cache.writeQuery({ query: DOCTOR_SCHEDULE, variables: { doctorId: DOCTOR, ...DAY }, data: schedule([aliceVisit, bobVisit]) });
  cache.writeQuery({ query: DOCTOR_SCHEDULE, variables: { doctorId: DOCTOR, ...NEXT_DAY }, data: schedule([]) });
  return cache;
}

type Changes = Partial<Pick<AppointmentUpdatedEvent['appointment'], 'status' | 'startsAt' | 'endsAt' | 'cancellationReason'>>;

function updated(change: AppointmentUpdatedEvent['change'], appointment: typeof aliceVisit, extra: Changes = {}): AppointmentUpdatedEvent {
  return {
    __typename: 'AppointmentUpdatedEvent',
    cursor: 'c-1',
    change,
    appointment: { cancellationReason: null, ...appointment, ...extra },
  };
}

function scheduleOf(cache: ReturnType<typeof createCache>, range: { from: string; to: string }) {
  return cache
    .readQuery({ query: DOCTOR_SCHEDULE, variables: { doctorId: DOCTOR, ...range } })
    ?.doctorSchedule.map((item) => `${item.patient.name} ${item.startsAt.slice(11, 16)} ${item.status}`);
}

function aliceRow(cache: ReturnType<typeof createCache>) {
  const data = cache.readQuery({ query: DOCTOR_PATIENTS, variables: { doctorId: DOCTOR, first: PAGE_SIZE } });
  return data?.doctorPatients.edges.find((edge) => edge.node.id === alice.id)?.node;
}

describe('merging appointmentUpdated into the cache', () => {
  it('marks a cancelled appointment in the row and in the schedule, in place', () => {
    const cache = cacheWithDay();

    applyAppointmentUpdated(cache, DOCTOR, updated('CANCELLED', aliceVisit, { status: 'CANCELLED', cancellationReason: 'Travelling' }));

    expect(aliceRow(cache)?.appointments.map((a) => a.status)).toEqual(['CANCELLED']);
    expect(scheduleOf(cache, DAY)).toEqual(['Alice Martin 09:00 CANCELLED', 'Bob Nguyen 10:00 BOOKED']);
  });

  it('moves a rescheduled appointment within the day, keeping the schedule in time order', () => {
    const cache = cacheWithDay();
    const later = { startsAt: '2030-01-10T11:00:00.000Z', endsAt: '2030-01-10T11:30:00.000Z' };

    applyAppointmentUpdated(cache, DOCTOR, updated('RESCHEDULED', aliceVisit, later));

    expect(aliceRow(cache)?.appointments[0]?.startsAt).toBe(later.startsAt);
    expect(scheduleOf(cache, DAY)).toEqual(['Bob Nguyen 10:00 BOOKED', 'Alice Martin 11:00 BOOKED']);
  });

  it('moves an appointment rescheduled to another day from that day to the other', () => {
    const cache = cacheWithDay();
    const nextDay = { startsAt: '2030-01-11T08:00:00.000Z', endsAt: '2030-01-11T08:30:00.000Z' };

    applyAppointmentUpdated(cache, DOCTOR, updated('RESCHEDULED', aliceVisit, nextDay));

    expect(scheduleOf(cache, DAY)).toEqual(['Bob Nguyen 10:00 BOOKED']);
    expect(scheduleOf(cache, NEXT_DAY)).toEqual(['Alice Martin 08:00 BOOKED']);
  });

  it('applies a replayed event twice without duplicating it', () => {
    const cache = cacheWithDay();
    const event = updated('CANCELLED', bobVisit, { status: 'CANCELLED' });

    applyAppointmentUpdated(cache, DOCTOR, event);
    applyAppointmentUpdated(cache, DOCTOR, event);

    expect(scheduleOf(cache, DAY)).toEqual(['Alice Martin 09:00 BOOKED', 'Bob Nguyen 10:00 CANCELLED']);
  });

  it("leaves another doctor's cached schedule alone", () => {
    const cache = cacheWithDay();
    cache.writeQuery({
      query: DOCTOR_SCHEDULE,
      variables: { doctorId: 'doctor-b', ...NEXT_DAY },
      data: { __typename: 'Query', doctorSchedule: [] },
    });

    applyAppointmentUpdated(
      cache,
      DOCTOR,
      updated('RESCHEDULED', aliceVisit, { startsAt: '2030-01-11T08:00:00.000Z', endsAt: '2030-01-11T08:30:00.000Z' }),
    );

    expect(cache.readQuery({ query: DOCTOR_SCHEDULE, variables: { doctorId: 'doctor-b', ...NEXT_DAY } })?.doctorSchedule).toEqual([]);
  });
});

describe('merging vitalsRecorded into the cache', () => {
  const reading = (id: string, recordedAt: string, heartRate: number): VitalsReadingFragment => ({
    __typename: 'Vitals',
    id,
    recordedAt,
    heartRate,
    systolic: 120,
    diastolic: 80,
    temperatureC: 36.8,
    spo2Percent: 98,
    respiratoryRate: null,
    weightKg: null,
  });
  const recorded = (vitals: VitalsReadingFragment) => ({
    patient: { __typename: 'Patient' as const, id: alice.id, latestVitals: vitals },
    vitals,
  });

  it("shows the new reading as the patient's latest vitals on their row", () => {
    const cache = cacheWithDay();

    applyVitalsRecorded(cache, recorded(reading('v-1', '2030-01-10T09:10:00.000Z', 72)));

    expect(aliceRow(cache)?.latestVitals).toMatchObject({ id: 'v-1', heartRate: 72, systolic: 120 });
  });

  it('puts the reading first in an open vitals history, once', () => {
    const cache = cacheWithDay();
    cache.writeQuery({
      query: PATIENT_VITALS,
      variables: { patientId: alice.id },
      data: { __typename: 'Query', patientVitals: [reading('v-0', '2030-01-01T09:00:00.000Z', 80)] },
    });
    const event = recorded(reading('v-1', '2030-01-10T09:10:00.000Z', 72));

    applyVitalsRecorded(cache, event);
    applyVitalsRecorded(cache, event);

    expect(cache.readQuery({ query: PATIENT_VITALS, variables: { patientId: alice.id } })?.patientVitals.map((v) => v.id)).toEqual([
      'v-1',
      'v-0',
    ]);
  });
});
