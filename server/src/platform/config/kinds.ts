// The kinds of value a configuration variable can hold, how each is written in the environment,
// and the declaration helpers schema.ts is written with. Nothing here names a variable.
import path from 'node:path';
import { isTimeZone } from '../time-zones';

export type NodeEnv = 'development' | 'production' | 'test';
export const NODE_ENVS: readonly NodeEnv[] = ['development', 'test', 'production'];

/** What reading a value needs besides its text: where relative paths start. */
export interface ParseContext {
  /** Where the command was started (npm's INIT_CWD, else the working directory). */
  readonly invocationDir: string;
  /** The repository's root folder. */
  readonly repositoryDir: string;
}

/** A value, or why its text is refused ("must be a whole number from 1 to 100"). */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** How one kind of value is written in the environment and read from it. */
export interface Kind<T> {
  /** The accepted form and range, as the reference shows it: "a whole number from 1 to 100". */
  readonly form: string;
  /** True when an error must not repeat the text (secrets, URLs that may hold a password). */
  readonly hidden?: boolean;
  /** Reads a trimmed, non-empty text. */
  parse(text: string, context: ParseContext): Parsed<T>;
}

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const refused = (reason: string): Parsed<never> => ({ ok: false, reason });

/** A whole number from `min` to `max`. */
export function integer(min: number, max: number): Kind<number> {
  const form = `a whole number from ${min} to ${max}`;
  return {
    form,
    parse: (text) => (/^\d+$/.test(text) && Number(text) >= min && Number(text) <= max ? ok(Number(text)) : refused(`must be ${form}`)),
  };
}

const TRUE = ['true', '1', 'yes', 'on'];
const FALSE = ['false', '0', 'no', 'off'];

/** true or false (also 1/0, yes/no, on/off, in any case). */
export function boolean(): Kind<boolean> {
  return {
    form: '`true` or `false`',
    parse: (text) => {
      const lower = text.toLowerCase();
      if (TRUE.includes(lower)) return ok(true);
      if (FALSE.includes(lower)) return ok(false);
      return refused('must be true or false');
    },
  };
}

/** One of a fixed list of words. */
export function oneOf<const T extends string>(values: readonly T[]): Kind<T> {
  const form = `one of ${values.map((value) => `\`${value}\``).join(', ')}`;
  return {
    form,
    parse: (text) => {
      const found = values.find((value) => value === text);
      return found === undefined ? refused(`must be one of ${values.join(', ')}`) : ok(found);
    },
  };
}

/** A comma-separated list of words from `values` (empty text: none). */
export function listOf<const T extends string>(values: readonly T[]): Kind<readonly T[]> {
  const form = `a comma-separated list of ${values.map((value) => `\`${value}\``).join(', ')} (empty: none)`;
  return {
    form,
    parse: (text) => {
      const items = new Set(splitList(text));
      const known: ReadonlySet<string> = new Set(values);
      const bad = [...items].filter((item) => !known.has(item));
      if (bad.length > 0) return refused(`must list only ${values.join(', ')} (not "${bad.join('", "')}")`);
      return ok(values.filter((value) => items.has(value)));
    },
  };
}

/** Any text (`form` says what is expected). */
export function text(form: string): Kind<string> {
  return { form, parse: (value) => ok(value) };
}

/** Text of at least `minBytes` bytes (UTF-8) that an error never repeats. */
export function secret(minBytes: number): Kind<string> {
  return {
    form: minBytes > 0 ? `a secret of at least ${minBytes} bytes` : 'a secret',
    hidden: true,
    parse: (value) => (Buffer.byteLength(value, 'utf8') >= minBytes ? ok(value) : refused(`must be at least ${minBytes} bytes long`)),
  };
}

/** A URL with one of `protocols` ("postgres:"). An error never repeats it: it may hold a password. */
export function url(protocols: readonly string[]): Kind<string> {
  const starts = protocols.map((protocol) => `${protocol}//`).join(' or ');
  return {
    form: `a URL starting with ${starts}`,
    hidden: true,
    parse: (value) => {
      if (!URL.canParse(value) || !protocols.includes(new URL(value).protocol)) return refused(`must be a URL starting with ${starts}`);
      return ok(value);
    },
  };
}

/** A comma-separated list of `host:port` addresses (at least one). */
export function hostPorts(): Kind<readonly string[]> {
  const form = 'a comma-separated list of `host:port` (`10.0.0.1:7000,10.0.0.2:7000`)';
  return {
    form,
    parse: (value) => {
      const items = splitList(value);
      const bad = items.filter((item) => !/^[A-Za-z0-9.-]+:\d{1,5}$/.test(item) || Number(item.slice(item.lastIndexOf(':') + 1)) > 65535);
      if (items.length === 0 || bad.length > 0) return refused(`must be ${form}`);
      return ok(items);
    },
  };
}

