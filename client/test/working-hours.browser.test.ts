// A doctor sets their weekly hours and a day off on their own page, in their own time zone; the
// patient's booking form then offers only the free times inside those hours.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { gql, PASSWORD, register, type Account } from './api';
import { useBrowserHarness, WAIT_MS } from './browser-harness';

interface Availability {
  doctorAvailability: { timeZone: string; weeklyHours: Array<{ weekday: number; startTime: string; endTime: string }>; daysOff: string[] };
}

describe('working hours and days off in Chromium', () => {
  const harness = useBrowserHarness();

  async function signIn(account: Account): Promise<Page> {
    const page = await (await harness.newContext()).newPage();
    harness.watchConsole(page);
    await page.goto(harness.server.url);
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    return page;
  }

  it('saves the weekly hours and a day off in the doctor’s zone, and the free times follow them', async () => {
    const doctor = await register(harness.server.url, 'DOCTOR', `Dr. Hours ${Date.now().toString(36)}`);
    const patient = await register(harness.server.url, 'PATIENT', 'Hanna Hours');
    const page = await signIn(doctor);
    await page.getByRole('link', { name: 'Working hours' }).click();
    await page.getByRole('heading', { name: 'Weekly hours' }).waitFor({ timeout: WAIT_MS });
    expect(await page.getByText('Europe/London', { exact: true }).count()).toBeGreaterThan(0);

    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']) {
      await page.getByRole('checkbox', { name: day }).check();
      await page.getByLabel(`${day} from`).fill('08:00');
      await page.getByLabel(`${day} to`).fill('18:00');
    }
    await page.getByRole('checkbox', { name: 'Sunday' }).uncheck();
    await page.getByRole('button', { name: 'Save hours' }).click();
    await page.getByTestId('hours-saved').waitFor({ timeout: WAIT_MS });

    const dayOff = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Date').fill(dayOff);
    await page.getByRole('button', { name: 'Add day off' }).click();
    await page.locator(`[data-testid="days-off"] li[data-date="${dayOff}"]`).waitFor({ timeout: WAIT_MS });

    const saved = await gql<Availability>(
      harness.server.url,
      'query ($id: ID!) { doctorAvailability(doctorId: $id) { timeZone weeklyHours { weekday startTime endTime } daysOff } }',
      { id: doctor.id },
      doctor.token,
    );
    expect(saved.doctorAvailability.weeklyHours).toEqual(
      [1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startTime: '08:00', endTime: '18:00' })),
    );
    expect(saved.doctorAvailability.daysOff).toEqual([dayOff]);

    // A reload shows what was saved.
    await page.reload();
    await page.getByRole('heading', { name: 'Weekly hours' }).waitFor({ timeout: WAIT_MS });
    expect(await page.getByRole('checkbox', { name: 'Sunday' }).isChecked()).toBe(false);
    expect(await page.getByLabel('Monday from').inputValue()).toBe('08:00');

    // Free times are inside the hours now, and none on the day off.
    const slots = async (day: string) =>
      (
        await gql<{ availableSlots: string[] }>(
          harness.server.url,
          'query ($id: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { availableSlots(doctorId: $id, from: $from, to: $to, durationMinutes: 60) }',
          { id: doctor.id, from: `${day}T00:00:00.000Z`, to: `${day}T23:59:00.000Z` },
          patient.token,
        )
      ).availableSlots;
    expect(await slots(dayOff)).toEqual([]);
    const dayAfter = new Date(Date.parse(`${dayOff}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const weekday = new Date(`${dayAfter}T12:00:00Z`).getUTCDay();
    const free = await slots(dayAfter);
    if (weekday === 0) expect(free).toEqual([]);
    else expect(free.length).toBeGreaterThan(0);

    // The patient sees the doctor's next free times across days and a week strip; picking one fills the slot.
    const booking = await signIn(patient);
    await booking.getByRole('radio', { name: new RegExp(doctor.name) }).check({ timeout: WAIT_MS });
    const next = booking.getByTestId('next-free-times');
    await next.waitFor({ timeout: WAIT_MS });
    expect(await next.getByRole('group', { name: 'Free times this week' }).getByRole('button').count()).toBe(7);
    await next.getByRole('button').nth(7).click();
    await expect.poll(() => booking.getByTestId('slot-picker').getByRole('radio', { checked: true }).count(), { timeout: WAIT_MS }).toBe(1);
  });
});
