// Notifications in real Chromium: a patient turns reminders off on their page (saved, still off
// after a reload, and the API agrees); in development the header links to the latest mail the
// server wrote as an .eml file (no SMTP_URL); a practice admin adds a webhook endpoint on the
// members page (secret shown once), sees its delivery delivered, and redelivers it.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { gql, joinPractice, login, PASSWORD, register, type Account } from './api';
import { startServerProcess, type ServerProcess } from './server-process';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const WAIT_MS = 10_000;
const ADMIN_EMAIL = 'admin@notifications-practice.careline';

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
    server = await startServerProcess({
      NODE_ENV: 'development',
      BOOTSTRAP_PRACTICE_NAME: 'Webhook Practice',
      BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL,
      BOOTSTRAP_ADMIN_PASSWORD: PASSWORD,
    });
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
    await gql(
      server.url,
      'mutation ($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }',
      { input: { doctorId: doctor.id, startsAt } },
      patient.token,
    );

    const page = await signIn(patient);
    const link = page.getByRole('link', { name: 'Latest mail (dev)' });
    await page.getByTestId('dev-mail').waitFor({ timeout: WAIT_MS });
    // The confirmation is written by the job worker right after the commit; the header reads the list once.
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.getByTestId('dev-mail').waitFor({ timeout: WAIT_MS });
          return page.getByTestId('dev-mail').textContent();
        },
        { timeout: WAIT_MS },
      )
      .toContain('Latest mail');
    const href = await link.getAttribute('href');
    const eml = await (await fetch(`${server.url}${href ?? ''}`)).text();
    expect(eml).toMatch(/Subject: Your appointment is booked/);
    expect(eml).toContain('text/calendar');
  });

  it('lets a practice admin add a webhook endpoint, see its delivery and redeliver it', async () => {
    const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
    const hooks: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
    try {
      const hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/careline`;
      const admin = await login(server.url, ADMIN_EMAIL, 'Webhook Practice admin');
      const me = await gql<{ me: { adminOf: Array<{ id: string }> } }>(server.url, '{ me { adminOf { id } } }', {}, admin.token);
      const practiceId = me.me.adminOf[0]!.id;

      const page = await signIn(admin);
      await page.getByRole('link', { name: 'Members' }).click();
      await page.getByLabel('Endpoint URL').fill(hookUrl);
      await page.getByRole('button', { name: 'Add endpoint' }).click();
      const secret = page.getByTestId('webhook-secret');
      await secret.waitFor({ timeout: WAIT_MS });
      expect(await secret.locator('code').textContent()).toMatch(/^whsec_/);

      const doctor = await joinPractice(server.url, admin, practiceId, 'DOCTOR', 'Dr. Hook');
      const patient = await register(server.url, 'PATIENT', 'Ada Hook');
      const startsAt = new Date(Math.ceil((Date.now() + 4 * 86_400_000) / 1_800_000) * 1_800_000).toISOString();
      await gql(
        server.url,
        'mutation ($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }',
        { input: { doctorId: doctor.id, startsAt } },
        patient.token,
      );
      await expect.poll(() => received.length, { timeout: WAIT_MS }).toBe(1);

      await page.getByRole('button', { name: 'Deliveries' }).click();
      const delivered = page.locator('tr[data-delivery-status="delivered"]');
      await expect
        .poll(
          async () => {
            await page.getByRole('button', { name: 'Refresh' }).click();
            return delivered.count();
          },
          { timeout: WAIT_MS },
        )
        .toBe(1);
      expect(await delivered.textContent()).toContain('appointment.booked');
      await page.getByRole('button', { name: 'Redeliver' }).first().click();
      await expect.poll(() => received.length, { timeout: WAIT_MS }).toBe(2);
      expect(received[1]!.headers['careline-event-id']).toBe(received[0]!.headers['careline-event-id']);
    } finally {
      hooks.closeAllConnections();
      await new Promise<void>((resolve) => hooks.close(() => resolve()));
    }
  });
});
