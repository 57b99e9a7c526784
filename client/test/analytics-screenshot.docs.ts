// Remakes docs/analytics.png: the analytics page of a practice with the browser test's history
// (today's visits in every state, live counters) and three weeks of bookings ahead, some cancelled,
// on the "Next 31 days" view so the charts have days to show. Run with `npm run -w client screenshot:docs`.
import path from 'node:path';
import { expect, it } from 'vitest';
import { gql, register } from './api';
import { seedHistory } from './analytics-history';
import { WAIT_MS } from './browser-harness';
import { usePracticeHarness } from './practice-harness';

const OUTPUT = path.resolve(import.meta.dirname, '..', '..', 'docs', 'analytics.png');

const harness = usePracticeHarness('Riverside Family Practice', 'admin@analytics-docs.careline');

it('captures the analytics page', async () => {
  const history = await seedHistory(harness);
  // Bookings ahead: a varying number a day for three weeks, every fifth one cancelled.
  const tomorrow = new Date(Math.ceil(Date.now() / 86_400_000) * 86_400_000 + 9 * 3_600_000);
  // Enough patients that none passes the bookings-per-minute limit.
  const patients = [...history.patients];
  for (const name of ['Lena Holm', 'Raj Patel', 'Ines Costa', 'Tom Berg'])
    patients.push(await register(harness.server.url, 'PATIENT', name));
  let made = 0;
  for (let day = 0; day < 21; day += 1) {
    const count = 1 + ((day * 7) % 5);
    for (let visit = 0; visit < count; visit += 1) {
      const startsAt = new Date(tomorrow.getTime() + day * 86_400_000 + visit * 3_600_000);
      const id = await history.book(patients[made % patients.length]!, history.doctors[visit % 3]!, startsAt);
      const patient = patients[made % patients.length]!;
      made += 1;
      if (made % 5 === 0) await gql(harness.server.url, 'mutation ($id: ID!) { cancelAppointment(id: $id) { id } }', { id }, patient.token);
    }
  }
  const page = await harness.openAs(harness.admin);
  await page.setViewportSize({ width: 1280, height: 1400 });
  await page.getByRole('link', { name: 'Analytics' }).click();
  await page.getByTestId('kpis').waitFor({ timeout: WAIT_MS });
  await page.getByLabel('Period', { exact: true }).selectOption('next31');
  await page.getByRole('heading', { name: 'Next 31 days' }).waitFor({ timeout: WAIT_MS });
  await expect.poll(() => page.getByTestId('bookings-chart').locator('rect.chart__bar').count(), { timeout: WAIT_MS }).toBeGreaterThan(20);
  await page.getByTestId('today-board').locator('[data-today="booked"]').waitFor({ timeout: WAIT_MS });
  await page.mouse.move(0, 1390);
  await page.locator('main').screenshot({ path: OUTPUT });
});
