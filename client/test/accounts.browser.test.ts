// Accounts in real Chromium against a real server with 10-second tokens: the dashboard renews its
// token and stays live, Sign out really ends the session, "Sign out everywhere" and a password
// change sign the other tabs out, and a patient sees who read their data. Each case stands alone.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { gql, PASSWORD, register, type Account } from './api';
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
/** A token lives 10 s here: long enough for the renewal at ~6.7 s and the first token's expiry. */
const TOKEN_LIFE_WAIT_MS = 25_000;

const ME = '{ me { id } }';

describe('sessions, password and the access log in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    server = await startServerProcess({ JWT_EXPIRES_IN: '10s' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  async function signIn(account: Account, password = PASSWORD): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('console', (message) => {
      // A refused token (4401, UNAUTHENTICATED) is what these tests provoke; Chromium logs the failed fetch.
      if (message.type() === 'error' && !/status of 401|WebSocket/.test(message.text())) consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.goto(server.url);
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out', exact: true }).waitFor({ timeout: WAIT_MS });
    return page;
  }

  const storedToken = (page: Page) =>
    page.evaluate(() => JSON.parse(window.sessionStorage.getItem('careline.session') ?? '{}').token as string | undefined);
  /** UNAUTHENTICATED or OK for a token, asked over HTTP as any client would. */
  const statusOf = async (token: string) =>
    gql(server.url, ME, {}, token).then(
      () => 'OK',
      (error: Error) => (/UNAUTHENTICATED/.test(error.message) ? 'UNAUTHENTICATED' : error.message),
    );
  /** A token of a new sign-in (registration tokens expire after 10 s here). */
  const tokenOf = async (account: Account, password = PASSWORD) =>
    (
      await gql<{ login: { token: string } }>(
        server.url,
        'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
        { e: account.email, p: password },
      )
    ).login.token;

  it('Sign out ends the session on the server: its token is refused afterwards', async () => {
    const patient = await register(server.url, 'PATIENT', 'Rosalind Franklin');
    const page = await signIn(patient);
    const token = await storedToken(page);
    expect(await statusOf(token!)).toBe('OK');
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: WAIT_MS });
    await expect.poll(() => statusOf(token!), { timeout: WAIT_MS }).toBe('UNAUTHENTICATED');
  });

  it('Sign out everywhere signs out the doctor’s open dashboard in another browser', async () => {
    const doctor = await register(server.url, 'DOCTOR', 'Dr. Barbara McClintock');
    const dashboard = await signIn(doctor);
    await expect.poll(() => dashboard.locator('.connection').getAttribute('data-state'), { timeout: WAIT_MS }).toBe('live');
    const other = await signIn(doctor);
    await other.getByRole('link', { name: 'Account' }).click();
    await other.getByRole('button', { name: 'Sign out everywhere' }).click();
    await other.getByText('You were signed out everywhere').waitFor({ timeout: WAIT_MS });
    await dashboard.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: WAIT_MS });
    expect(await dashboard.getByText('Your session has expired or was ended').count()).toBe(1);
  });

  it('changes the password: a wrong current one is explained at its field; then other sessions end and this tab goes on', async () => {
    const patient = await register(server.url, 'PATIENT', 'Katherine Johnson');
    const otherToken = await tokenOf(patient);
    const page = await signIn(patient);
    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByLabel('Current password').fill('not my password');
    await page.getByLabel('New password').fill('an even better password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.locator('#account-currentPassword-error').waitFor({ timeout: WAIT_MS });
    expect(await page.getByLabel('Current password').getAttribute('aria-describedby')).toBe('account-currentPassword-error');

    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed').waitFor({ timeout: WAIT_MS });
    expect(await statusOf(otherToken)).toBe('UNAUTHENTICATED');
    expect(await statusOf((await storedToken(page))!)).toBe('OK');
    // The tab goes on with the new token: the next page loads its data (this server has no doctor
    // with working hours, so the booking page shows the patient's own appointments only).
    await page.getByRole('link', { name: 'Book' }).click();
    await page.getByRole('heading', { name: 'Your upcoming appointments' }).waitFor({ timeout: WAIT_MS });
    await page.getByText('No upcoming appointments.').waitFor({ timeout: WAIT_MS });
    expect(await statusOf(await tokenOf(patient, 'an even better password'))).toBe('OK');
  });

  it('renews its token before expiry and the dashboard stays live past the first token’s life', async () => {
    const doctor = await register(server.url, 'DOCTOR', 'Dr. Chien-Shiung Wu');
    const dashboard = await signIn(doctor);
    await expect.poll(() => dashboard.locator('.connection').getAttribute('data-state'), { timeout: WAIT_MS }).toBe('live');
    const first = (await storedToken(dashboard))!;
    // The dashboard renews only while the user interacts: someone is at the keyboard.
    const interacting = async <T>(read: () => Promise<T>) => {
      await dashboard.keyboard.press('Shift');
      return read();
    };
    await expect.poll(() => interacting(() => storedToken(dashboard)), { timeout: TOKEN_LIFE_WAIT_MS }).not.toBe(first);
    await expect.poll(() => interacting(() => statusOf(first)), { timeout: TOKEN_LIFE_WAIT_MS }).toBe('UNAUTHENTICATED');

    // The socket opened with the first token still delivers: a booking appears live.
    const patient = await register(server.url, 'PATIENT', 'Lise Meitner');
    await gql(
      server.url,
      'mutation ($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }',
      {
        input: { doctorId: doctor.id, startsAt: new Date(Date.now() + 3 * 86_400_000).toISOString(), reason: 'After renewal' },
      },
      patient.token,
    );
    await dashboard.locator(`tr[data-patient-id="${patient.id}"]`).waitFor({ timeout: WAIT_MS });
    expect(await dashboard.locator('.connection').getAttribute('data-state')).toBe('live');
    expect(await dashboard.getByRole('heading', { name: 'Sign in' }).count()).toBe(0);
  });

  it('does not renew an untouched tab: when its token runs out it shows sign-in, saying why', async () => {
    const doctor = await register(server.url, 'DOCTOR', 'Dr. Dorothy Hodgkin');
    const dashboard = await signIn(doctor);
    const first = (await storedToken(dashboard))!;
    await dashboard.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: TOKEN_LIFE_WAIT_MS });
    expect(await dashboard.getByText('You were signed out after a period of inactivity').count()).toBe(1);
    expect(await storedToken(dashboard)).toBeUndefined();
    expect(await statusOf(first)).toBe('UNAUTHENTICATED');
  });

  it('shows the patient "Who saw my data" with the doctor who read their vitals', async () => {
    const doctor = await register(server.url, 'DOCTOR', 'Dr. Virginia Apgar');
    const patient = await register(server.url, 'PATIENT', 'Dorothy Hodgkin');
    await gql(
      server.url,
      'mutation ($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }',
      {
        input: { doctorId: doctor.id, startsAt: new Date(Date.now() + 4 * 86_400_000).toISOString() },
      },
      patient.token,
    );
    await gql(server.url, 'query ($p: ID!) { patientVitals(patientId: $p) { id } }', { p: patient.id }, await tokenOf(doctor));
    const page = await signIn(patient);
    await page.getByRole('link', { name: 'Who saw my data' }).click();
    const row = page.locator('[data-testid="access-log"] tr[data-action="vitals.read"]');
    await row.waitFor({ timeout: WAIT_MS });
    expect(await row.textContent()).toMatch(/Dr\. Virginia Apgar \(doctor\)read your vitals/);
  });

  it('logged no errors in the browser console', () => {
    expect(consoleErrors).toEqual([]);
  });
});
