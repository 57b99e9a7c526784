// The front desk and the practice admin in real Chromium against a real server: the flow board
// follows the practice live (a booking arrives, a check-in moves it, the doctor's schedule shows the
// check-in), the desk books for a patient with the slot picker, and an admin's invitation code
// registers a new member. Each case sets up its own people, so any one runs alone.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { WAIT_MS } from './browser-harness';
import { usePracticeHarness } from './practice-harness';
import { appointmentsOf, gql, joinPractice, PASSWORD, register } from './api';

// Read here and evaluated in the page (the dashboard's CSP refuses an injected <script>, rightly).
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** WCAG 2.1 A/AA violations axe-core finds on the page as it is now (rule ids and what they hit). */
async function axeViolations(page: Page): Promise<Array<{ id: string; targets: string[] }>> {
  await page.evaluate(`${AXE_SOURCE}\n;true`);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(context: Document, options: object): Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown[] }> }> }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((violation) => ({ id: violation.id, targets: violation.nodes.map((node) => node.target.join(' ')) }));
  });
}

const ADMIN_EMAIL = 'admin@browser-practice.careline';

describe('the front desk and the members page in Chromium', () => {
  const harness = usePracticeHarness('Browser Practice', ADMIN_EMAIL);
  const { openAs } = harness;

  it('moves a live booking through the flow board on check-in, and the doctor sees the check-in live', async () => {
    const staff = await joinPractice(harness.server.url, harness.admin, harness.practiceId, 'STAFF', 'Dana Desk');
    const doctor = await joinPractice(harness.server.url, harness.admin, harness.practiceId, 'DOCTOR', 'Dr. Flow Board');
    const patient = await register(harness.server.url, 'PATIENT', 'Frank Flow');
    const desk = await openAs(staff);
    await desk.getByRole('heading', { name: "Today's flow" }).waitFor({ timeout: WAIT_MS });
    await expect.poll(() => desk.locator('.connection').getAttribute('data-state'), { timeout: WAIT_MS }).toBe('live');
    const schedule = await openAs(doctor);
    await schedule.getByRole('heading', { name: "Today's schedule" }).waitFor({ timeout: WAIT_MS });
    await expect.poll(() => schedule.locator('.connection').getAttribute('data-state'), { timeout: WAIT_MS }).toBe('live');

    const startsAt = new Date(Math.ceil((Date.now() + 2 * 3_600_000) / 60_000) * 60_000);
    const booked = await gql<{ bookAppointment: { id: string } }>(
      harness.server.url,
      'mutation ($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }',
      { input: { doctorId: doctor.id, startsAt: startsAt.toISOString(), reason: 'Sore throat' } },
      patient.token,
    );
    const card = desk.locator(`.flow-card[data-appointment-id="${booked.bookAppointment.id}"]`);
    await desk
      .getByRole('region', { name: 'Booked' })
      .locator(`[data-appointment-id="${booked.bookAppointment.id}"]`)
      .waitFor({ timeout: WAIT_MS });
    expect(await card.textContent()).toContain('Frank Flow');
    await schedule.reload();
    const row = schedule.locator(`.schedule li[data-appointment-id="${booked.bookAppointment.id}"]`);
    await row.waitFor({ timeout: WAIT_MS });
    await expect.poll(() => schedule.locator('.connection').getAttribute('data-state'), { timeout: WAIT_MS }).toBe('live');

    await desk.getByRole('button', { name: 'Check in Frank Flow' }).click();
    await desk
      .getByRole('region', { name: 'Checked in' })
      .locator(`[data-appointment-id="${booked.bookAppointment.id}"]`)
      .waitFor({ timeout: WAIT_MS });
    expect(await desk.getByRole('region', { name: 'Booked' }).locator(`[data-appointment-id="${booked.bookAppointment.id}"]`).count()).toBe(
      0,
    );
    // The doctor's open schedule gets it from appointmentUpdated, without a reload.
    await expect.poll(() => row.getAttribute('data-status'), { timeout: WAIT_MS }).toBe('CHECKED_IN');
    expect(await row.textContent()).toContain('checked in');
  });

  it('finds a patient of the practice and books for them with the slot picker', async () => {
    const staff = await joinPractice(harness.server.url, harness.admin, harness.practiceId, 'STAFF', 'Sam Search');
    const doctor = await joinPractice(harness.server.url, harness.admin, harness.practiceId, 'DOCTOR', 'Dr. Slot Picker');
    const hours = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startTime: '08:00', endTime: '18:00' }));
    await gql(
      harness.server.url,
      'mutation ($d: ID!, $h: [WorkingHoursInput!]!) { setWorkingHours(doctorId: $d, hours: $h) { timeZone } }',
      { d: doctor.id, h: hours },
      doctor.token,
    );
    const patient = await register(harness.server.url, 'PATIENT', `Paula Picker ${Date.now().toString(36)}`);
    // A first visit (in a month, at this hour: around noon in the practice's zone, so inside the
    // doctor's hours whatever the clock says) puts the patient on the practice's list.
    const later = new Date(Date.now() + 30 * 86_400_000);
    later.setUTCMinutes(0, 0, 0);
    await gql(
      harness.server.url,
      'mutation ($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }',
      { input: { doctorId: doctor.id, startsAt: later.toISOString() } },
      patient.token,
    );

    const desk = await openAs(staff);
    await desk.getByLabel(/Search by name/).fill(patient.name.split(' ')[2]!);
    await desk.getByRole('button', { name: `Book for ${patient.name}` }).click();
    const form = desk.getByRole('form', { name: `Book for ${patient.name}` });
    await form.getByLabel('Doctor').selectOption({ label: 'Dr. Slot Picker' });
    const tomorrow = await desk.evaluate(() => {
      const day = new Date(Date.now() + 86_400_000);
      return `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
    });
    await form.getByLabel('Date').fill(tomorrow);
    await form.getByRole('radio').first().check({ timeout: WAIT_MS });
    await form.getByLabel(/Reason/).fill('Booked by phone');
    await form.getByRole('button', { name: 'Book' }).click();
    await desk.getByTestId('desk-booking-confirmation').waitFor({ timeout: WAIT_MS });
    expect(await desk.getByTestId('desk-booking-confirmation').textContent()).toContain('Dr. Slot Picker');
    const appointments = await appointmentsOf(harness.server.url, patient);
    expect(appointments).toHaveLength(2);
  });

  it('lets an admin invite a staff member whose code, shown once, registers them onto the front desk', async () => {
    const members = await openAs(harness.admin);
    await members.getByRole('link', { name: 'Members' }).click();
    await members.getByRole('heading', { name: 'Invite a doctor, staff member or patient' }).waitFor({ timeout: WAIT_MS });
    const email = `invited-${Date.now().toString(36)}@browser.careline`;
    await members.getByLabel('Email').fill(email);
    await members.getByRole('radio', { name: 'Front desk' }).check();
    await members.getByRole('button', { name: 'Create invitation' }).click();
    const code = (await members.getByTestId('invitation-code').textContent({ timeout: WAIT_MS })) ?? '';
    expect(code.length).toBeGreaterThan(20);
    await members.locator('.member-list li', { hasText: email }).waitFor({ timeout: WAIT_MS });

    const newcomer = await harness.openPage('/register');
    await newcomer.getByRole('radio', { name: 'Front desk' }).check();
    await newcomer.getByLabel('Full name').fill('Nina Newcomer');
    await newcomer.getByLabel('Email').fill(email);
    await newcomer.getByLabel(/^Password/).fill(PASSWORD);
    await newcomer.getByLabel(/Invitation code/).fill(code);
    await newcomer.getByRole('button', { name: 'Create account' }).click();
    await newcomer.getByRole('heading', { name: 'Browser Practice' }).waitFor({ timeout: WAIT_MS });
    expect(newcomer.url()).toMatch(/\/desk$/);

    await members.reload();
    await members.locator('.member-list li', { hasText: 'Nina Newcomer' }).waitFor({ timeout: WAIT_MS });
    expect(await members.getByText('Give them this code').count()).toBe(0);

    // Offboarding: the admin removes her (after confirming); her open page is signed out.
    await members.getByRole('button', { name: 'Remove Nina Newcomer' }).click();
    await members.getByRole('group', { name: 'Confirm removing Nina Newcomer' }).waitFor({ timeout: WAIT_MS });
    expect(await axeViolations(members)).toEqual([]);
    await members.getByRole('button', { name: 'Confirm removal' }).click();
    await members.locator('.member-list li', { hasText: 'Nina Newcomer' }).waitFor({ state: 'detached', timeout: WAIT_MS });
    await members.locator('[data-security-event="security.memberRemoved"]').first().waitFor({ timeout: WAIT_MS });
    expect(await axeViolations(members)).toEqual([]);
    await newcomer.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: WAIT_MS });
  });

  it('lets an admin revoke a pending invitation', async () => {
    const members = await openAs(harness.admin);
    await members.getByRole('link', { name: 'Members' }).click();
    await members.getByRole('heading', { name: 'Invite a doctor, staff member or patient' }).waitFor({ timeout: WAIT_MS });
    const email = `revoked-${Date.now().toString(36)}@browser.careline`;
    await members.getByLabel('Email').fill(email);
    await members.getByRole('radio', { name: 'Front desk' }).check();
    await members.getByRole('button', { name: 'Create invitation' }).click();
    await members.locator('.member-list li', { hasText: email }).waitFor({ timeout: WAIT_MS });
    await members.getByRole('button', { name: `Revoke the invitation for ${email}` }).click();
    await members.locator('.member-list li', { hasText: email }).waitFor({ state: 'detached', timeout: WAIT_MS });
    await members.locator('[data-security-event="security.invitationRevoked"]').first().waitFor({ timeout: WAIT_MS });
  });
});
