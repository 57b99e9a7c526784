// A small, known history for the analytics page's browser test and its screenshot: three doctors of
// the harness's practice, two patients, and today's visits in every state the figures count (one
// completed after a check-in, one no-show, one cancelled late, one still booked), through the API
// as real use makes them. The two visits that must have started begin a few seconds from now.
import { expect } from 'vitest';
import { gql, joinPractice, register, type Account } from './api';
import type { PracticeHarness } from './practice-harness';

export interface History {
  readonly doctors: readonly Account[];
  readonly patients: readonly Account[];
  /** Books a visit and returns its id. */
  book(patient: Account, doctor: Account, startsAt: Date, durationMinutes?: number): Promise<string>;
}

const ALL_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startTime: '00:00', endTime: '24:00' }));

export async function seedHistory(harness: PracticeHarness): Promise<History> {
  const url = harness.server.url;
  const suffix = Date.now().toString(36);
  const doctors = [
    await joinPractice(url, harness.admin, harness.practiceId, 'DOCTOR', 'Dr. Ada Lowe'),
    await joinPractice(url, harness.admin, harness.practiceId, 'DOCTOR', 'Dr. Ben Ortiz'),
    await joinPractice(url, harness.admin, harness.practiceId, 'DOCTOR', 'Dr. Cleo Park'),
  ];
  // The third works all day every day: her utilization has working-hour minutes to divide by.
  await gql(
    url,
    'mutation ($d: ID!, $h: [WorkingHoursInput!]!) { setWorkingHours(doctorId: $d, hours: $h) { timeZone } }',
    { d: doctors[2]!.id, h: ALL_DAY },
    doctors[2]!.token,
  );
  const patients = [await register(url, 'PATIENT', `Nora Quinn ${suffix}`), await register(url, 'PATIENT', `Omar Reyes ${suffix}`)];
  const book = async (patient: Account, doctor: Account, startsAt: Date, durationMinutes = 30) =>
    (
      await gql<{ bookAppointment: { id: string } }>(
        url,
        'mutation ($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }',
        { input: { doctorId: doctor.id, startsAt: startsAt.toISOString(), durationMinutes } },
        patient.token,
      )
    ).bookAppointment.id;
  const act = (mutation: string, id: string, token: string) =>
    gql(url, `mutation ($id: ID!) { ${mutation}(id: $id) { id } }`, { id }, token);

  const soon = new Date(Date.now() + 8_000);
  const later = new Date(Math.ceil((Date.now() + 2 * 3_600_000) / 1_800_000) * 1_800_000);
  const completed = await book(patients[0]!, doctors[0]!, soon, 15);
  const missed = await book(patients[1]!, doctors[1]!, soon, 15);
  const cancelled = await book(patients[1]!, doctors[2]!, later);
  await book(patients[0]!, doctors[2]!, new Date(later.getTime() + 30 * 60_000));
  await act('checkInAppointment', completed, harness.admin.token);
  await act('cancelAppointment', cancelled, patients[1]!.token);
  await expect.poll(() => Date.now() > soon.getTime(), { timeout: 30_000, interval: 500 }).toBe(true);
  await act('completeAppointment', completed, doctors[0]!.token);
  await act('markNoShow', missed, harness.admin.token);
  return { doctors, patients, book };
}
