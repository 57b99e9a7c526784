// Third-party apps in Chromium: a practice admin registers an app on the Apps page (its client id,
// and a confidential app's secret once), a patient allows it on the consent page (in the
// dashboard's style, keyboard and screen-reader friendly), then sees and revokes it under
// Connected apps; the admin then edits and deletes it. axe-core finds no WCAG 2.1 A/AA violation on any page.
import { createHash, randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { gql, PASSWORD, register, type Account } from './api';
import { axeViolations, useBrowserHarness, WAIT_MS } from './browser-harness';

const REDIRECT_URI = 'http://127.0.0.1:8765/callback';

describe('third-party apps in Chromium', () => {
  const harness = useBrowserHarness();

  async function signIn(account: Account): Promise<Page> {
    const page = await (await harness.newContext()).newPage();
    harness.watchConsole(page);
    await page.goto(harness.server.url);
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out', exact: true }).waitFor({ timeout: WAIT_MS });
    return page;
  }

  it('registers an app, lets a patient allow it on the consent page and revoke it, then edits and deletes it', async () => {
    const doctor = await register(harness.server.url, 'DOCTOR', `Dr. Apps ${Date.now().toString(36)}`);
    const patient = await register(harness.server.url, 'PATIENT', 'Paula Apps');

    // The admin's Apps page.
    const admin = await signIn(doctor);
    await admin.getByRole('link', { name: 'Apps' }).click();
    await admin.getByRole('heading', { name: 'Register an app' }).waitFor({ timeout: WAIT_MS });
    expect(await axeViolations(admin)).toEqual([]);
    await admin.getByLabel('Name').fill('Browser Scheduler');
    await admin.getByLabel('Redirect URIs (one per line)').fill(REDIRECT_URI);
    await admin.getByRole('checkbox', { name: /See the patient's appointments/ }).check();
    await admin.getByRole('checkbox', { name: /Confidential/ }).check();
    await admin.getByRole('button', { name: 'Register app' }).click();
    const registered = admin.getByTestId('registered-app');
    await registered.waitFor({ timeout: WAIT_MS });
    const clientId = await registered.locator('code').first().textContent();
    expect(clientId).toMatch(/^careline-/);
    const secret = await admin.getByTestId('app-secret').textContent();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The practice's registered apps, below the form: the new one, refreshed after registering (never its secret).
    const listed = admin.getByTestId('practice-apps').locator(`tr[data-client-id="${clientId}"]`);
    await listed.waitFor({ timeout: WAIT_MS });
    expect(await listed.getByRole('rowheader').textContent()).toBe('Browser Scheduler');
    expect(await listed.textContent()).toContain(REDIRECT_URI);
    expect(await listed.textContent()).toContain('patient/Appointment.rs');
    expect(await listed.textContent()).toContain('Confidential');
    expect(await axeViolations(admin)).toEqual([]);
    // Still listed after a reload, where the registration notice (and the secret) are gone.
    await admin.reload();
    await admin.getByRole('heading', { name: 'Registered apps' }).waitFor({ timeout: WAIT_MS });
    await listed.waitFor({ timeout: WAIT_MS });
    expect(await admin.getByTestId('registered-app').count()).toBe(0);
    expect(await admin.locator('body').textContent()).not.toContain(secret!);
    expect(await axeViolations(admin)).toEqual([]);

    // The patient allows it: the app's authorization request, with PKCE S256.
    const verifier = randomBytes(32).toString('base64url');
    const authorize = new URL('/oauth/auth', harness.server.url);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: clientId!,
      redirect_uri: REDIRECT_URI,
      scope: 'openid patient/Appointment.rs',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      state: 'browser-state',
    }).toString();
    const consent = await (await harness.newContext()).newPage();
    harness.watchConsole(consent);
    let callback: URL | undefined;
    await consent.route(`${REDIRECT_URI}**`, async (route) => {
      callback = new URL(route.request().url());
      await route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>App</title><p>Back in the app</p>' });
    });
    await consent.goto(authorize.href);
    await consent.getByRole('heading', { name: 'Allow Browser Scheduler to use your CareLine account?' }).waitFor({ timeout: WAIT_MS });
    // The dashboard's stylesheet: its accent colour on the Allow button.
    expect(await consent.locator('link[rel="stylesheet"]').count()).toBe(1);
    expect(await consent.getByRole('button', { name: 'Allow' }).evaluate((button) => getComputedStyle(button).backgroundColor)).toBe(
      'rgb(11, 110, 110)',
    );
    expect(await consent.getByText('See your appointments').count()).toBe(1);
    expect(await axeViolations(consent)).toEqual([]);
    // From the keyboard: the fields are labelled, the focus ring shows.
    await consent.getByLabel('Email').fill(patient.email);
    await consent.getByLabel('Password').fill(PASSWORD);
    await consent.keyboard.press('Tab');
    expect(await consent.evaluate(() => document.activeElement?.id)).toBe('otp');
    await consent.getByRole('button', { name: 'Allow' }).click();
    await consent.getByText('Back in the app').waitFor({ timeout: WAIT_MS });
    expect(callback?.searchParams.get('state')).toBe('browser-state');
    expect(callback?.searchParams.get('code')).toBeTruthy();

    // Connected apps on the patient's account page, and revoking it.
    const own = await signIn(patient);
    await own.getByRole('link', { name: 'Account' }).click();
    await own.getByRole('heading', { name: 'Connected apps' }).waitFor({ timeout: WAIT_MS });
    await own.getByTestId('connected-apps').getByText('Browser Scheduler').waitFor({ timeout: WAIT_MS });
    expect(await axeViolations(own)).toEqual([]);
    await own.getByRole('button', { name: 'Revoke Browser Scheduler' }).click();
    await own.getByText('No app can act for you.').waitFor({ timeout: WAIT_MS });
    const left = await gql<{ myAuthorizedApps: unknown[] }>(harness.server.url, '{ myAuthorizedApps { appId } }', {}, patient.token);
    expect(left.myAuthorizedApps).toEqual([]);

    // The admin edits the app (a new name, one scope fewer), then deletes it after confirming.
    await admin.getByRole('button', { name: 'Edit Browser Scheduler' }).click();
    const edit = admin.getByTestId('edit-app');
    await edit.waitFor({ timeout: WAIT_MS });
    expect(await axeViolations(admin)).toEqual([]);
    await edit.getByLabel('New name').fill('Browser Planner');
    await edit.getByRole('checkbox', { name: /See the patient's appointments/ }).uncheck();
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await listed.getByRole('rowheader', { name: 'Browser Planner' }).waitFor({ timeout: WAIT_MS });
    expect(await edit.count()).toBe(0);
    expect(await listed.textContent()).not.toContain('patient/Appointment.rs');
    await admin.getByRole('button', { name: 'Delete Browser Planner' }).click();
    await admin.getByTestId('delete-app').waitFor({ timeout: WAIT_MS });
    expect(await axeViolations(admin)).toEqual([]);
    await admin.getByRole('button', { name: 'Delete Browser Planner for good' }).click();
    await listed.waitFor({ state: 'detached', timeout: WAIT_MS });
    expect(await admin.getByTestId('delete-app').count()).toBe(0);
  });
});
