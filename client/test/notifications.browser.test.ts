// Notifications in real Chromium: a patient turns reminders off on their page (saved, still off
// after a reload, and the API agrees), and in development the header links to the latest mail
// the server wrote as an .eml file (no SMTP_URL).
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { gql, PASSWORD, register, type Account } from './api';
import { startServerProcess, type ServerProcess } from './server-process';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const WAIT_MS = 10_000;

describe('notifications in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let consoleErrors: string[] = [];

  async function signIn(account: Account): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.goto(server.url);
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    return page;
  }

  beforeAll(async () => {
    server = await startServerProcess({ NODE_ENV: 'development' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
    const errors = consoleErrors;
    consoleErrors = [];
    expect(errors, 'errors in the browser console').toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('lets a patient turn reminders off, and keeps the choice', async () => {
    const patient = await register(server.url, 'PATIENT', 'Grace Hopper');
    const page = await signIn(patient);
    const reminders = page.getByLabel(/reminder before each appointment/);
    const confirmations = page.getByLabel(/booked, moved or cancelled/);
    await reminders.waitFor({ timeout: WAIT_MS });
    expect(await reminders.isChecked()).toBe(true);
    expect(await confirmations.isChecked()).toBe(true);

    await reminders.uncheck();
    await page.getByTestId('preferences-saved').waitFor({ timeout: WAIT_MS });
    const saved = await gql<{ notificationPreferences: { confirmations: boolean; reminders: boolean } }>(
      server.url,
      '{ notificationPreferences { confirmations reminders } }',
      {},
      patient.token,
    );
    expect(saved.notificationPreferences).toEqual({ confirmations: true, reminders: false });

    await page.reload();
    await reminders.waitFor({ timeout: WAIT_MS });
    expect(await reminders.isChecked()).toBe(false);
    expect(await confirmations.isChecked()).toBe(true);
  });

  it('links to the latest mail in development', async () => {
    const doctor = await register(server.url, 'DOCTOR', `Dr. Ada Lovelace ${randomUUID().slice(0, 6)}`);
    const patient = await register(server.url, 'PATIENT', 'Alan Turing');
    const startsAt = new Date(Math.ceil((Date.now() + 3 * 86_400_000) / 1_800_000) * 1_800_000).toISOString();
    await gql(server.url, 'mutation ($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }', { input: { doctorId: doctor.id, startsAt } }, patient.token);

    const page = await signIn(patient);
    const link = page.getByRole('link', { name: 'Latest mail (dev)' });
    await page.getByTestId('dev-mail').waitFor({ timeout: WAIT_MS });
    // The confirmation is written by the job worker right after the commit; the header reads the list once.
    await expect
      .poll(async () => {
        await page.reload();
        await page.getByTestId('dev-mail').waitFor({ timeout: WAIT_MS });
        return page.getByTestId('dev-mail').textContent();
      }, { timeout: WAIT_MS })
      .toContain('Latest mail');
    const href = await link.getAttribute('href');
    const eml = await (await fetch(`${server.url}${href ?? ''}`)).text();
    expect(eml).toMatch(/Subject: Your appointment is booked/);
    expect(eml).toContain('text/calendar');
  });
});
