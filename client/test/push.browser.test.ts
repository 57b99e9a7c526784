// Web Push in real Chromium: a doctor turns push on on the account page (Notification permission,
// the service worker, registerPushSubscription), a push delivered to the worker through CDP
// (ServiceWorker.deliverPushMessage, no push service involved) becomes a notification and a word to
// the open tab, a click on it sends the tab to the appointment's page, and signing out withdraws
// the subscription. Headless Chromium has no push service to subscribe with offline (it would ask
// Google's), so the page's PushManager hands out a subscription of the test's making; everything
// after it (the worker, the notification, the click, the server's mutations) is the real thing.
import { createECDH } from 'node:crypto';
import type { BrowserContext, Page, Worker } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PASSWORD, register, type Account } from './api';
import { axeViolations, useBrowserHarness, WAIT_MS } from './browser-harness';

function vapidKeys(): { publicKey: string; privateKey: string } {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { publicKey: ecdh.getPublicKey().toString('base64url'), privateKey: ecdh.getPrivateKey().toString('base64url') };
}

const keys = vapidKeys();
const harness = useBrowserHarness({
  VAPID_PUBLIC_KEY: keys.publicKey,
  VAPID_PRIVATE_KEY: keys.privateKey,
  VAPID_SUBJECT: 'mailto:ops@clinic.example',
  WEBHOOK_ALLOW_PRIVATE: 'true',
});

/** What the test's PushManager hands out: a subscription at a made-up push service (loopback, allowed here). */
const FAKE_SUBSCRIPTION = {
  endpoint: 'https://localhost:9/push/browser-test',
  keys: { p256dh: vapidKeys().publicKey, auth: Buffer.alloc(16, 7).toString('base64url') },
};

async function fakePushManager(context: BrowserContext): Promise<void> {
  await context.addInitScript((subscription) => {
    let current: PushSubscription | null = null;
    const make = (key: ArrayBuffer | null): PushSubscription =>
      ({
        endpoint: subscription.endpoint,
        expirationTime: null,
        options: { userVisibleOnly: true, applicationServerKey: key },
        toJSON: () => ({ endpoint: subscription.endpoint, expirationTime: null, keys: subscription.keys }),
        unsubscribe: async () => {
          current = null;
          return true;
        },
        getKey: () => null,
      }) as unknown as PushSubscription;
    PushManager.prototype.subscribe = async function (options?: PushSubscriptionOptionsInit) {
      const key = options?.applicationServerKey;
      current = make(key instanceof Uint8Array ? new Uint8Array(key).buffer : null);
      return current;
    };
    PushManager.prototype.getSubscription = async function () {
      return current;
    };
  }, FAKE_SUBSCRIPTION);
}

/** Answers of the page's GraphQL mutations, by operation name, as the server sent them. */
function recordMutations(page: Page): Map<string, unknown[]> {
  const seen = new Map<string, unknown[]>();
  page.on('response', (response) => {
    const request = response.request();
    if (!request.url().endsWith('/graphql') || request.method() !== 'POST') return;
    const name = (request.postDataJSON() as { operationName?: string } | null)?.operationName;
    if (!name) return;
    void response
      .json()
      .then((body: unknown) => seen.set(name, [...(seen.get(name) ?? []), body]))
      .catch(() => undefined);
  });
  return seen;
}

async function signIn(page: Page, account: Account): Promise<void> {
  await page.goto(harness.server.url);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out', exact: true }).waitFor({ timeout: WAIT_MS });
}

/** What the tests read of the worker's scope (the DOM lib has no worker types). */
interface WorkerScope {
  readonly registration: { getNotifications(): Promise<Notification[]> };
  carelineOpenNotification(notification: Notification): Promise<void>;
}