/** A folder; a relative path starts where the command was started, or at the repository's root. */
export function folder(relativeTo: 'invocation' | 'repository'): Kind<string> {
  return {
    form:
      relativeTo === 'invocation'
        ? 'a folder (a relative path starts where the command was started)'
        : "a folder (a relative path starts at the repository's root)",
    parse: (value, context) => ok(path.resolve(relativeTo === 'invocation' ? context.invocationDir : context.repositoryDir, value)),
  };
}

/** A file; a relative path starts where the command was started. */
export function file(): Kind<string> {
  return {
    form: 'a file (a relative path starts where the command was started)',
    parse: (value, context) => ok(path.resolve(context.invocationDir, value)),
  };
}

/** Comma-separated web origins (scheme, host and port: no path, no trailing slash). */
export function origins(): Kind<readonly string[]> {
  return {
    form: 'comma-separated origins like `https://clinic.example.org` (no path, no trailing slash)',
    parse: (value) => {
      const items = splitList(value);
      const isOrigin = (item: string) =>
        URL.canParse(item) && ['http:', 'https:'].includes(new URL(item).protocol) && new URL(item).origin === item;
      const bad = items.filter((item) => !isOrigin(item));
      if (bad.length > 0)
        return refused(`must list origins like https://clinic.example.org, without a path or trailing slash (not "${bad.join('", "')}")`);
      return ok(items);
    },
  };
}

/** express's `trust proxy` values we accept: off, a hop count, or addresses/subnets/names (proxy-addr). */
export type TrustProxy = false | number | readonly string[];

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const IP_OR_SUBNET = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:.]*)(?:\/\d{1,3})?$/i;

/** Which proxies to believe: false, a hop count 1-10, or addresses, subnets and proxy-addr names. "true" is refused. */
export function trustProxy(): Kind<TrustProxy> {
  const form = 'false, a hop count from 1 to 10, or comma-separated addresses, subnets, loopback, linklocal, uniquelocal';
  return {
    form: `\`false\`, a hop count from 1 to 10, or comma-separated addresses, CIDR subnets, \`loopback\`, \`linklocal\`, \`uniquelocal\``,
    parse: (value) => {
      if (FALSE.includes(value.toLowerCase())) return ok(false);
      if (/^\d+$/.test(value) && Number(value) <= 10) return ok(Number(value));
      const entries = splitList(value);
      const bad = entries.filter((entry) => !PROXY_NAMES.has(entry) && !IP_OR_SUBNET.test(entry));
      return bad.length > 0 || entries.length === 0 ? refused(`must be ${form}`) : ok(entries);
    },
  };
}

/** HH:MM from 00:00 to 23:59, read as minutes since midnight. */
export function timeOfDay(): Kind<number> {
  return {
    form: 'a time `HH:MM` from 00:00 to 23:59',
    parse: (value) => {
      const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
      return match ? ok(Number(match[1]) * 60 + Number(match[2])) : refused('must be HH:MM from 00:00 to 23:59');
    },
  };
}

/** An email address, read in lower case. */
export function email(): Kind<string> {
  return {
    form: 'an email address',
    parse: (value) => (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) ? ok(value.toLowerCase()) : refused('must be an email address')),
  };
}

/** A sender: an address, alone or as "Name <address>". */
export function mailbox(): Kind<string> {
  return {
    form: 'an address, alone or as `Name <address>`',
    parse: (value) =>
      /@[^@\s>]+\.[^@\s>]+>?$/.test(value) ? ok(value) : refused('must be an address like "CareLine <no-reply@clinic.example>"'),
  };
}

/** An IANA time zone name ("Europe/Paris"). */
export function timeZone(): Kind<string> {
  return {
    form: 'an IANA time zone like `Europe/Paris`',
    parse: (value) => (isTimeZone(value) ? ok(value) : refused('must be an IANA time zone')),
  };
}

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, y: 365 * 86_400_000 } as const;
type DurationUnit = keyof typeof UNIT_MS;
const UNITS = Object.keys(UNIT_MS).join(', ');

/** Reads "<integer><unit>" (unit ms, s, m, h, d or y = 365 d) into milliseconds; undefined when malformed or without a unit. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+)(ms|s|m|h|d|y)$/.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] as DurationUnit];
}

/**
 * A duration from `min` to `max` (both written as durations), read in milliseconds or, for `in:
 * 'seconds'`, in whole seconds.
 */
