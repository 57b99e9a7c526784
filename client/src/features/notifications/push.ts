// Web Push in this browser: the service worker (/sw.js, client/public/sw.js), the subscription
// the Push API gives with the server's VAPID key, and its registration with the server. One
// subscription per browser; the server keys it by endpoint, so another account signing in here
// and turning push on takes it over.
import type { ApolloClient } from '@apollo/client';
import { navigateToUrl } from '../../router';
import { REGISTER_PUSH_SUBSCRIPTION, UNREGISTER_PUSH_SUBSCRIPTION } from './notifications.graphql';

export const SERVICE_WORKER_URL = '/sw.js';

/** What this browser can do about push. */
export type PushSupport = 'supported' | 'unsupported' | 'not-configured';

/** Whether the browser has what Web Push needs (a secure context, service workers, the Push and Notifications APIs). */
export function browserSupportsPush(): boolean {
  return window.isSecureContext && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

/** The server's VAPID public key (GET /push/vapid-public-key), or null while push is off there (404). */
export async function fetchVapidPublicKey(): Promise<string | null> {
  const response = await fetch('/push/vapid-public-key', { headers: { accept: 'text/plain' } });
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`The server answered ${response.status} for its push key.`);
  return (await response.text()).trim();
}

function base64UrlToBytes(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text.replaceAll('-', '+').replaceAll('_', '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** This browser's current push subscription, if push is on here. */
export async function currentPushSubscription(): Promise<PushSubscription | null> {
  if (!browserSupportsPush()) return null;
  const registration = await navigator.serviceWorker.getRegistration(SERVICE_WORKER_URL);
  return (await registration?.pushManager.getSubscription()) ?? null;
}

/** Why turning push on did not work, in words for the user. */
export class PushSetupError extends Error {}

/**
 * Turns push on for the signed-in user in this browser: asks for the Notification permission,
 * registers the service worker, subscribes with the server's key and registers the subscription
 * with the server. Throws PushSetupError with a sentence for the user.
 */
export async function enablePush(client: ApolloClient, vapidPublicKey: string): Promise<void> {
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') {
    throw new PushSetupError('Notifications are blocked for this site. Allow them in the browser’s site settings, then try again.');
  }
  const registration = await navigator.serviceWorker.register(SERVICE_WORKER_URL);
  await navigator.serviceWorker.ready;
  const key = base64UrlToBytes(vapidPublicKey);
  let subscription = await registration.pushManager.getSubscription();
  // A subscription made with another key (the server's keys changed) cannot be pushed to.
  const sameKey = subscription?.options.applicationServerKey
    ? new Uint8Array(subscription.options.applicationServerKey).every((byte, index) => byte === key[index])
    : false;
  if (subscription && !sameKey) {
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  const json = subscription.toJSON();
  const p256dh = json.keys?.['p256dh'];
  const auth = json.keys?.['auth'];
  if (!json.endpoint || !p256dh || !auth) throw new PushSetupError('This browser gave an incomplete push subscription.');
  await client.mutate({ mutation: REGISTER_PUSH_SUBSCRIPTION, variables: { input: { endpoint: json.endpoint, p256dh, auth } } });
}

/**
 * Turns push off in this browser: withdraws the subscription from the server (while the session
 * still works: call it before signing out) and from the browser. Never throws.
 */
export async function disablePush(client: ApolloClient): Promise<void> {
  const subscription = await currentPushSubscription().catch(() => null);
  if (!subscription) return;
  await client.mutate({ mutation: UNREGISTER_PUSH_SUBSCRIPTION, variables: { endpoint: subscription.endpoint } }).catch(() => undefined);
  await subscription.unsubscribe().catch(() => undefined);
}

/**
 * Follows the service worker's word when a notification is clicked ({type: 'careline-open', url}):
 * this tab goes to that page of the dashboard. Returns the listener's removal.
 */
export function followNotificationClicks(): () => void {
  if (!('serviceWorker' in navigator)) return () => undefined;
  const onMessage = (event: MessageEvent<unknown>) => {
    const data = event.data;
    if (typeof data !== 'object' || data === null || !('type' in data) || !('url' in data)) return;
    if (data.type === 'careline-open' && typeof data.url === 'string') navigateToUrl(data.url);
  };
  navigator.serviceWorker.addEventListener('message', onMessage);
  return () => navigator.serviceWorker.removeEventListener('message', onMessage);
}
