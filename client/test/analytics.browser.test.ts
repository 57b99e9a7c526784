// The analytics page in Chromium, for the practice's admin: every KPI tile shows what
// practiceAnalytics answers for the page's own period, the charts are drawn from the data (one bar
// part per day and state, one bar per doctor with working hours, one per lead time), the live board of today equals
// practiceToday and moves with a new booking without a reload, the CSV downloads, the page fits a
// phone, and axe-core finds no WCAG 2.1 A/AA violation.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { PeriodFiguresFragment } from '../src/__generated__/graphql';
import { formatFigure, KPIS } from '../src/features/analytics/figures';
import { gql, joinPractice } from './api';
import { seedHistory } from './analytics-history';
import { axeViolations, WAIT_MS } from './browser-harness';
import { usePracticeHarness } from './practice-harness';

const FIGURES = KPIS.map((kpi) => kpi.key).join(' ');
const QUERY = `query ($p: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {
  practiceAnalytics(practiceId: $p, from: $from, to: $to) {
    ${FIGURES} lateCancelled booked
    byDay { date appointments completed cancelled noShows }
    byDoctor { doctor { id name } appointments utilization }
    leadTimes { fromDays toDays booked }
  }
}`;

interface Answer extends Omit<PeriodFiguresFragment, '__typename'> {
  byDay: Array<{ date: string; appointments: number; completed: number; cancelled: number; noShows: number }>;
  byDoctor: Array<{ doctor: { id: string; name: string }; appointments: number; utilization: number | null }>;
  leadTimes: Array<{ fromDays: number; toDays: number | null; booked: number }>;
}

