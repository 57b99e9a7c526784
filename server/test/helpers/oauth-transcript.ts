// A record of an OAuth flow's HTTP requests and responses, as the issue's closing note shows them:
// every token, code, verifier, secret, password, cookie and interaction id replaced by a marker,
// so the text can be published. oauth-flow.test.ts fills it through openid-client's customFetch
// and the test browser's hook, and writes it to OAUTH_TRANSCRIPT when that is set.
import { writeFileSync } from 'node:fs';

/** Query, form and JSON fields whose values are secrets (or let someone use one). */
const SECRET_FIELDS = new Set([
  'access_token',
  'refresh_token',
  'id_token',
  'token',
  'code',
  'code_verifier',
  'client_secret',
  'password',
  'otp',
  'state',
  'nonce',
]);
const SECRET_HEADERS = new Set(['authorization', 'cookie', 'set-cookie']);
/** Headers worth reading in a transcript (the rest is transport noise). */
const SHOWN_HEADERS = new Set(['authorization', 'content-type', 'location', 'cookie', 'set-cookie', 'cache-control', 'www-authenticate']);

interface Exchange {
  readonly label: string;
  readonly request: string;
  readonly response: string;
}

export class OAuthTranscript {
  private readonly exchanges: Exchange[] = [];
  private label = '';

  constructor(private readonly origin: string) {}

  /** Names the step the following requests belong to. */
  step(label: string): void {
    this.label = label;
  }

  /** A fetch that records each request and its response (for openid-client's customFetch and the test browser). */
  readonly fetch = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const response = await fetch(url, init);
    await this.add(url, init, response.clone());
    return response;
  };

  async add(url: string, init: RequestInit, response: Response): Promise<void> {
    const method = init.method ?? 'GET';
    const headers = new Headers(init.headers);
    const body = typeof init.body === 'string' || init.body instanceof URLSearchParams ? init.body.toString() : undefined;
    const request = [
      `${method} ${this.path(url)}`,
      ...this.headerLines(headers),
      ...(body ? ['', redactBody(body, headers.get('content-type'))] : []),
    ].join('\n');
    const text = await response.text();
    const responseText = [
      `HTTP/1.1 ${response.status}`,
      ...this.headerLines(response.headers),
      ...(text ? ['', redactBody(text, response.headers.get('content-type'))] : []),
    ].join('\n');
    this.exchanges.push({ label: this.label, request, response: responseText });
  }

  /** The transcript as Markdown. */
  toMarkdown(title: string, intro: string): string {
    const parts = [`# ${title}`, '', intro, ''];
    let label = '';
    this.exchanges.forEach((exchange, index) => {
      if (exchange.label !== label) {
        label = exchange.label;
        parts.push(`## ${label}`, '');
      }
      parts.push(`### ${index + 1}.`, '', '```http', exchange.request, '```', '', '```http', exchange.response, '```', '');
    });
    return parts.join('\n');
  }

  write(path: string, title: string, intro: string): void {
    writeFileSync(path, this.toMarkdown(title, intro));
  }

  private path(url: string): string {
    return redactUrl(url.startsWith(this.origin) ? url.slice(this.origin.length) || '/' : url);
  }

  private headerLines(headers: Headers): string[] {
    const lines: string[] = [];
    headers.forEach((value, name) => {
      if (!SHOWN_HEADERS.has(name)) return;
      if (name === 'set-cookie' || (name === 'cookie' && value === '')) return;
      lines.push(`${name}: ${redactHeader(name, value, this.origin)}`);
    });
    for (const cookie of headers.getSetCookie()) lines.push(`set-cookie: ${cookie.split('=')[0]}=[redacted]`);
    return lines;
  }
}

function redactHeader(name: string, value: string, origin: string): string {
  if (name === 'authorization') return `${value.split(' ')[0]} [redacted]`;
  if (name === 'cookie')
    return value
      .split('; ')
      .map((pair) => `${pair.split('=')[0]}=[redacted]`)
      .join('; ');
  if (SECRET_HEADERS.has(name)) return '[redacted]';
  if (name === 'location') return redactUrl(value.startsWith(origin) ? value.slice(origin.length) : value);
  return value;
}

/** A URL with secret query values and interaction ids replaced. */
export function redactUrl(url: string): string {
  const [base = '', query] = url.split('?', 2);
  const path = base
    .replace(/\/oauth\/interaction\/[^/?#]+/, '/oauth/interaction/[interaction id]')
    .replace(/\/oauth\/auth\/[^/?#]+/, '/oauth/auth/[interaction id]');
  if (query === undefined) return path;
  return `${path}?${redactForm(query)}`;
}

function redactForm(form: string): string {
  const params = new URLSearchParams(form);
  const out: string[] = [];
  for (const [name, value] of params) {
    out.push(`${name}=${SECRET_FIELDS.has(name) ? '[redacted]' : encodeURIComponent(value).replace(/%20/g, '+')}`);
  }
  return out.join('&');
}

function redactJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactJson);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, SECRET_FIELDS.has(key) ? '[redacted]' : redactJson(inner)]));
}

function redactBody(body: string, contentType: string | null): string {
  if (contentType?.includes('application/x-www-form-urlencoded')) return redactForm(body);
  if (contentType?.includes('json')) {
    try {
      return JSON.stringify(redactJson(JSON.parse(body)), null, 2);
    } catch {
      return '[not JSON]';
    }
  }
  if (contentType?.includes('html')) {
    const title = /<h1[^>]*>([^<]*)<\/h1>/.exec(body)?.[1];
    return `[the HTML page${title ? ` "${title.replace(/&#39;|&apos;/g, "'")}"` : ''}, ${body.length} bytes]`;
  }
  return `[${body.length} bytes]`;
}