async function until<T>(what: string, read: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('Web Push in Chromium', () => {
  it('turns push on, shows a pushed booking, opens its page on click, and withdraws the subscription at sign-out', async () => {
    const doctor = await register(harness.server.url, 'DOCTOR', 'Dr. Push');
    const context = await harness.newContext();
    await context.grantPermissions(['notifications'], { origin: harness.server.url });
    await fakePushManager(context);
    const page = await context.newPage();
    harness.watchConsole(page);
    const mutations = recordMutations(page);
    await signIn(page, doctor);

    await page.getByRole('link', { name: 'Account' }).click();
    const toggle = page.getByLabel('Push notifications on this browser');
    await toggle.waitFor({ timeout: WAIT_MS });
    expect(await toggle.isChecked()).toBe(false);
    expect(await axeViolations(page)).toEqual([]);

    await toggle.click(); // the box turns on once the browser and the server have said yes
    await page.getByTestId('push-state').filter({ hasText: 'On for this browser.' }).waitFor({ timeout: WAIT_MS });
    // The response body is read asynchronously by the recorder: wait for it rather than race it.
    expect(await until('the registration', async () => mutations.get('RegisterPushSubscription'))).toEqual([
      { data: { registerPushSubscription: true } },
    ]);
    expect(await axeViolations(page)).toEqual([]);

    // The worker the page registered, and its registration id for CDP.
    const worker: Worker = await until('the service worker', async () =>
      context.serviceWorkers().find((candidate) => candidate.url().endsWith('/sw.js')),
    );
    const cdp = await context.newCDPSession(page);
    const registrationId = new Promise<string>((resolve) =>
      cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
        const ours = registrations.find((registration) => registration.scopeURL.startsWith(harness.server.url) && !registration.isDeleted);
        if (ours) resolve(ours.registrationId);
      }),
    );
    await cdp.send('ServiceWorker.enable');
    await page.evaluate(() => {
      const seen: unknown[] = [];
      (window as unknown as { pushed: unknown[] }).pushed = seen;
      navigator.serviceWorker.addEventListener('message', (event) => seen.push(event.data));
    });

    const appointmentId = '0b8f5a52-7c0e-4c1e-9d55-3f1c2b7a9e10';
    const message = {
      title: 'New booking',
      body: 'Ana Lima with Dr. Push, Friday, 4 December 2026, 15:30',
      url: `/dashboard?appointment=${appointmentId}`,
    };
    await cdp.send('ServiceWorker.deliverPushMessage', {
      origin: harness.server.url,
      registrationId: await registrationId,
      data: JSON.stringify(message),
    });

    // The worker told the open tab (same-origin url made absolute), and shows the notification.
    const told = await until('the worker to tell the tab', () =>
      page.evaluate(() => (window as unknown as { pushed: unknown[] }).pushed[0] as unknown | undefined),
    );
    expect(told).toEqual({ type: 'careline-push', message: { ...message, url: `${harness.server.url}${message.url}` } });
    const shown = await until('the notification', async () => {
      const list = await worker.evaluate(async () =>
        (await (self as unknown as WorkerScope).registration.getNotifications()).map((n: Notification) => ({
          title: n.title,
          body: n.body,
          tag: n.tag,
          url: (n.data as { url: string }).url,
        })),
      );
      return list.length > 0 ? list : undefined;
    });
    expect(shown).toEqual([{ title: message.title, body: message.body, tag: appointmentId, url: `${harness.server.url}${message.url}` }]);

    // A click (the worker's own handler, run in the worker): the tab goes to the appointment's page.
    await worker.evaluate(async () => {
      const scope = self as unknown as WorkerScope;
      const [notification] = await scope.registration.getNotifications();
      if (notification) await scope.carelineOpenNotification(notification);
    });
    await page.waitForURL(`${harness.server.url}/dashboard?appointment=${appointmentId}`, { timeout: WAIT_MS });
    expect(await worker.evaluate(async () => (await (self as unknown as WorkerScope).registration.getNotifications()).length)).toBe(0);

    // Signing out withdraws this browser's subscription from the server first.
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByLabel('Email').waitFor({ timeout: WAIT_MS });
    await until('the unregistration', async () => mutations.get('UnregisterPushSubscription'));
    expect(mutations.get('UnregisterPushSubscription')).toEqual([{ data: { unregisterPushSubscription: true } }]);
  });

  it('says so when the server has no VAPID keys once the user asks for push', async () => {
    // This file's server has keys: ask the page as if it had none (the route's 404), and check the words and axe.
    const patient = await register(harness.server.url, 'PATIENT', 'Pat Push');
    const context = await harness.newContext();
    await context.grantPermissions(['notifications'], { origin: harness.server.url });
    await context.route('**/push/vapid-public-key', (route) =>
      route.fulfill({ status: 404, contentType: 'text/plain', body: 'Push notifications are not configured on this server.\n' }),
    );
    const page = await context.newPage();
    await signIn(page, patient);
    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByLabel('Push notifications on this browser').click();
    await page.getByText('Push notifications are not set up on this server.').waitFor({ timeout: WAIT_MS });
    expect(await page.getByLabel('Push notifications on this browser').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
  });
});
