// What the front-desk browser tests share (live-board, front-desk): a server bootstrapped with one
// practice in a zone where it is around noon, its admin signed in through the API, a Chromium, and
// pages signed in as any member, each in its own context in the practice's zone (so the browser's
// "today" is the practice's day). Hooks for one test file; every context and the server are
// disposed, and a page error fails the running case.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { gql, login, PASSWORD, type Account } from './api';
import { CHROMIUM, CHROMIUM_ARGS, noonZone, WAIT_MS } from './browser-harness';
import { startServerProcess, type ServerProcess } from './server-process';

export interface PracticeHarness {
  /** The practice's (and every context's) IANA zone. */
  readonly zone: string;
  readonly server: ServerProcess;
  readonly admin: Account;
  readonly practiceId: string;
  /** A new context signed in as the account, at the dashboard's first page. */
  openAs(account: Account): Promise<Page>;
  /** A new context, signed out, at `path` of the dashboard. */
  openPage(path: string): Promise<Page>;
  /** Waits until the page's connection light says Live. */
  live(page: Page): Promise<void>;
}

/** Registers the hooks of one test file around a bootstrapped practice named `name`. */
export function usePracticeHarness(name: string, adminEmail: string): PracticeHarness {
  const zone = noonZone();
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  let admin: Account | undefined;
  let practiceId: string | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await startServerProcess({
      BOOTSTRAP_PRACTICE_NAME: name,
      BOOTSTRAP_ADMIN_EMAIL: adminEmail,
      BOOTSTRAP_ADMIN_PASSWORD: PASSWORD,
      BOOTSTRAP_PRACTICE_TIME_ZONE: zone,
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    admin = await login(server.url, adminEmail, `${name} admin`);
    const me = await gql<{ me: { adminOf: Array<{ id: string }> } }>(server.url, '{ me { adminOf { id } } }', {}, admin.token);
    practiceId = me.me.adminOf[0]!.id;
  });
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
    expect(pageErrors.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not started yet (use it inside a test or hook)`);
    return value;
  };
  const openPage = async (path: string): Promise<Page> => {
    const context = await started(browser, 'the browser').newContext({ viewport: { width: 1400, height: 900 }, timezoneId: zone });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${started(server, 'the server').url}${path}`);
    return page;
  };
  return {
    zone,
    get server() {
      return started(server, 'the server');
    },
    get admin() {
      return started(admin, 'the admin');
    },
    get practiceId() {
      return started(practiceId, 'the practice');
    },
    openPage,
    async openAs(account) {
      const page = await openPage('/');
      await page.getByLabel('Email').fill(account.email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      return page;
    },
    async live(page) {
      await expect.poll(() => page.locator('.connection').getAttribute('data-state'), { timeout: WAIT_MS }).toBe('live');
    },
  };
}
