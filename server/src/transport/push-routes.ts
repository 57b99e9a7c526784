import type { Express } from 'express';

/**
 * GET /push/vapid-public-key: the VAPID public key the dashboard subscribes browsers with
 * (`applicationServerKey`), as text/plain, unpadded base64url. 404 with a sentence saying so while
 * push is off (VAPID_PUBLIC_KEY unset): the dashboard then hides its push toggle.
 */
export function mountPushRoutes(app: Express, vapidPublicKey: string | undefined): void {
  app.get('/push/vapid-public-key', (_req, res) => {
    res.type('text/plain').set('Cache-Control', 'no-cache');
    if (vapidPublicKey === undefined) res.status(404).send('Push notifications are not configured on this server.\n');
    else res.send(vapidPublicKey);
  });
}
