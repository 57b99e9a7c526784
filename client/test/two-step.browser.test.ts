// Two-step verification in real Chromium, on a server whose doctors must use it: a doctor without
// it is held on the set-up page, scans (reads) the key, turns it on and reaches the dashboard; the
// next sign-in asks for a code, refuses a wrong one, and accepts a recovery code once.
import { generate } from 'otplib';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PASSWORD, register } from './api';
import { axeViolations, useBrowserHarness, WAIT_MS } from './browser-harness';

describe('two-step verification in Chromium', () => {
  const harness = useBrowserHarness({ MFA_REQUIRED_ROLES: 'DOCTOR' });

  async function openSignIn(): Promise<Page> {
    const page = await (await harness.newContext()).newPage();
    harness.watchConsole(page);
    await page.goto(harness.server.url);
    return page;
  }

  async function enterPassword(page: Page, email: string) {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it('holds a doctor on set-up until two-step verification is on, then asks for a code at each sign-in', async () => {
    const doctor = await register(harness.server.url, 'DOCTOR', 'Dr. Ada Lovelace', { anyTime: false });
    const page = await openSignIn();
    await enterPassword(page, doctor.email);

    // Held: only the set-up page, whatever the address asks for.
    await page.getByRole('heading', { name: 'Two-step verification', level: 1 }).waitFor({ timeout: WAIT_MS });
    await expect.poll(() => new URL(page.url()).pathname).toBe('/security');
    await page.goto(`${harness.server.url}/dashboard`);
    await page.getByText('Your clinic requires two-step verification').waitFor({ timeout: WAIT_MS });
    expect(new URL(page.url()).pathname).toBe('/security');
    expect(await page.getByRole('navigation', { name: 'Account' }).getByRole('link').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Set up two-step verification' }).click();
    await page.getByRole('img', { name: /QR code/ }).waitFor({ timeout: WAIT_MS });
    const secret = (await page.locator('.two-step__secret').innerText()).replace(/\s/g, '');
    const recoveryCodes = await page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').allInnerTexts();
    expect(recoveryCodes).toHaveLength(10);

    await page.getByLabel('Code from the app').fill('000000');
    await page.getByRole('button', { name: 'Turn on two-step verification' }).click();
    await page.getByRole('alert').getByText('That code is not right').waitFor({ timeout: WAIT_MS });
    await page.getByLabel('Code from the app').fill(await generate({ secret }));
    await page.getByRole('button', { name: 'Turn on two-step verification' }).click();
    await page.getByRole('heading', { name: 'Patients', exact: true }).waitFor({ timeout: WAIT_MS });
    expect(new URL(page.url()).pathname).toBe('/dashboard');

    // The next sign-in: password, then a code. A wrong code is refused; a recovery code works once.
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await enterPassword(page, doctor.email);
    const code = page.getByLabel('Code from your authenticator app, or a recovery code');
    await code.waitFor({ timeout: WAIT_MS });
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('signin-code');
    await code.fill('123456');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('alert').getByText('That code is not right').waitFor({ timeout: WAIT_MS });
    expect(await axeViolations(page)).toEqual([]);
    await code.fill(recoveryCodes[0]!.trim());
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { name: 'Patients', exact: true }).waitFor({ timeout: WAIT_MS });
  }, 120_000);
});
