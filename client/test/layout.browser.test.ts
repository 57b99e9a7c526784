// The visual check: every page, as each role sees it (the demo practice's data), at 1366 px and at
// 390 px (a phone, in dark mode so both colour schemes are covered), checked by script for layout
// breakage (the page scrolling sideways, interactive controls overlapping, visible controls of zero
// size) and by axe-core for WCAG 2.1 A and AA, with zero violations allowed. Screenshots land in
// client/test-results/layout/ (git-ignored) for a person to look at.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, CHROMIUM, CHROMIUM_ARGS, RESULTS_DIR, WAIT_MS } from './browser-harness';
import { startServerProcess, type ServerProcess } from './server-process';

const SHOTS = path.join(RESULTS_DIR, 'layout');
const VIEWPORTS = [
  { name: 'desktop', width: 1366, height: 900, colorScheme: 'light' },
  { name: 'phone', width: 390, height: 844, colorScheme: 'dark' },
] as const;

/** A demo login button on the sign-in page (SEED_DEMO=true lists them). */
type DemoLogin = RegExp | null;

interface Screen {
  readonly name: string;
  readonly as: DemoLogin;
  /** Goes to the page and brings it into the state to check. */
  open(page: Page): Promise<void>;
}

const nav = (name: string) => async (page: Page) => {
  await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name, exact: true }).click();
};

const SCREENS: readonly Screen[] = [
  { name: 'sign-in', as: null, open: async (page) => void (await page.getByRole('heading', { name: 'Sign in' }).waitFor()) },
  {
    name: 'register',
    as: null,
    open: async (page) => {
      await page.getByRole('link', { name: /Create an account/ }).click();
      await page.getByRole('heading', { name: /Create an account/ }).waitFor();
    },
  },
  {
    name: 'dashboard',
    as: /Dr\. Maya Chen/,
    open: async (page) => {
      await expect.poll(() => page.locator('.connection').getAttribute('data-state'), { timeout: WAIT_MS }).toBe('live');
      await page.locator('tr[data-patient-id]').first().waitFor();
    },
  },
  {
    name: 'patient-detail',
    as: /Dr\. Maya Chen/,
    open: async (page) => {
      await page.locator('tr[data-patient-id] .patient-name').first().click();
      await page.getByRole('dialog').getByRole('heading', { name: 'Vitals', exact: true }).waitFor();
    },
  },
  { name: 'doctor-account', as: /Dr\. Maya Chen/, open: nav('Account') },
  {
    // Enrollment started, not confirmed: the demo doctor still signs in with a password.
    name: 'two-step-setup',
    as: /Dr\. Maya Chen/,
    open: async (page) => {
      await nav('Account')(page);
      await page.getByRole('link', { name: 'Set up or turn off two-step verification' }).click();
      await page.getByRole('button', { name: 'Set up two-step verification' }).click();
      await page.getByRole('img', { name: /QR code/ }).waitFor();
    },
  },
  {
    name: 'working-hours',
    as: /Dr\. Maya Chen/,
    open: async (page) => {
      await nav('Working hours')(page);
      await page.getByRole('heading', { name: 'Weekly hours' }).waitFor();
    },
  },
  {
    name: 'book',
    as: /Alice Martin/,
    open: async (page) => void (await page.getByRole('heading', { name: 'Your upcoming appointments' }).waitFor()),
  },
  {
    name: 'book-errors',
    as: /Alice Martin/,
    open: async (page) => {
      await page.getByLabel('Date').fill('2020-01-01');
      await page.getByRole('button', { name: 'Book', exact: true }).click();
      await page.locator('.field-error').first().waitFor();
    },
  },
  { name: 'access-log', as: /Alice Martin/, open: nav('Who saw my data') },
  { name: 'patient-account', as: /Alice Martin/, open: nav('Account') },
  {
    name: 'desk',
    as: /Sam Rivera/,
    open: async (page) => {
      await expect.poll(() => page.locator('.connection').getAttribute('data-state'), { timeout: WAIT_MS }).toBe('live');
    },
  },
  { name: 'members', as: /Priya Shah/, open: nav('Members') },
  {
    name: 'analytics',
    as: /Priya Shah/,
    open: async (page) => {
      await nav('Analytics')(page);
      await page.getByTestId('kpis').waitFor({ timeout: WAIT_MS });
      await page.getByTestId('today-board').locator('.kpi').first().waitFor({ timeout: WAIT_MS });
    },
  },
  {
    // The practice admin keeps any doctor's hours: the doctor picker and the practice's setting.
    name: 'admin-working-hours',
    as: /Priya Shah/,
    open: async (page) => {
      await nav('Working hours')(page);
      await page.getByLabel('Doctor', { exact: true }).selectOption({ label: 'Dr. Daniel Okafor' });
      await page.getByRole('heading', { name: 'Weekly hours' }).waitFor();
    },
  },
];

