// Two front desks, a doctor and a patient, each in their own Chromium context against one real
// server: after every change (a booking, a check-in by the other desk, the patient's cancellation,
// the doctor's completion) each desk's board shows every card in the right column, and its live
// counters of today (practiceToday) move with it, without a reload.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations, WAIT_MS } from './browser-harness';
import { gql, joinPractice, register } from './api';
import { usePracticeHarness } from './practice-harness';

const ADMIN_EMAIL = 'admin@live-board.careline';
const COLUMNS = ['Booked', 'Checked in', 'Completed', 'No-show'] as const;
type Column = (typeof COLUMNS)[number];

describe('the flow board follows every change, whoever makes it', () => {
  // The practice's "today" (and the browsers') has hours left whatever the clock says.
  const harness = usePracticeHarness('Live Board Practice', ADMIN_EMAIL);
  const { openAs, live } = harness;

  /** The column the card is in on this desk's board, or null when it is not on the board. */
  async function columnOf(desk: Page, appointmentId: string): Promise<Column | null> {
    for (const column of COLUMNS)
      if ((await desk.getByRole('region', { name: column }).locator(`[data-appointment-id="${appointmentId}"]`).count()) > 0) return column;
    return null;
  }

  async function expectColumns(desks: Page[], expected: Record<string, Column | null>) {
    for (const desk of desks)
      for (const [id, column] of Object.entries(expected)) await expect.poll(() => columnOf(desk, id), { timeout: WAIT_MS }).toBe(column);
  }

  it('moves each card on both desks after a booking, the other desk’s check-in, the patient’s cancellation and the doctor’s completion', async () => {
    const first = await joinPractice(harness.server.url, harness.admin, harness.practiceId, 'STAFF', 'Desk One');
    const second = await joinPractice(harness.server.url, harness.admin, harness.practiceId, 'STAFF', 'Desk Two');
    const doctor = await joinPractice(harness.server.url, harness.admin, harness.practiceId, 'DOCTOR', 'Dr. Four Views');
    const patient = await register(harness.server.url, 'PATIENT', `Pat Four ${Date.now().toString(36)}`);

    const desk1 = await openAs(first);
    const desk2 = await openAs(second);
    const doctorPage = await openAs(doctor);
    await doctorPage.getByRole('heading', { name: "Today's schedule" }).waitFor({ timeout: WAIT_MS });
    for (const page of [desk1, desk2, doctorPage]) await live(page);
    // The first desk's counters of today, by status: each step below moves them by its own change.
    const counter = async (key: string) =>
      Number(await desk1.getByTestId('today-board').locator(`[data-today="${key}"] .kpi__value`).textContent({ timeout: WAIT_MS }));
    const counters = async () => ({
      booked: await counter('booked'),
      checkedIn: await counter('checkedIn'),
      completed: await counter('completed'),
      cancelled: await counter('cancelled'),
    });
    const start = await counters();
    const expectCounters = (moved: Partial<typeof start>) => expect.poll(counters, { timeout: WAIT_MS }).toEqual({ ...start, ...moved });

    // 1. Two bookings by the patient: one starting in a few seconds (so the doctor can complete it
    //    later in this test), one later today.
    const book = async (startsAt: Date, reason: string) =>
      (
        await gql<{ bookAppointment: { id: string; startsAt: string } }>(
          harness.server.url,
          'mutation ($input: BookAppointmentInput!) { bookAppointment(input: $input) { id startsAt } }',
          { input: { doctorId: doctor.id, startsAt: startsAt.toISOString(), reason } },
          patient.token,
        )
      ).bookAppointment;
    const soon = await book(new Date(Date.now() + 20_000), 'Check-up');
    const later = await book(new Date(Math.ceil((Date.now() + 2 * 3_600_000) / 60_000) * 60_000), 'Follow-up');
    await expectColumns([desk1, desk2], { [soon.id]: 'Booked', [later.id]: 'Booked' });
    await expectCounters({ booked: start.booked + 2 });

    const patientPage = await openAs(patient);
    const patientLater = patientPage.locator(`[data-testid="upcoming-appointments"] li[data-appointment-id="${later.id}"]`);
    await patientLater.waitFor({ timeout: WAIT_MS });
    await live(desk1);

    // 2. The second desk checks in the first visit: the first desk moves it, and offers no check-in.
    await desk2
      .locator(`.flow-card[data-appointment-id="${soon.id}"]`)
      .getByRole('button', { name: /^Check in/ })
      .click();
    await expectColumns([desk1, desk2], { [soon.id]: 'Checked in', [later.id]: 'Booked' });
    await expectCounters({ booked: start.booked + 1, checkedIn: start.checkedIn + 1 });
    expect(
      await desk1
        .locator(`.flow-card[data-appointment-id="${soon.id}"]`)
        .getByRole('button', { name: /^Check in/ })
        .count(),
    ).toBe(0);

    // 3. The patient cancels the later visit in their own page: it leaves both boards.
    await patientLater.getByRole('button', { name: /^Cancel the appointment/ }).click();
    await patientLater.getByRole('button', { name: 'Yes, cancel it' }).click();
    await expectColumns([desk1, desk2], { [soon.id]: 'Checked in', [later.id]: null });
    await expectCounters({ booked: start.booked, checkedIn: start.checkedIn + 1, cancelled: start.cancelled + 1 });

    // 4. Once the first visit has started, the doctor completes it from the schedule.
    await expect.poll(() => Date.now() > Date.parse(soon.startsAt), { timeout: 30_000, interval: 500 }).toBe(true);
    await doctorPage.reload();
    const row = doctorPage.locator(`.schedule li[data-appointment-id="${soon.id}"]`);
    await row.getByRole('button', { name: /completed$/ }).click({ timeout: WAIT_MS });
    await expectColumns([desk1, desk2], { [soon.id]: 'Completed', [later.id]: null });
    await expectCounters({ booked: start.booked, completed: start.completed + 1, cancelled: start.cancelled + 1 });
    await expect.poll(() => row.getAttribute('data-status'), { timeout: WAIT_MS }).toBe('COMPLETED');
  });

  it('undoes a check-in within its window: the card goes back to Booked on the other desk too, after showing its arrival', async () => {
    const first = await joinPractice(harness.server.url, harness.admin, harness.practiceId, 'STAFF', 'Desk Undo One');
    const second = await joinPractice(harness.server.url, harness.admin, harness.practiceId, 'STAFF', 'Desk Undo Two');
    const doctor = await joinPractice(harness.server.url, harness.admin, harness.practiceId, 'DOCTOR', 'Dr. Undo');
    const patient = await register(harness.server.url, 'PATIENT', `Una Undo ${Date.now().toString(36)}`);
    const startsAt = new Date(Math.ceil((Date.now() + 2 * 3_600_000) / 60_000) * 60_000);
    const { bookAppointment: booked } = await gql<{ bookAppointment: { id: string } }>(
      harness.server.url,
      'mutation ($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }',
      { input: { doctorId: doctor.id, startsAt: startsAt.toISOString() } },
      patient.token,
    );
    const desk1 = await openAs(first);
    const desk2 = await openAs(second);
    for (const page of [desk1, desk2]) await live(page);
    await expectColumns([desk1, desk2], { [booked.id]: 'Booked' });

    const card = (desk: Page) => desk.locator(`.flow-card[data-appointment-id="${booked.id}"]`);
    await card(desk1)
      .getByRole('button', { name: /^Check in/ })
      .click();
    await expectColumns([desk1, desk2], { [booked.id]: 'Checked in' });
    // Both desks show when the patient arrived and how long they have waited.
    for (const desk of [desk1, desk2])
      expect(await card(desk).getByTestId('arrival').textContent({ timeout: WAIT_MS })).toMatch(/^arrived .+ · waiting \d+ min$/);
    // The board in this state (arrival, waiting time, Undo) meets WCAG 2.1 AA too.
    expect(await axeViolations(desk1)).toEqual([]);

    await card(desk1)
      .getByRole('button', { name: /^Undo the check-in/ })
      .click();
    await expectColumns([desk1, desk2], { [booked.id]: 'Booked' });
    expect(await card(desk2).getByTestId('arrival').count()).toBe(0);
    await card(desk2)
      .getByRole('button', { name: /^Check in/ })
      .waitFor({ timeout: WAIT_MS });
  });

  it('reschedules from the patient’s page and from the desk, each move showing live on the desk, the doctor’s schedule and the patient’s list', async () => {
    const staff = await joinPractice(harness.server.url, harness.admin, harness.practiceId, 'STAFF', 'Desk Mover');
    const doctor = await joinPractice(harness.server.url, harness.admin, harness.practiceId, 'DOCTOR', 'Dr. Reschedule');
    const allDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startTime: '00:00', endTime: '24:00' }));
    await gql(
      harness.server.url,
      'mutation ($d: ID!, $h: [WorkingHoursInput!]!) { setWorkingHours(doctorId: $d, hours: $h) { timeZone } }',
      { d: doctor.id, h: allDay },
      doctor.token,
    );
    const patient = await register(harness.server.url, 'PATIENT', `Rita Move ${Date.now().toString(36)}`);
    const startsAt = new Date(Math.ceil((Date.now() + 2 * 3_600_000) / 1_800_000) * 1_800_000);
    const { bookAppointment: booked } = await gql<{ bookAppointment: { id: string } }>(
      harness.server.url,
      'mutation ($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }',
      { input: { doctorId: doctor.id, startsAt: startsAt.toISOString() } },
      patient.token,
    );
    const startOf = async () =>
      (
        await gql<{ me: { patient: { appointments: Array<{ id: string; startsAt: string }> } } }>(
          harness.server.url,
          '{ me { patient { appointments { id startsAt } } } }',
          {},
          patient.token,
        )
      ).me.patient.appointments.find((a) => a.id === booked.id)?.startsAt;

    const desk = await openAs(staff);
    const doctorPage = await openAs(doctor);
    await doctorPage.getByRole('heading', { name: "Today's schedule" }).waitFor({ timeout: WAIT_MS });
    for (const page of [desk, doctorPage]) await live(page);
    await expectColumns([desk], { [booked.id]: 'Booked' });
    const patientPage = await openAs(patient);
    const mine = patientPage.locator(`[data-testid="upcoming-appointments"] li[data-appointment-id="${booked.id}"]`);
    await mine.waitFor({ timeout: WAIT_MS });

    // The patient moves it to the last free time of the day.
    await mine.getByRole('button', { name: /^Reschedule/ }).click();
    const form = patientPage.getByRole('form', { name: /^Reschedule/ });
    await form.getByRole('radio').last().check({ timeout: WAIT_MS });
    await form.getByRole('button', { name: 'Move it' }).click();
    await expect.poll(async () => (await startOf()) !== startsAt.toISOString(), { timeout: WAIT_MS }).toBe(true);
    const moved = (await startOf())!;
    const cardTime = desk.locator(`.flow-card[data-appointment-id="${booked.id}"] time`);
    await expect.poll(() => cardTime.getAttribute('datetime'), { timeout: WAIT_MS }).toBe(moved);
    const rowTime = doctorPage.locator(`.schedule li[data-appointment-id="${booked.id}"] time`).first();
    await expect.poll(() => rowTime.getAttribute('datetime'), { timeout: WAIT_MS }).toBe(moved);
    await expect.poll(() => mine.locator('time').first().getAttribute('datetime'), { timeout: WAIT_MS }).toBe(moved);

    // The desk moves it to tomorrow: it leaves today's board and the doctor's today.
    await desk
      .locator(`.flow-card[data-appointment-id="${booked.id}"]`)
      .getByRole('button', { name: /^Reschedule/ })
      .click();
    const deskForm = desk.getByRole('form', { name: /^Reschedule/ });
    const tomorrow = await desk.evaluate(() => {
      const day = new Date(Date.now() + 86_400_000);
      return `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
    });
    await deskForm.getByLabel('New date').fill(tomorrow);
    await deskForm.getByRole('radio').nth(20).check({ timeout: WAIT_MS });
    await deskForm.getByRole('button', { name: 'Move it' }).click();
    await expectColumns([desk], { [booked.id]: null });
    await expect.poll(() => doctorPage.locator(`.schedule li[data-appointment-id="${booked.id}"]`).count(), { timeout: WAIT_MS }).toBe(0);
    await expect
      .poll(async () => (await startOf())?.slice(0, 10) !== moved.slice(0, 10) || (await startOf()) !== moved, { timeout: WAIT_MS })
      .toBe(true);
    await expect.poll(() => mine.locator('time').first().getAttribute('datetime'), { timeout: WAIT_MS }).toBe(await startOf());
  });
});
