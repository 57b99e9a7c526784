// The whole product in real Chromium against a real server: a doctor watches the dashboard while a
// patient books in another browser context; the row arrives live, double clicks book once, a taken
// slot is explained, and the dashboard survives a server restart. Each case makes its own doctor,
// patients and bookings, so any one of them runs alone (`-t`) or in any order.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { appointmentsOf, gql, PASSWORD, register, type Account } from './api';
import { bookingDay, RESULTS_DIR, useBrowserHarness, WAIT_MS } from './browser-harness';

/** A restart takes the dashboard's reconnect backoff (up to 15 s plus jitter) to come back. */
const RECONNECT_WAIT_MS = 45_000;

const dateInput = (day: Date) =>
  `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;

describe('the doctor dashboard and patient booking in Chromium', () => {
  const harness = useBrowserHarness();
  const { newContext, watchConsole } = harness;
  let doctor: Account;
  let patient: Account;
  const day = bookingDay();

  async function signIn(account: Account, watch: (page: Page) => void = () => undefined): Promise<Page> {
    const page = await (await newContext()).newPage();
    watch(page);
    watchConsole(page);
    await page.goto(harness.server.url);
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    return page;
  }

  /**
   * The doctor's dashboard, live. `subscribedAfter` collects the `after` variable of each patientAdded
   * subscribe message it sends, in order (not the other feeds', which have their own cursors).
   */
  async function openDashboard(account: Account): Promise<{ page: Page; subscribedAfter: Array<string | null> }> {
    const subscribedAfter: Array<string | null> = [];
    const page = await signIn(account, (page) =>
      page.on('websocket', (socket) => {
        socket.on('framesent', ({ payload }) => {
          const message = JSON.parse(String(payload)) as {
            type: string;
            payload?: { query?: string; variables?: { after?: string | null } };
          };
          if (message.type === 'subscribe' && /^\s*subscription PatientAdded\b/.test(message.payload?.query ?? '')) {
            subscribedAfter.push(message.payload?.variables?.after ?? null);
          }
        });
      }),
    );
    await expect.poll(() => indicator(page).getAttribute('data-state'), { timeout: WAIT_MS }).toBe('live');
    return { page, subscribedAfter };
  }

  async function openBooking(account: Account): Promise<Page> {
    const page = await signIn(account);
    await page.getByRole('heading', { name: 'Book an appointment' }).waitFor({ timeout: WAIT_MS });
    return page;
  }

  async function fillBooking(page: Page, values: { doctor: string; time: string; reason: string }) {
    await page.getByRole('radio', { name: new RegExp(values.doctor) }).check();
    await page.getByLabel('Date').fill(dateInput(day));
    await page.getByLabel('Time').fill(values.time);
    await page.getByLabel(/Reason/).fill(values.reason);
  }

  /** Books `HH:MM` local time on the test's day through the API, behind the UI's back. */
  async function bookViaApi(account: Account, time: string, reason: string): Promise<{ id: string; startsAt: string }> {
    const [hours, minutes] = time.split(':').map(Number);
    const startsAt = new Date(day.getFullYear(), day.getMonth(), day.getDate(), hours, minutes).toISOString();
    const data = await gql<{ bookAppointment: { id: string; startsAt: string } }>(
      harness.server.url,
      'mutation ($input: BookAppointmentInput!) { bookAppointment(input: $input) { id startsAt } }',
      { input: { doctorId: doctor.id, startsAt, reason } },
      account.token,
    );
    return data.bookAppointment;
  }

  const badgeCount = (page: Page) => page.getByTestId('new-bookings-badge').locator('.badge__count').textContent();
  const indicator = (page: Page) => page.locator('.connection');
  const patientRow = (page: Page, account: Account) => page.locator(`tr[data-patient-id="${account.id}"]`);

  beforeEach(async () => {
    // A doctor of this case only: the booking page lists every doctor, so the name is unique too.
    doctor = await register(harness.server.url, 'DOCTOR', `Dr. Ada Lovelace ${randomUUID().slice(0, 6)}`);
    patient = await register(harness.server.url, 'PATIENT', 'Grace Hopper');
  });

  it('shows a booking on the open dashboard without a reload, with the badge at 1', async () => {
    const { page: dashboard } = await openDashboard(doctor);
    await dashboard.getByText('No patients yet').waitFor({ timeout: WAIT_MS });

    const booking = await openBooking(patient);
    await fillBooking(booking, { doctor: doctor.name, time: '09:00', reason: 'Irregular heartbeat' });
    const clickedAt = performance.now();
    await booking.getByRole('button', { name: 'Book' }).click();
    await patientRow(dashboard, patient).waitFor({ timeout: WAIT_MS });
    const clickToRowMs = performance.now() - clickedAt;
    console.info(`booking click -> row on the dashboard: ${clickToRowMs.toFixed(0)} ms`);

    await expect.poll(() => badgeCount(dashboard), { timeout: WAIT_MS }).toBe('1');
    expect(await dashboard.title()).toMatch(/^\(1\)/);
    expect(await patientRow(dashboard, patient).textContent()).toContain('Irregular heartbeat');
    await booking.getByTestId('booking-confirmation').waitFor({ timeout: WAIT_MS });
    await booking.getByTestId('upcoming-appointments').getByText(doctor.name).waitFor({ timeout: WAIT_MS });
    await dashboard.screenshot({ path: path.join(RESULTS_DIR, 'dashboard.png'), fullPage: true });
    await booking.screenshot({ path: path.join(RESULTS_DIR, 'booking.png'), fullPage: true });
    await dashboard.setViewportSize({ width: 390, height: 844 });
    await dashboard.screenshot({ path: path.join(RESULTS_DIR, 'dashboard-phone.png'), fullPage: true });
    await booking.setViewportSize({ width: 390, height: 844 });
    await booking.screenshot({ path: path.join(RESULTS_DIR, 'booking-phone.png'), fullPage: true });
  });

  it('books once when Book is double-clicked', async () => {
    const { page: dashboard } = await openDashboard(doctor);
    const booking = await openBooking(patient);
    await fillBooking(booking, { doctor: doctor.name, time: '11:00', reason: 'Follow-up' });
    await booking.getByRole('button', { name: 'Book' }).dblclick();
    await booking.getByTestId('booking-confirmation').waitFor({ timeout: WAIT_MS });
    await expect.poll(() => badgeCount(dashboard), { timeout: WAIT_MS }).toBe('1');

    expect(await appointmentsOf(harness.server.url, patient)).toHaveLength(1);
    expect(await booking.getByRole('alert').count()).toBe(0);
  });

  it('explains a taken slot next to the time field', async () => {
    await bookViaApi(patient, '09:00', 'Booked first');
    const otherPatient = await register(harness.server.url, 'PATIENT', 'Alan Turing');
    const other = await openBooking(otherPatient);
    await fillBooking(other, { doctor: doctor.name, time: '09:00', reason: 'Same time as Grace' });
    await other.getByRole('button', { name: 'Book' }).click();

    const message = other.getByTestId('time-error');
    await message.waitFor({ timeout: WAIT_MS });
    expect(await message.textContent()).toMatch(/already taken/);
    expect(await other.getByLabel('Time').getAttribute('aria-describedby')).toBe('booking-time-error');
    await other.screenshot({ path: path.join(RESULTS_DIR, 'booking-slot-unavailable.png'), fullPage: true });
  });

  it('goes reconnecting then live across a server restart, and later bookings still arrive', async () => {
    const { page: dashboard, subscribedAfter } = await openDashboard(doctor);
    const booking = await openBooking(patient);
    // Events before the restart, so the dashboard has a cursor to resume from; Alan books last.
    await bookViaApi(patient, '09:00', 'Before the restart');
    await expect.poll(() => badgeCount(dashboard), { timeout: WAIT_MS }).toBe('1');
    const otherPatient = await register(harness.server.url, 'PATIENT', 'Alan Turing');
    await bookViaApi(otherPatient, '10:00', 'Also before the restart');
    await expect.poll(() => badgeCount(dashboard), { timeout: WAIT_MS }).toBe('2');

    await harness.server.stop();
    await expect.poll(() => indicator(dashboard).getAttribute('data-state'), { timeout: WAIT_MS }).toMatch(/reconnecting|offline/);
    await harness.server.start();
    await expect.poll(() => indicator(dashboard).getAttribute('data-state'), { timeout: RECONNECT_WAIT_MS }).toBe('live');
    // Subscribed first without a cursor, then resumed after the last event it had received.
    await expect.poll(() => subscribedAfter.length, { timeout: WAIT_MS }).toBe(2);
    expect(subscribedAfter[0]).toBeNull();
    expect(subscribedAfter[1]).toEqual(expect.any(String));

    await fillBooking(booking, { doctor: doctor.name, time: '14:00', reason: 'After the restart' });
    await booking.getByRole('button', { name: 'Book' }).click();
    await expect.poll(() => badgeCount(dashboard), { timeout: WAIT_MS }).toBe('3');
    // Grace booked last, so she is first again (her next appointment is still the 09:00 one).
    await expect.poll(() => dashboard.locator('tbody tr').first().getAttribute('data-patient-id'), { timeout: WAIT_MS }).toBe(patient.id);
    await dashboard.screenshot({ path: path.join(RESULTS_DIR, 'dashboard-after-restart.png'), fullPage: true });
  });

  it("shows a cancellation by the patient on the doctor's row and schedule without a reload", async () => {
    const first = await bookViaApi(patient, '09:00', 'Irregular heartbeat');
    const second = await bookViaApi(patient, '11:00', 'Follow-up');
    const { page: dashboard } = await openDashboard(doctor);
    const booking = await openBooking(patient);
    const nextTime = () => patientRow(dashboard, patient).locator('td[data-label="Next appointment"] time').getAttribute('datetime');
    await expect.poll(nextTime, { timeout: WAIT_MS }).toBe(first.startsAt);
    await dashboard.getByLabel('Schedule day').fill(dateInput(day));
    const scheduled = dashboard.locator(`.schedule li[data-appointment-id="${first.id}"]`);
    await scheduled.waitFor({ timeout: WAIT_MS });
    expect(await scheduled.getAttribute('class')).toBeNull();

    const item = booking.locator(`.upcoming li[data-appointment-id="${first.id}"]`);
    await item.getByRole('button', { name: /Cancel the appointment with/ }).click();
    await item.getByRole('button', { name: 'Yes, cancel it' }).click();
    await item.waitFor({ state: 'detached', timeout: WAIT_MS });

    await expect.poll(() => scheduled.getAttribute('class'), { timeout: WAIT_MS }).toBe('is-cancelled');
    await expect.poll(nextTime, { timeout: WAIT_MS }).toBe(second.startsAt);
  });

  it('books a doctor with working hours from the free-slot picker, and the row appears on the dashboard', async () => {
    const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startTime: '08:00', endTime: '18:00' }));
    await gql(
      harness.server.url,
      'mutation ($id: ID!, $hours: [WorkingHoursInput!]!) { setWorkingHours(doctorId: $id, hours: $hours) { timeZone } }',
      { id: doctor.id, hours: everyDay },
      doctor.token,
    );
    const { page: dashboard } = await openDashboard(doctor);
    await dashboard.getByLabel('Schedule day').fill(dateInput(day));
    const katherine = await register(harness.server.url, 'PATIENT', 'Katherine Johnson');
    const page = await signIn(katherine);
    await page.getByRole('heading', { name: 'Book an appointment' }).waitFor({ timeout: WAIT_MS });
    await page.getByRole('radio', { name: new RegExp(doctor.name) }).check();
    await page.getByLabel('Date').fill(dateInput(day));
    const picker = page.getByTestId('slot-picker');
    await picker.waitFor({ timeout: WAIT_MS });
    expect(await page.locator('#booking-time').count()).toBe(0); // no free-text time for this doctor
    const slot = picker.getByRole('radio').first();
    const startsAt = await slot.getAttribute('value');
    await slot.check();
    await page.getByLabel(/Reason/).fill('Picked from the free slots');
    await page.getByRole('button', { name: 'Book' }).click();
    await page.getByTestId('booking-confirmation').waitFor({ timeout: WAIT_MS });

    await patientRow(dashboard, katherine).waitFor({ timeout: WAIT_MS });
    expect(await patientRow(dashboard, katherine).textContent()).toContain('Picked from the free slots');
    await dashboard.locator('.schedule li', { hasText: 'Katherine Johnson' }).waitFor({ timeout: WAIT_MS });
    // The booked time is no longer offered.
    await expect.poll(() => picker.locator(`input[value="${startsAt}"]`).count(), { timeout: WAIT_MS }).toBe(0);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'booking-slots.png'), fullPage: true });
  });

  it('opens the patient detail panel from the keyboard, records vitals and records with field errors, and cancels a visit the patient sees go live', async () => {
    await bookViaApi(patient, '09:00', 'Irregular heartbeat');
    await bookViaApi(patient, '11:00', 'Follow-up');
    const { page: dashboard } = await openDashboard(doctor);
    const booking = await openBooking(patient);
    await patientRow(dashboard, patient).getByRole('button', { name: patient.name }).focus();
    await dashboard.keyboard.press('Enter');
    const panel = dashboard.getByRole('dialog', { name: patient.name });
    await panel.waitFor({ timeout: WAIT_MS });
    await panel.getByTestId('detail-appointments').locator('li').first().waitFor({ timeout: WAIT_MS });

    await panel.getByLabel('Heart rate (beats/min)').fill('300');
    await panel.getByRole('button', { name: 'Record vitals' }).click();
    const hrError = panel.locator('#vitals-heartRate-error');
    await hrError.waitFor({ timeout: WAIT_MS });
    expect(await panel.getByLabel('Heart rate (beats/min)').getAttribute('aria-describedby')).toBe('vitals-heartRate-error');

    for (const [heartRate, systolic, diastolic] of [
      ['72', '128', '82'],
      ['84', '136', '88'],
    ] as const) {
      await panel.getByLabel('Heart rate (beats/min)').fill(heartRate);
      await panel.getByLabel('Systolic (mmHg)').fill(systolic);
      await panel.getByLabel('Diastolic (mmHg)').fill(diastolic);
      await panel.getByRole('button', { name: 'Record vitals' }).click();
      await expect
        .poll(() => patientRow(dashboard, patient).locator('td[data-label="Latest vitals"]').textContent(), { timeout: WAIT_MS })
        .toContain(`HR ${heartRate}`);
    }
    await panel.getByTestId('vitals-trend').waitFor({ timeout: WAIT_MS });

    await panel.getByLabel('Diagnosis').fill('Hypertension');
    await panel.getByLabel(/ICD-10/).fill('not a code');
    await panel.getByRole('button', { name: 'Add record' }).click();
    await panel.locator('#record-icd10Code-error').waitFor({ timeout: WAIT_MS });
    await panel.getByLabel(/ICD-10/).fill('I10');
    await panel.getByRole('button', { name: 'Add record' }).click();
    const records = panel.getByTestId('medical-records');
    await records.getByText('Hypertension').waitFor({ timeout: WAIT_MS });
    await records.getByRole('button', { name: 'Correct this record' }).click();
    await panel.getByLabel('Diagnosis').fill('Essential hypertension');
    await panel.getByRole('button', { name: 'Save the correction' }).click();
    await records.getByText('Superseded').waitFor({ timeout: WAIT_MS });
    await records.getByText('Essential hypertension').waitFor({ timeout: WAIT_MS });
    await dashboard.screenshot({ path: path.join(RESULTS_DIR, 'patient-detail.png'), fullPage: true });

    // The doctor cancels Grace's next visit: her open booking page drops it live (myAppointmentUpdated).
    const [next] = (await appointmentsOf(harness.server.url, patient))
      .filter((appointment) => appointment.status === 'BOOKED')
      .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
    if (!next) throw new Error('Grace should still have a booked appointment');
    const onPatientPage = booking.locator(`.upcoming li[data-appointment-id="${next.id}"]`);
    await onPatientPage.waitFor({ timeout: WAIT_MS });
    const inPanel = panel.locator(`li[data-appointment-id="${next.id}"]`);
    await inPanel.getByRole('button', { name: 'Cancel…' }).click();
    await inPanel.getByLabel(/Reason for cancelling/).fill('Doctor unwell');
    await inPanel.getByRole('button', { name: 'Cancel appointment' }).click();
    await inPanel.getByText('cancelled').waitFor({ timeout: WAIT_MS });
    await onPatientPage.waitFor({ state: 'detached', timeout: WAIT_MS });

    await dashboard.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached', timeout: WAIT_MS });
    expect(await dashboard.evaluate(() => document.activeElement?.textContent)).toBe(patient.name);
  });
});