interface Breakage {
  readonly overflow: string | null;
  readonly overlapping: string[];
  readonly zeroSize: string[];
}

/** Runs in the page: what a person would see as broken layout. */
function findBreakage(): Breakage {
  const describe = (element: Element) =>
    `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}[${(element.textContent ?? '').trim().slice(0, 30) || element.getAttribute('aria-label') || ''}]`;
  const width = document.documentElement.clientWidth;
  const scrollWidth = document.documentElement.scrollWidth;
  let overflow: string | null = null;
  if (scrollWidth > width) {
    const widest = [...document.body.querySelectorAll('*')].find((element) => element.getBoundingClientRect().right > width + 1);
    overflow = `page is ${scrollWidth} px wide in a ${width} px viewport (first beyond: ${widest ? describe(widest) : '?'})`;
  }
  // Behind an open modal dialog the page is inert: only the dialog's controls can be reached.
  const scope: ParentNode = document.querySelector('dialog:modal') ?? document;
  const controls = [
    ...scope.querySelectorAll('a[href], button, input, select, textarea, [role="button"], [tabindex]:not([tabindex="-1"])'),
  ];
  const visible = controls.filter((element) =>
    element.checkVisibility({ opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true }),
  );
  const zeroSize = visible
    .filter((element) => {
      const box = element.getBoundingClientRect();
      return box.width === 0 || box.height === 0;
    })
    .map(describe);
  const boxes = visible
    .map((element) => ({ element, box: element.getBoundingClientRect() }))
    .filter(({ box }) => box.width > 0 && box.height > 0);
  const overlapping: string[] = [];
  for (let i = 0; i < boxes.length; i += 1) {
    for (let j = i + 1; j < boxes.length; j += 1) {
      const [a, b] = [boxes[i]!, boxes[j]!];
      if (a.element.contains(b.element) || b.element.contains(a.element)) continue;
      const across = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
      const down = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
      if (across > 2 && down > 2) overlapping.push(`${describe(a.element)} × ${describe(b.element)}`);
    }
  }
  return { overflow, overlapping, zeroSize };
}

describe('every page at 1366 px and 390 px: no layout breakage, no WCAG 2.1 AA violation', () => {
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    server = await startServerProcess({ SEED_DEMO: 'true' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  for (const viewport of VIEWPORTS) {
    it(`lays out every page at ${viewport.width} px (${viewport.colorScheme})`, async () => {
      const failures: string[] = [];
      let signedInAs: DemoLogin | undefined;
      let context = await browser.newContext({ viewport, colorScheme: viewport.colorScheme, reducedMotion: 'reduce' });
      let page = await context.newPage();
      page.setDefaultTimeout(WAIT_MS);
      const consoleErrors: string[] = [];
      // The playground's code (GraphiQL, Monaco) loads only at /graphql, never with these pages.
      const playgroundLoads: string[] = [];
      const watch = (target: Page) => {
        target.on('pageerror', (error) => consoleErrors.push(error.message));
        target.on('request', (request) => {
          if (/\/assets\/(playground|monaco|graphql\.worker|editor\.worker)/.test(request.url())) playgroundLoads.push(request.url());
        });
      };
      watch(page);
      try {
        for (const screen of SCREENS) {
          if (screen.as !== signedInAs) {
            // A fresh context per person: nothing of the last one's session stays.
            await context.close();
            context = await browser.newContext({ viewport, colorScheme: viewport.colorScheme, reducedMotion: 'reduce' });
            page = await context.newPage();
            page.setDefaultTimeout(WAIT_MS);
            watch(page);
            await page.goto(server.url);
            if (screen.as) await page.getByRole('button', { name: screen.as }).click();
            signedInAs = screen.as;
          }
          try {
            await screen.open(page);
          } catch (error) {
            failures.push(`${screen.name}: could not open (${String(error).split('\n')[0]})`);
            await page.screenshot({ path: path.join(SHOTS, `${screen.name}-${viewport.name}-failed.png`), fullPage: true });
            signedInAs = undefined; // start the next screen afresh
            continue;
          }
          await page.mouse.move(0, 0);
          const breakage = await page.evaluate(findBreakage);
          if (breakage.overflow) failures.push(`${screen.name}: ${breakage.overflow}`);
          for (const pair of breakage.overlapping) failures.push(`${screen.name}: overlapping ${pair}`);
          for (const control of breakage.zeroSize) failures.push(`${screen.name}: zero-size ${control}`);
          const violations = await axeViolations(page);
          for (const violation of violations) failures.push(`${screen.name}: axe ${violation}`);
          await page.screenshot({ path: path.join(SHOTS, `${screen.name}-${viewport.name}.png`), fullPage: true });
        }
      } finally {
        await context.close();
      }
      expect(failures).toEqual([]);
      expect(consoleErrors).toEqual([]);
      expect(playgroundLoads).toEqual([]);
    }, 300_000);
  }
});
