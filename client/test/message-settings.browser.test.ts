// Appointment message settings in real Chromium: a patient chooses texts, is told which of phone
// and consent is missing, saves a number that the server keeps in E.164, and the page passes axe.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { gql, PASSWORD, register } from './api';
import { axeViolations, useBrowserHarness, WAIT_MS } from './browser-harness';

describe('message settings in Chromium', () => {
  const harness = useBrowserHarness();

  async function accountPage(email: string): Promise<Page> {
    const page = await (await harness.newContext()).newPage();
    harness.watchConsole(page);
    await page.goto(harness.server.url);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Account' }).waitFor({ timeout: WAIT_MS });
    await page.goto(`${harness.server.url}/account`);
    await page.getByRole('heading', { name: 'Appointment messages' }).waitFor({ timeout: WAIT_MS });
    return page;
  }

  it('lets a patient choose texts once phone and consent are given, and keeps them', async () => {
    const patient = await register(harness.server.url, 'PATIENT', 'Grace Hopper');
    const page = await accountPage(patient.email);
    const email = page.getByRole('checkbox', { name: 'Email' });
    await email.waitFor({ timeout: WAIT_MS });
    expect(await email.isChecked()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('checkbox', { name: 'Text message (SMS)' }).check();
    await page.getByRole('button', { name: 'Save message settings' }).click();
    await page.locator('#messages-phone-error').waitFor({ timeout: WAIT_MS });

    await page.getByLabel('Mobile phone, with country code').fill('+1 (415) 555-2671');
    await page.getByRole('button', { name: 'Save message settings' }).click();
    await page.locator('#messages-smsConsent-error').waitFor({ timeout: WAIT_MS });
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('checkbox', { name: /I agree to receive appointment texts/ }).check();
    await page.getByRole('button', { name: 'Save message settings' }).click();
    await page.getByTestId('message-settings-saved').waitFor({ timeout: WAIT_MS });
    const saved = await gql<{ me: { phone: string; notificationChannels: string[]; smsConsentAt: string | null } }>(
      harness.server.url,
      '{ me { phone notificationChannels smsConsentAt } }',
      {},
      patient.token,
    );
    expect(saved.me.phone).toBe('+14155552671');
    expect(saved.me.notificationChannels).toEqual(['EMAIL', 'SMS']);
    expect(saved.me.smsConsentAt).not.toBeNull();

    await page.reload();
    const phone = page.getByLabel('Mobile phone, with country code');
    await page.getByRole('checkbox', { name: 'Text message (SMS)' }).waitFor({ timeout: WAIT_MS });
    await expect.poll(() => phone.inputValue(), { timeout: WAIT_MS }).toBe('+14155552671');
    expect(await page.getByRole('checkbox', { name: 'Text message (SMS)' }).isChecked()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
  });
});
