import { useEffect, useState } from 'react';

interface DevMail {
  readonly name: string;
  readonly url: string;
}

function isDevMailList(value: unknown): value is { enabled: true; messages: DevMail[] } {
  if (typeof value !== 'object' || value === null || !('enabled' in value) || value.enabled !== true) return false;
  if (!('messages' in value) || !Array.isArray(value.messages)) return false;
  return value.messages.every(
    (item: unknown) => typeof item === 'object' && item !== null && 'name' in item && 'url' in item && typeof item.url === 'string',
  );
}

/**
 * Development only: GET /dev/mail lists the .eml files the server wrote instead of sending mail
 * when it runs in development without SMTP_URL; anywhere else it answers { enabled: false } and
 * this renders nothing.
 */
export function DevMailLink() {
  const [latest, setLatest] = useState<DevMail | null | undefined>(undefined);
  useEffect(() => {
    let cancelled = false;
    fetch('/dev/mail', { headers: { accept: 'application/json' } })
      .then(async (response) => {
        if (!response.ok || !(response.headers.get('content-type') ?? '').includes('application/json')) return undefined;
        const body: unknown = await response.json();
        return isDevMailList(body) ? (body.messages[0] ?? null) : undefined;
      })
      .then(
        (found) => !cancelled && setLatest(found),
        () => undefined,
      );
    return () => {
      cancelled = true;
    };
  }, []);
  if (latest === undefined) return null;
  return (
    <span className="account__link" data-testid="dev-mail">
      {latest ? <a href={latest.url}>Latest mail (dev)</a> : <span className="muted">No mail yet (dev)</span>} · <a href="/dev/mail">all</a>
    </span>
  );
}
