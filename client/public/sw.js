// CareLine's service worker: Web Push only (no caching, no offline pages). Copied as is to
// dist/sw.js by Vite and served at /sw.js, so its scope is the whole dashboard.
//
// A push carries JSON {title, body, url} (server/src/features/push/push-messages.ts): names and
// times, never clinical text. It is shown as a notification; a click focuses an open dashboard
// tab and sends it to `url` (or opens a new tab there). Open tabs are also told of each push
// ({type: 'careline-push'}), which the tests use where headless Chromium shows nothing.
/* global self, URL */
'use strict';

/** Only paths of this origin: a payload cannot send the user elsewhere. */
function sameOriginUrl(text) {
  try {
    const url = new URL(typeof text === 'string' ? text : '/', self.location.origin);
    return url.origin === self.location.origin ? url.href : self.location.origin + '/';
  } catch {
    return self.location.origin + '/';
  }
}

function readMessage(data) {
  const message = { title: 'CareLine', body: '', url: '/' };
  if (!data) return message;
  try {
    const json = data.json();
    return {
      title: typeof json.title === 'string' ? json.title : message.title,
      body: typeof json.body === 'string' ? json.body : message.body,
      url: sameOriginUrl(json.url),
    };
  } catch {
    return { ...message, body: data.text() };
  }
}

async function tellWindows(message) {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  for (const client of windows) client.postMessage(message);
}

self.addEventListener('push', (event) => {
  const message = readMessage(event.data);
  event.waitUntil(
    Promise.all([
      self.registration.showNotification(message.title, {
        body: message.body,
        // One notification per appointment: a cancellation replaces its booking's.
        tag: new URL(message.url).searchParams.get('appointment') || undefined,
        data: { url: message.url },
      }),
      tellWindows({ type: 'careline-push', message }),
    ]),
  );
});

/** Focuses a dashboard tab and sends it to the notification's page, or opens one there. */
async function openNotification(notification) {
  const url = sameOriginUrl(notification.data && notification.data.url);
  notification.close();
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const tab = windows.find((client) => new URL(client.url).origin === self.location.origin);
  if (tab) {
    tab.postMessage({ type: 'careline-open', url });
    await tab.focus().catch(() => undefined);
    return;
  }
  await self.clients.openWindow(url);
}
// Named, so a test can run it inside the worker (a synthetic click cannot extend its event).
self.carelineOpenNotification = openNotification;

self.addEventListener('notificationclick', (event) => {
  event.waitUntil(openNotification(event.notification));
});

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
