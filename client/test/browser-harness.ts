// What every Chromium test of the dashboard shares: Debian's Chromium with the flags this machine
// needs, a real server process, and per-case browser contexts whose console errors and
// Content-Security-Policy violations fail the case (checked after each case, so cases stay
// independent of each other's order).
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { startServerProcess, type ServerProcess } from './server-process';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
export const RESULTS_DIR = path.resolve(import.meta.dirname, '..', 'test-results');
export const WAIT_MS = 10_000;
/** The browser's zone: the dashboard shows local times, the tests compute them in the same zone. */
export const TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** An IANA zone where it is around noon now: "today" has hours left for bookings, whatever the clock says. */
export function noonZone(now = new Date()): string {
  const hours = Math.max(-12, Math.min(14, 12 - now.getUTCHours()));
  return hours === 0 ? 'Etc/UTC' : hours > 0 ? `Etc/GMT-${hours}` : `Etc/GMT+${-hours}`;
}

/** A day well ahead, local midnight, so the booked slots are valid and never collide with another run. */
export function bookingDay(): Date {
  const day = new Date(Date.now() + (2 + Math.floor(Math.random() * 300)) * 86_400_000);
  return new Date(day.getFullYear(), day.getMonth(), day.getDate());
}

const axeSource: string = (createRequire(import.meta.url)('axe-core') as { source: string }).source;
/** The accessibility bar: WCAG 2.1 A and AA. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** axe-core's WCAG 2.1 A/AA violations on the page as it is now, one line each (none: []). */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async (tags) => {
    interface AxeResults {
      violations: Array<{ id: string; help: string; nodes: Array<{ target: unknown[] }> }>;
    }
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe;
    const results = await axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      // Experimental in axe, asked for by name: a visible label that is not part of the accessible name.
      rules: { 'label-content-name-mismatch': { enabled: true } },
      resultTypes: ['violations'],
    });
    return results.violations.map((v) => `${v.id} (${v.help}): ${v.nodes.map((node) => JSON.stringify(node.target)).join(', ')}`);
  }, WCAG_TAGS);
}

export interface BrowserHarness {
  readonly server: ServerProcess;
  readonly browser: Browser;
  /** A context whose pages report CSP violations to the running case; closed after it. */
  newContext(): Promise<BrowserContext>;
  /** Console errors and uncaught exceptions of this page fail the running case. */
  watchConsole(page: Page): void;
}

/**
 * Registers the hooks of one test file: a server (with `serverOverrides` for its environment)
 * and a browser for the file, checks after each case.
 */
export function useBrowserHarness(serverOverrides: Record<string, string> = {}): BrowserHarness {
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  let consoleErrors: string[] = [];
  let cspViolations: string[] = [];

  beforeAll(async () => {
    await mkdir(RESULTS_DIR, { recursive: true });
    server = await startServerProcess(serverOverrides);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
    const [errors, violations] = [consoleErrors, cspViolations];
    consoleErrors = [];
    cspViolations = [];
    expect(errors, 'errors in the browser console').toEqual([]);
    expect(violations, 'Content-Security-Policy violations').toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not started yet (use it inside a test or hook)`);
    return value;
  };
  return {
    get server() {
      return started(server, 'the server');
    },
    get browser() {
      return started(browser, 'the browser');
    },
    async newContext() {
      const context = await started(browser, 'the browser').newContext({ viewport: { width: 1280, height: 800 }, timezoneId: TIME_ZONE });
      contexts.push(context);
      await context.exposeBinding('reportCspViolation', ({ page }, text: string) => cspViolations.push(`${page.url()}: ${text}`));
      await context.addInitScript(() => {
        const report = (window as unknown as { reportCspViolation: (text: string) => void }).reportCspViolation;
        document.addEventListener('securitypolicyviolation', (event) =>
          report(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`),
        );
      });
      return context;
    },
    watchConsole(page) {
      page.on('console', (message) => {
        // While the server is down Chromium itself logs each refused WebSocket attempt: that is the
        // reconnect working, not an application error.
        if (message.type() === 'error' && !/WebSocket connection to .* failed/.test(message.text())) consoleErrors.push(message.text());
      });
      page.on('pageerror', (error) => consoleErrors.push(error.message));
    },
  };
}
