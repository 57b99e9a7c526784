// Two front desks, a doctor and a patient, each in their own Chromium context against one real
// server: after every change (a booking, a check-in by the other desk, the patient's cancellation,
// the doctor's completion) each desk's board shows every card in the right column, without a reload.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, noonZone, WAIT_MS } from './browser-harness';
import { gql, joinPractice, login, PASSWORD, register, type Account } from './api';
import { startServerProcess, type ServerProcess } from './server-process';

const ADMIN_EMAIL = 'admin@live-board.careline';
const COLUMNS = ['Booked', 'Checked in', 'Completed', 'No-show'] as const;
type Column = (typeof COLUMNS)[number];

describe('the flow board follows every change, whoever makes it', () => {
  // The practice's "today" (and the browsers') has hours left whatever the clock says.
  const zone = noonZone();
  let server: ServerProcess;
  let browser: Browser;
  let admin: Account;
  let practiceId: string;
  const contexts: BrowserContext[] = [];
  const consoleErrors: string[] = [];

  async function openAs(account: Account): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, timezoneId: zone });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.goto(server.url);
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    return page;
  }

  const live = async (page: Page) =>
    expect.poll(() => page.locator('.connection').getAttribute('data-state'), { timeout: WAIT_MS }).toBe('live');

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

  beforeAll(async () => {
    server = await startServerProcess({
      BOOTSTRAP_PRACTICE_NAME: 'Live Board Practice',
      BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL,
      BOOTSTRAP_ADMIN_PASSWORD: PASSWORD,
      BOOTSTRAP_PRACTICE_TIME_ZONE: zone,
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    admin = await login(server.url, ADMIN_EMAIL, 'Live Board admin');
    const me = await gql<{ me: { adminOf: Array<{ id: string }> } }>(server.url, '{ me { adminOf { id } } }', {}, admin.token);
    practiceId = me.me.adminOf[0]!.id;
  });
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
    expect(consoleErrors.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('moves each card on both desks after a booking, the other desk’s check-in, the patient’s cancellation and the doctor’s completion', async () => {
    const first = await joinPractice(server.url, admin, practiceId, 'STAFF', 'Desk One');
    const second = await joinPractice(server.url, admin, practiceId, 'STAFF', 'Desk Two');
    const doctor = await joinPractice(server.url, admin, practiceId, 'DOCTOR', 'Dr. Four Views');
    const patient = await register(server.url, 'PATIENT', `Pat Four ${Date.now().toString(36)}`);

    const desk1 = await openAs(first);
    const desk2 = await openAs(second);
    const doctorPage = await openAs(doctor);
    await doctorPage.getByRole('heading', { name: "Today's schedule" }).waitFor({ timeout: WAIT_MS });
    for (const page of [desk1, desk2, doctorPage]) await live(page);

    // 1. Two bookings by the patient: one starting in a few seconds (so the doctor can complete it
    //    later in this test), one later today.
    const book = async (startsAt: Date, reason: string) =>
      (
        await gql<{ bookAppointment: { id: string; startsAt: string } }>(
          server.url,
          'mutation ($input: BookAppointmentInput!) { bookAppointment(input: $input) { id startsAt } }',
          { input: { doctorId: doctor.id, startsAt: startsAt.toISOString(), reason } },
          patient.token,
        )
      ).bookAppointment;
    const soon = await book(new Date(Date.now() + 20_000), 'Check-up');
    const later = await book(new Date(Math.ceil((Date.now() + 2 * 3_600_000) / 60_000) * 60_000), 'Follow-up');
    await expectColumns([desk1, desk2], { [soon.id]: 'Booked', [later.id]: 'Booked' });

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

    // 4. Once the first visit has started, the doctor completes it from the schedule.
    await expect.poll(() => Date.now() > Date.parse(soon.startsAt), { timeout: 30_000, interval: 500 }).toBe(true);
    await doctorPage.reload();
    const row = doctorPage.locator(`.schedule li[data-appointment-id="${soon.id}"]`);
    await row.getByRole('button', { name: /completed$/ }).click({ timeout: WAIT_MS });
    await expectColumns([desk1, desk2], { [soon.id]: 'Completed', [later.id]: null });
    await expect.poll(() => row.getAttribute('data-status'), { timeout: WAIT_MS }).toBe('COMPLETED');
  });
});
