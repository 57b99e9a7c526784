// The bundled GraphiQL playground in real Chromium against a real server: it loads under the
// strict Content-Security-Policy, runs a subscription with the signed-in Authorization header and
// keeps the token nowhere; a stale stored token sends the visitor back to sign in. Each case makes
// its own accounts, so any one runs alone.
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { gql, register, type Account } from './api';
import { bookingDay, RESULTS_DIR, useBrowserHarness, WAIT_MS } from './browser-harness';

describe('the GraphiQL playground in Chromium', () => {
  const harness = useBrowserHarness();
  const { newContext, watchConsole } = harness;
  const day = bookingDay();
  let doctor: Account;

  beforeEach(async () => {
    doctor = await register(harness.server.url, 'DOCTOR', `Dr. Ada Lovelace ${randomUUID().slice(0, 6)}`);
  });

  it('opens the GraphiQL playground at /graphql with the schema loaded', async () => {
    const context = await newContext();
    const page = await context.newPage();
    watchConsole(page);
    const response = await page.goto(`${harness.server.url}/graphql`);
    // Served under the strict policy (checked, so "no violation" below means something).
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await page.locator('.graphiql-container').waitFor({ timeout: WAIT_MS });
    await page.getByRole('button', { name: /Show Documentation Explorer/i }).click();
    await page.getByText('Query', { exact: true }).first().waitFor({ timeout: WAIT_MS });
    await page.screenshot({ path: path.join(RESULTS_DIR, 'playground.png') });
  });

  it('runs a patientAdded subscription in the playground with the signed-in Authorization header', async () => {
    const context = await newContext();
    // As if opened with the header's "API playground" link from the doctor's signed-in tab.
    await context.addInitScript((token) => {
      window.sessionStorage.setItem('careline.session', JSON.stringify({ token, userId: 'x', role: 'DOCTOR', name: 'Doctor' }));
    }, doctor.token);
    const page = await context.newPage();
    watchConsole(page);
    const query = 'subscription Live($doctorId: ID!) { patientAdded(doctorId: $doctorId) { firstVisit patient { name } } }';
    await page.goto(
      `${harness.server.url}/graphql?query=${encodeURIComponent(query)}&variables=${encodeURIComponent(JSON.stringify({ doctorId: doctor.id }))}`,
    );
    await page.locator('.graphiql-container').waitFor({ timeout: WAIT_MS });
    // The editors load asynchronously and a click before they hold the query runs nothing: click
    // Execute until the button turns into Stop (the subscription is running).
    const stop = page.getByRole('button', { name: /Stop/i });
    await expect
      .poll(
        async () => {
          if (await stop.isVisible()) return true;
          await page.getByRole('button', { name: /Execute query/i }).click();
          return stop.isVisible();
        },
        { timeout: WAIT_MS, interval: 500 },
      )
      .toBe(true);

    const latecomer = await register(harness.server.url, 'PATIENT', 'Barbara Liskov');
    // The page cannot tell when its subscription is live: book (a new slot each time) until an
    // event shows up. Monaco renders spaces as no-break spaces, hence the normalising.
    let slot = 0;
    await expect
      .poll(
        async () => {
          const shown = ((await page.locator('.graphiql-response').textContent()) ?? '').replace(/\s+/g, ' ');
          if (!shown.includes('Barbara Liskov')) {
            slot += 1;
            const startsAt = new Date(day.getTime() + (15 + slot) * 3_600_000).toISOString();
            await gql(
              harness.server.url,
              'mutation ($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }',
              { input: { doctorId: doctor.id, startsAt } },
              latecomer.token,
            );
          }
          return shown;
        },
        { timeout: WAIT_MS, interval: 500 },
      )
      .toContain('Barbara Liskov');
    await page.screenshot({ path: path.join(RESULTS_DIR, 'playground-subscription.png') });

    // The playground kept its tabs for this browser tab only, and the bearer token nowhere.
    const stored = await page.evaluate(() => ({
      local: Object.fromEntries(Object.entries(window.localStorage)),
      graphiql: Object.fromEntries(Object.entries(window.sessionStorage).filter(([key]) => key.startsWith('graphiql'))),
    }));
    expect(Object.keys(stored.graphiql).length).toBeGreaterThan(0);
    expect(JSON.stringify(stored.local)).not.toContain(doctor.token);
    expect(Object.keys(stored.local).filter((key) => key.startsWith('graphiql'))).toEqual([]);
    expect(JSON.stringify(stored.graphiql)).not.toContain(doctor.token);
  });

  it('sends a visitor whose stored token the server refuses back to sign in, with a notice', async () => {
    const context = await newContext();
    await context.addInitScript(() => {
      window.sessionStorage.setItem(
        'careline.session',
        JSON.stringify({ token: 'not-a-valid-token', userId: 'x', role: 'DOCTOR', name: 'Stale' }),
      );
    });
    const page = await context.newPage();
    watchConsole(page);
    await page.goto(`${harness.server.url}/dashboard`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: WAIT_MS });
    expect(await page.getByText('Your session has expired').count()).toBe(1);
  });
});
