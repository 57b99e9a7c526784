// "I will come" in Chromium: the patient confirms an appointment on their page; the desk's flow
// board and the doctor's schedule, open in their own contexts, show it as confirmed without a reload.
import { describe, expect, it } from 'vitest';
import { axeViolations, WAIT_MS } from './browser-harness';
import { gql, joinPractice, register } from './api';
import { usePracticeHarness } from './practice-harness';

describe('a patient confirms an appointment', () => {
  const harness = usePracticeHarness('Confirm Practice', 'admin@confirm.careline');
  const { openAs, live } = harness;

  it('shows "Confirmed" on the patient page, the flow board and the doctor schedule, live', async () => {
    const desk = await joinPractice(harness.server.url, harness.admin, harness.practiceId, 'STAFF', 'Desk Confirm');
    const doctor = await joinPractice(harness.server.url, harness.admin, harness.practiceId, 'DOCTOR', 'Dr. Confirm');
    const patient = await register(harness.server.url, 'PATIENT', `Pat Confirm ${Date.now().toString(36)}`);
    const startsAt = new Date(Math.ceil((Date.now() + 2 * 3_600_000) / 60_000) * 60_000).toISOString();
    const { bookAppointment } = await gql<{ bookAppointment: { id: string } }>(
      harness.server.url,
      'mutation ($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }',
      { input: { doctorId: doctor.id, startsAt } },
      patient.token,
    );
    const id = bookAppointment.id;

    const deskPage = await openAs(desk);
    const doctorPage = await openAs(doctor);
    await doctorPage.getByRole('heading', { name: "Today's schedule" }).waitFor({ timeout: WAIT_MS });
    for (const page of [deskPage, doctorPage]) await live(page);
    const card = deskPage.locator(`.flow-card[data-appointment-id="${id}"]`);
    const scheduled = doctorPage.locator(`li[data-appointment-id="${id}"]`).first();
    await card.waitFor({ timeout: WAIT_MS });
    await scheduled.waitFor({ timeout: WAIT_MS });
    expect(await card.getByText('Confirmed').count()).toBe(0);

    const patientPage = await openAs(patient);
    const mine = patientPage.locator(`[data-testid="upcoming-appointments"] li[data-appointment-id="${id}"]`);
    await mine.getByRole('button', { name: /^I will come/ }).click();
    await mine.getByTestId('confirmed-tag').waitFor({ timeout: WAIT_MS });
    expect(await mine.getByRole('button', { name: /^I will come/ }).count()).toBe(0);
    expect(await axeViolations(patientPage)).toEqual([]);

    await card.getByText('Confirmed').waitFor({ timeout: WAIT_MS });
    await scheduled.getByText('Confirmed').waitFor({ timeout: WAIT_MS });
    expect(await axeViolations(deskPage)).toEqual([]);
  });
});
