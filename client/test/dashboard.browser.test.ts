// The whole product in real Chromium against a real server: a doctor watches the dashboard while a
// patient books in another browser context; the row arrives live, double clicks book once, a taken
// slot is explained, and the dashboard survives a server restart. Each case makes its own doctor,
// patients and bookings, so any one of them runs alone (`-t`) or in any order.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appointmentsOf, gql, PASSWORD, register, type Account } from './api';
import { startServerProcess, type ServerProcess } from './server-process';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const RESULTS_DIR = path.resolve(import.meta.dirname, '..', 'test-results');
const WAIT_MS = 10_000;
/** Covers the backoff after the restart (at most 15 s between attempts, plus jitter). */
const RECONNECT_WAIT_MS = 45_000;

/** A day well ahead, local midnight, so the booked slots are valid and never collide with another run. */
function bookingDay(): Date {
  const day = new Date(Date.now() + (2 + Math.floor(Math.random() * 300)) * 86_400_000);
  return new Date(day.getFullYear(), day.getMonth(), day.getDate());
}
/** The browser pages run in this process's time zone, so a local time means the same here and there. */
const TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;
const dateInput = (day: Date) => `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;

describe('the doctor dashboard and patient booking in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let consoleErrors: string[] = [];
  /** Every Content-Security-Policy violation a page reported (securitypolicyviolation events), per case. */
  let cspViolations: string[] = [];
  let doctor: Account;
  let patient: Account;
  const day = bookingDay();

  /** A browser context whose pages report CSP violations to this case (checked after each case). */
  async function newContext(): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: TIME_ZONE });
    contexts.push(context);
    await context.exposeBinding('reportCspViolation', ({ page }, text: string) => cspViolations.push(`${page.url()}: ${text}`));
    await context.addInitScript(() => {
      const report = (window as unknown as { reportCspViolation: (text: string) => void }).reportCspViolation;
      document.addEventListener('securitypolicyviolation', (event) => report(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`));
    });
    return context;
  }

  /** Console errors and uncaught exceptions of this page fail the case (afterEach). */
  function watchConsole(page: Page): void {
    page.on('console', (message) => {
      // While the server is down Chromium itself logs each refused WebSocket attempt: that is the
      // reconnect working, not an application error.
      if (message.type() === 'error' && !/WebSocket connection to .* failed/.test(message.text())) consoleErrors.push(message.text());
    });
  }

  async function signIn(account: Account, watch: (page: Page) => void = () => undefined): Promise<Page> {
    const page = await (await newContext()).newPage();
    watch(page);
    watchConsole(page);
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.goto(server.url);
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
          const message = JSON.parse(String(payload)) as { type: string; payload?: { query?: string; variables?: { after?: string | null } } };
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
      server.url,
      'mutation ($input: BookAppointmentInput!) { bookAppointment(input: $input) { id startsAt } }',
      { input: { doctorId: doctor.id, startsAt, reason } },
      account.token,
    );
    return data.bookAppointment;
  }

  const badgeCount = (page: Page) => page.getByTestId('new-bookings-badge').locator('.badge__count').textContent();
  const indicator = (page: Page) => page.locator('.connection');
  const patientRow = (page: Page, account: Account) => page.locator(`tr[data-patient-id="${account.id}"]`);

  beforeAll(async () => {
    await mkdir(RESULTS_DIR, { recursive: true });
    server = await startServerProcess();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  beforeEach(async () => {
    // A doctor of this case only: the booking page lists every doctor, so the name is unique too.
    doctor = await register(server.url, 'DOCTOR', `Dr. Ada Lovelace ${randomUUID().slice(0, 6)}`);
    patient = await register(server.url, 'PATIENT', 'Grace Hopper');
  });
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
    const [errors, violations] = [consoleErrors, cspViolations];
    consoleErrors = [];
    cspViolations = [];
    expect(errors, 'errors in the browser console').toEqual([]);
    expect(violations, 'Content-Security-Policy violations').toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
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

    expect(await appointmentsOf(server.url, patient)).toHaveLength(1);
    expect(await booking.getByRole('alert').count()).toBe(0);
  });

  it('explains a taken slot next to the time field', async () => {
    await bookViaApi(patient, '09:00', 'Booked first');
    const otherPatient = await register(server.url, 'PATIENT', 'Alan Turing');
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
    const otherPatient = await register(server.url, 'PATIENT', 'Alan Turing');
    await bookViaApi(otherPatient, '10:00', 'Also before the restart');
    await expect.poll(() => badgeCount(dashboard), { timeout: WAIT_MS }).toBe('2');

    await server.stop();
    await expect.poll(() => indicator(dashboard).getAttribute('data-state'), { timeout: WAIT_MS }).toMatch(/reconnecting|offline/);
    await server.start();
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

  it('opens the GraphiQL playground at /graphql with the schema loaded', async () => {
    const context = await newContext();
    const page = await context.newPage();
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    watchConsole(page);
    const response = await page.goto(`${server.url}/graphql`);
    // Served under the strict policy (checked, so "no violation" below means something).
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await page.locator('.graphiql-container').waitFor({ timeout: WAIT_MS });
    await page.getByRole('button', { name: /Show Documentation Explorer/i }).click();
    await page.getByText('Query', { exact: true }).first().waitFor({ timeout: WAIT_MS });
    await page.screenshot({ path: path.join(RESULTS_DIR, 'playground.png') });
  });

  it('runs a patientAdded subscription in the playground with the signed-in Authorization header', async () => {
    const context = await newContext();
    // As if opened with the header's "API playground" link from the doctor's signed-in tab.
    await context.addInitScript((token) => {
      window.sessionStorage.setItem('careline.session', JSON.stringify({ token, userId: 'x', role: 'DOCTOR', name: 'Doctor' }));
    }, doctor.token);
    const page = await context.newPage();
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    watchConsole(page);
    const query = 'subscription Live($doctorId: ID!) { patientAdded(doctorId: $doctorId) { firstVisit patient { name } } }';
    await page.goto(`${server.url}/graphql?query=${encodeURIComponent(query)}&variables=${encodeURIComponent(JSON.stringify({ doctorId: doctor.id }))}`);
    await page.locator('.graphiql-container').waitFor({ timeout: WAIT_MS });
    // The editors load asynchronously and a click before they hold the query runs nothing: click
    // Execute until the button turns into Stop (the subscription is running).
    const stop = page.getByRole('button', { name: /Stop/i });
    await expect
      .poll(
        async () => {
          if (await stop.isVisible()) return true;
          await page.getByRole('button', { name: /Execute query/i }).click();
          return stop.isVisible();
        },
        { timeout: WAIT_MS, interval: 500 },
      )
      .toBe(true);

    const latecomer = await register(server.url, 'PATIENT', 'Barbara Liskov');
    // The page cannot tell when its subscription is live: book (a new slot each time) until an
    // event shows up. Monaco renders spaces as no-break spaces, hence the normalising.
    let slot = 0;
    await expect
      .poll(
        async () => {
          const shown = ((await page.locator('.graphiql-response').textContent()) ?? '').replace(/\s+/g, ' ');
          if (!shown.includes('Barbara Liskov')) {
            slot += 1;
            const startsAt = new Date(day.getTime() + (15 + slot) * 3_600_000).toISOString();
            await gql(server.url, 'mutation ($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }', { input: { doctorId: doctor.id, startsAt } }, latecomer.token);
          }
          return shown;
        },
        { timeout: WAIT_MS, interval: 500 },
      )
      .toContain('Barbara Liskov');
    await page.screenshot({ path: path.join(RESULTS_DIR, 'playground-subscription.png') });

    // The playground kept its tabs for this browser tab only, and the bearer token nowhere.
    const stored = await page.evaluate(() => ({
      local: Object.fromEntries(Object.entries(window.localStorage)),
      graphiql: Object.fromEntries(Object.entries(window.sessionStorage).filter(([key]) => key.startsWith('graphiql'))),
    }));
    expect(Object.keys(stored.graphiql).length).toBeGreaterThan(0);
    expect(JSON.stringify(stored.local)).not.toContain(doctor.token);
    expect(Object.keys(stored.local).filter((key) => key.startsWith('graphiql'))).toEqual([]);
    expect(JSON.stringify(stored.graphiql)).not.toContain(doctor.token);
  });

  it('sends a visitor whose stored token the server refuses back to sign in, with a notice', async () => {
    const context = await newContext();
    await context.addInitScript(() => {
      window.sessionStorage.setItem('careline.session', JSON.stringify({ token: 'not-a-valid-token', userId: 'x', role: 'DOCTOR', name: 'Stale' }));
    });
    const page = await context.newPage();
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.goto(`${server.url}/dashboard`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: WAIT_MS });
    expect(await page.getByText('Your session has expired').count()).toBe(1);
  });

  it('shows a cancellation by the patient on the doctor\'s row and schedule without a reload', async () => {
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
    await gql(server.url, 'mutation ($id: ID!, $hours: [WorkingHoursInput!]!) { setWorkingHours(doctorId: $id, hours: $hours) { timeZone } }', { id: doctor.id, hours: everyDay }, doctor.token);
    const { page: dashboard } = await openDashboard(doctor);
    await dashboard.getByLabel('Schedule day').fill(dateInput(day));
    const katherine = await register(server.url, 'PATIENT', 'Katherine Johnson');
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

    for (const [heartRate, systolic, diastolic] of [['72', '128', '82'], ['84', '136', '88']] as const) {
      await panel.getByLabel('Heart rate (beats/min)').fill(heartRate);
      await panel.getByLabel('Systolic (mmHg)').fill(systolic);
      await panel.getByLabel('Diastolic (mmHg)').fill(diastolic);
      await panel.getByRole('button', { name: 'Record vitals' }).click();
      await expect.poll(() => patientRow(dashboard, patient).locator('td[data-label="Latest vitals"]').textContent(), { timeout: WAIT_MS }).toContain(`HR ${heartRate}`);
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
    const [next] = (await appointmentsOf(server.url, patient))
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
