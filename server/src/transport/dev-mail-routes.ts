import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Express } from 'express';

/** How many of the latest messages the list shows. */
const LATEST = 20;
const EML_NAME = /^[A-Za-z0-9-]+\.eml$/;

/**
 * The mail CareLine would have sent, as the .eml files written to DATA_DIR/mail, so a developer
 * opens them from the dashboard. Only in development without SMTP_URL (app.ts decides `enabled`):
 * they hold patients' names and times.
 * - GET /dev/mail: { enabled: true, messages: [{ name, url }] }, newest first; anywhere else
 *   { enabled: false } and nothing more, so the dashboard can ask without an error in its console.
 * - GET /dev/mail/<name>.eml: the message (message/rfc822), which a mail client opens; only when enabled.
 */
export function mountDevMailRoutes(app: Express, mailDir: string, enabled: boolean): void {
  app.get('/dev/mail', async (_req, res) => {
    if (!enabled) {
      res.json({ enabled: false });
      return;
    }
    const names = await readdir(mailDir).catch(() => [] as string[]);
    const latest = names
      .filter((name) => EML_NAME.test(name))
      .sort()
      .reverse()
      .slice(0, LATEST);
    res.json({ enabled: true, messages: latest.map((name) => ({ name, url: `/dev/mail/${name}` })) });
  });
  if (!enabled) return;
  app.get('/dev/mail/:name', async (req, res) => {
    const name = req.params['name'] ?? '';
    // The pattern admits no slash or dot-dot: nothing outside the folder can be named.
    if (!EML_NAME.test(name)) {
      res.status(404).end();
      return;
    }
    try {
      const content = await readFile(path.join(mailDir, name));
      res.type('message/rfc822').setHeader('content-disposition', `inline; filename="${name}"`).send(content);
    } catch {
      res.status(404).end();
    }
  });
}
