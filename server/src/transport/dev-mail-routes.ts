import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Express } from 'express';

/** How many of the latest messages the list shows. */
const LATEST = 20;
const EML_NAME = /^[A-Za-z0-9-]+\.eml$/;

/**
 * Development only, and only when SMTP_URL is unset (app.ts decides): the mail CareLine would
 * have sent, as the .eml files written to DATA_DIR/mail, so a developer opens them from the
 * dashboard. They hold patients' names and times: never mounted in production.
 * - GET /dev/mail: { messages: [{ name, url }] }, newest first.
 * - GET /dev/mail/<name>.eml: the message (message/rfc822), which a mail client opens.
 */
export function mountDevMailRoutes(app: Express, mailDir: string): void {
  app.get('/dev/mail', async (_req, res) => {
    const names = await readdir(mailDir).catch(() => [] as string[]);
    const latest = names.filter((name) => EML_NAME.test(name)).sort().reverse().slice(0, LATEST);
    res.json({ messages: latest.map((name) => ({ name, url: `/dev/mail/${name}` })) });
  });
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
