// Remakes the README's screenshots from the demo data: docs/dashboard.png (Dr. Chen's dashboard with
// the next weekday's schedule and one booking that just arrived live), docs/week.png (her week view) and
// docs/flow-board.png (the front desk's board on that day). Run with `npm run -w client screenshot:docs`.
import path from 'node:path';
import { chromium } from 'playwright-core';
import { expect, it } from 'vitest';
import { gql } from './api';
import { startServerProcess } from './server-process';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const DOCS = path.resolve(import.meta.dirname, '..', '..', 'docs');
const OUTPUT = path.join(DOCS, 'dashboard.png');

it('captures the demo dashboard with a live booking', async () => {
  const server = await startServerProcess({ SEED_DEMO: 'true' });
  const browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 720 }, timezoneId: 'Europe/London' })).newPage();
    await page.goto(server.url);
    await page.getByRole('button', { name: /Dr\. Maya Chen/ }).click();
    await expect.poll(() => page.locator('.connection').getAttribute('data-state'), { timeout: 10_000 }).toBe('live');
    // The demo's visits are on the next weekday: step forward to it (past a weekend).
    for (let step = 0; step < 3 && (await page.locator('.schedule li').count()) === 0; step += 1) {
      await page.getByRole('button', { name: 'Next day' }).click();
      await page
        .locator('.schedule li')
        .first()
        .waitFor({ timeout: 3_000 })
        .catch(() => undefined);
    }
    await page.locator('.schedule li').first().waitFor();
    const day = ((await page.locator('.schedule li time').first().getAttribute('datetime')) ?? '').slice(0, 10);

    const login = await gql<{ login: { token: string } }>(
      server.url,
      'mutation { login(email: "carmen@careline.demo", password: "careline-demo") { token } }',
    );
    const { doctors } = await gql<{ doctors: Array<{ id: string; name: string }> }>(
      server.url,
      '{ doctors { id name } }',
      {},
      login.login.token,
    );
    const chen = doctors.find((doctor) => doctor.name === 'Dr. Maya Chen')!;
    const visitDay = new Date(`${day}T11:00:00.000Z`);
    await gql(
      server.url,
      'mutation ($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }',
      { input: { doctorId: chen.id, startsAt: visitDay.toISOString(), durationMinutes: 45, reason: 'Shortness of breath on stairs' } },
      login.login.token,
    );
    await page.locator('tr.is-new').waitFor({ timeout: 10_000 });
    await page.mouse.move(0, 700); // no hover state in the picture
    await page.screenshot({ path: OUTPUT });

    // The week: an element shot of its panel (small files: no page around it).
    const week = page.locator('section.week');
    await week.locator('.week__visits li').first().waitFor({ timeout: 10_000 });
    await week.scrollIntoViewIfNeeded();
    await week.screenshot({ path: path.join(DOCS, 'week.png') });

    // The desk on the day of the demo's visits.
    const desk = await (await browser.newContext({ viewport: { width: 1280, height: 720 }, timezoneId: 'Europe/London' })).newPage();
    await desk.goto(server.url);
    await desk.getByLabel('Email').fill('desk@careline.demo');
    await desk.getByLabel('Password').fill('careline-demo');
    await desk.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => desk.locator('.connection').getAttribute('data-state'), { timeout: 10_000 }).toBe('live');
    await desk.locator('#desk-day').fill(day);
    const board = desk.locator('section.flow-board');
    await board.locator('.flow-card').first().waitFor({ timeout: 10_000 });
    await desk.mouse.move(0, 700);
    await board.screenshot({ path: path.join(DOCS, 'flow-board.png') });
  } finally {
    await browser.close();
    await server.dispose();
  }
});