export function duration(options: {
  readonly min: string;
  readonly max: string;
  readonly in: 'milliseconds' | 'seconds';
  /** `0` (no unit) is accepted too, read as 0: "off". */
  readonly zeroIsOff?: boolean;
}): Kind<number> {
  const minMs = parseDuration(options.min);
  const maxMs = parseDuration(options.max);
  if (minMs === undefined || maxMs === undefined)
    throw new Error(`duration range ${options.min}-${options.max} is not written as durations`);
  const seconds = options.in === 'seconds';
  const range = `from ${options.min} to ${options.max}`;
  const format = `a whole number and a unit (${UNITS}), like ${options.min}`;
  return {
    form: options.zeroIsOff ? `\`0\` (off) or a duration ${range}` : `a duration ${range}`,
    parse: (value) => {
      if (options.zeroIsOff && value === '0') return ok(0);
      const ms = parseDuration(value);
      if (ms === undefined) {
        const missingUnit = /^\d+$/.test(value) ? ': the unit is required' : '';
        return refused(`must be a duration ${range}, written as ${format}${missingUnit}`);
      }
      if (ms < minMs || ms > maxMs) return refused(`must be a duration ${range}`);
      if (seconds && ms % 1000 !== 0) return refused(`must be a duration of whole seconds ${range}`);
      return ok(seconds ? ms / 1000 : ms);
    },
  };
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

const DATA_KEY_FORM = '32 bytes written as 64 hex characters or as base64 (e.g. `openssl rand -hex 32`)';

/** Reads a 32-byte key written as 64 hex characters or as base64 (standard or URL-safe), to lower-case hex. */
function readDataKey(value: string): string | undefined {
  if (/^[0-9a-f]{64}$/i.test(value)) return value.toLowerCase();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) return undefined;
  const bytes = Buffer.from(value.replaceAll('-', '+').replaceAll('_', '/'), 'base64');
  return bytes.length === 32 ? bytes.toString('hex') : undefined;
}

/**
 * An AES-256 key: 32 bytes written as 64 hex characters or as base64, read as 64 lower-case hex
 * characters (a text, so the frozen configuration holds no mutable Buffer). An error never repeats it.
 */
export function dataKey(): Kind<string> {
  return {
    form: DATA_KEY_FORM,
    hidden: true,
    parse: (value) => {
      const key = readDataKey(value);
      return key === undefined ? refused(`must be ${DATA_KEY_FORM}`) : ok(key);
    },
  };
}

/** Comma-separated AES-256 keys, each as `dataKey` reads it. An error names the item's position, never its text. */
export function dataKeys(): Kind<readonly string[]> {
  return {
    form: `comma-separated keys, each ${DATA_KEY_FORM}`,
    hidden: true,
    parse: (value) => {
      const keys = splitList(value).map(readDataKey);
      const bad = keys.flatMap((key, index) => (key === undefined ? [index + 1] : []));
      if (bad.length > 0) return refused(`must list keys of ${DATA_KEY_FORM} (not key ${bad.join(', ')})`);
      return ok(keys.filter((key) => key !== undefined));
    },
  };
}

/**
 * A VAPID key (RFC 8292) as `npm run admin -- vapid-keys` prints it: unpadded base64url of `bytes`
 * bytes (65: an uncompressed P-256 public key; 32: its private scalar). `hidden`: an error never
 * repeats it (the private key).
 */
export function vapidKey(bytes: 65 | 32, hidden: boolean): Kind<string> {
  const form = `${bytes} bytes as unpadded base64url (${bytes === 65 ? 'an uncompressed P-256 public key' : 'a P-256 private key'})`;
  return {
    form,
    hidden,
    parse: (value) => {
      if (!/^[A-Za-z0-9_-]+$/.test(value)) return refused(`must be ${form}`);
      const decoded = Buffer.from(value, 'base64url');
      if (decoded.length !== bytes || (bytes === 65 && decoded[0] !== 4)) return refused(`must be ${form}`);
      return ok(value);
    },
  };
}

/** A VAPID contact (RFC 8292 `sub`): a `mailto:` or `https:` URL the push services can reach the operator at. */
export function vapidSubject(): Kind<string> {
  const form = 'a `mailto:` or `https:` URL';
  return {
    form,
    parse: (value) => (/^(mailto:[^\s@]+@[^\s@]+|https:\/\/\S+)$/.test(value) ? ok(value) : refused(`must be ${form}`)),
  };
}