describe('the analytics page', () => {
  const harness = usePracticeHarness('Analytics Practice', 'admin@analytics.careline');

  it('shows the API’s figures, draws them, keeps today live and passes axe, on a desktop and a phone', async () => {
    const history = await seedHistory(harness);
    const page = await harness.openAs(harness.admin);
    await page.getByRole('link', { name: 'Analytics' }).click();
    await page.getByRole('heading', { name: 'Last 31 days' }).waitFor({ timeout: WAIT_MS });
    const kpis = page.getByTestId('kpis');
    await kpis.waitFor({ timeout: WAIT_MS });

    // The KPI tiles: each equals the API's answer for the page's own [from, to).
    const period = page.getByTestId('period');
    const from = await period.getAttribute('data-from');
    const to = await period.getAttribute('data-to');
    const { practiceAnalytics: answer } = await gql<{ practiceAnalytics: Answer }>(
      harness.server.url,
      QUERY,
      { p: harness.practiceId, from, to },
      harness.admin.token,
    );
    // The history as made: four visits today, each in one state.
    expect([answer.appointments, answer.completed, answer.noShows, answer.cancelled, answer.lateCancelled]).toEqual([4, 1, 1, 1, 1]);
    for (const kpi of KPIS)
      expect(await kpis.locator(`[data-kpi="${kpi.key}"] .kpi__value`).textContent(), kpi.label).toBe(
        formatFigure(answer[kpi.key], kpi.kind),
      );

    // Bookings by day: one bar part per day and state, adding up to each day's appointments.
    const chart = page.getByTestId('bookings-chart');
    expect(await chart.getAttribute('aria-label')).toContain('4 appointments');
    const parts = await chart
      .locator('rect.chart__bar')
      .evaluateAll((rects) =>
        rects.map((rect) => ({ date: rect.getAttribute('data-date'), value: Number(rect.getAttribute('data-value')) })),
      );
    const drawn = new Map<string, number>();
    for (const part of parts) drawn.set(part.date ?? '', (drawn.get(part.date ?? '') ?? 0) + part.value);
    expect(Object.fromEntries(drawn)).toEqual(
      Object.fromEntries(answer.byDay.filter((day) => day.appointments > 0).map((day) => [day.date, day.appointments])),
    );
    expect(answer.byDay).toHaveLength(31);
    // Utilization by doctor: a bar for the one doctor with working hours, of the API's width.
    const bars = page.getByTestId('utilization-chart').locator('rect.chart__bar');
    expect(await bars.count()).toBe(1);
    const withHours = answer.byDoctor.find((row) => row.doctor.id === history.doctors[2]!.id)!;
    expect(Number(await bars.getAttribute('data-value'))).toBe(withHours.utilization);
    expect(await page.getByTestId('by-doctor-table').locator('tbody tr').count()).toBe(3);
    // Lead times: a bar per bucket that has bookings, of the API's height, and a row per bucket.
    const leadBars = await page
      .getByTestId('lead-time-chart')
      .locator('rect.chart__bar')
      .evaluateAll((rects) => rects.map((rect) => [Number(rect.getAttribute('data-from-days')), Number(rect.getAttribute('data-value'))]));
    expect(leadBars).toEqual(answer.leadTimes.filter((bucket) => bucket.booked > 0).map((bucket) => [bucket.fromDays, bucket.booked]));
    expect(answer.leadTimes.reduce((sum, bucket) => sum + bucket.booked, 0)).toBe(answer.booked);
    expect(await page.getByTestId('lead-time-table').locator('tbody tr').count()).toBe(answer.leadTimes.length);

    // Today's live counters equal practiceToday's board, then move with a booking made elsewhere.
    const today = page.getByTestId('today-board');
    const counter = (key: string) => today.locator(`[data-today="${key}"] .kpi__value`).textContent();
    await expect.poll(() => counter('completed'), { timeout: WAIT_MS }).toBe('1');
    expect([await counter('booked'), await counter('checkedIn'), await counter('noShows'), await counter('cancelled')]).toEqual([
      '1',
      '0',
      '1',
      '1',
    ]);
    const slotsBefore = Number(await counter('openSlots'));
    expect(slotsBefore).toBeGreaterThan(0);
    const laterToday = new Date(Math.ceil((Date.now() + 4 * 3_600_000) / 1_800_000) * 1_800_000);
    await history.book(history.patients[1]!, history.doctors[2]!, laterToday);
    await expect.poll(() => counter('booked'), { timeout: WAIT_MS }).toBe('2');
    expect(Number(await counter('openSlots'))).toBe(slotsBefore - 1);

    expect(await axeViolations(page)).toEqual([]);

    // The CSV of the days, with the bearer token (a download, not a link).
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('date,appointments,completed,cancelled,noShows');
    expect(lines).toHaveLength(32);

    // Another period: the figures follow the choice.
    await page.getByLabel('Period', { exact: true }).selectOption('7');
    await page.getByRole('heading', { name: 'Last 7 days' }).waitFor({ timeout: WAIT_MS });
    await expect.poll(() => page.getByTestId('bookings-chart').locator('rect.chart__bar').count(), { timeout: WAIT_MS }).toBeGreaterThan(0);
    await expect.poll(() => kpis.locator('[data-kpi="appointments"] .kpi__value').textContent(), { timeout: WAIT_MS }).toBe('5');

    // A phone: nothing wider than the screen, still clean.
    await page.setViewportSize({ width: 390, height: 844 });
    // (A wide table may scroll inside its own box, as on every page.)
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('is not offered to a doctor who is not an admin', async () => {
    const doctor = await joinPractice(harness.server.url, harness.admin, harness.practiceId, 'DOCTOR', 'Dr. Not Admin');
    const page = await harness.openAs(doctor);
    await page.getByRole('button', { name: 'Sign out', exact: true }).waitFor({ timeout: WAIT_MS });
    expect(await page.getByRole('link', { name: 'Analytics' }).count()).toBe(0);
    await page.goto(`${harness.server.url}/analytics`);
    await page.getByRole('button', { name: 'Sign out', exact: true }).waitFor({ timeout: WAIT_MS });
    await expect.poll(() => new URL(page.url()).pathname, { timeout: WAIT_MS }).toBe('/dashboard');
  });
});
