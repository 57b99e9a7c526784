import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses a webhook must never reach unless WEBHOOK_ALLOW_PRIVATE=true: a URL pointing there
 * would let whoever configures it probe the deployment's own network (SSRF): loopback, private
 * (RFC 1918, unique-local), link-local (cloud metadata at 169.254.169.254), carrier-grade NAT,
 * "this network", multicast and reserved ranges, for IPv4 and IPv6.
 */
const BLOCKED = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv6');
}

/** The IPv4 address inside an IPv4-mapped or NAT64 IPv6 address (::ffff:10.0.0.1), if any. */
function embeddedIpv4(address: string): string | undefined {
  const match = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (match) return match[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return undefined;
  const high = parseInt(hex[1]!, 16);
  const low = parseInt(hex[2]!, 16);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

/** True for a loopback, private, link-local or otherwise non-public IP address (v4 or v6). */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family === 6) {
    const v4 = embeddedIpv4(address);
    return v4 ? BLOCKED.check(v4, 'ipv4') : BLOCKED.check(address, 'ipv6');
  }
  return true; // not an IP address at all: refuse rather than guess
}

/** An address a webhook may connect to, as DNS gave it. */
export interface CheckedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Why a webhook URL or its addresses were refused (shown to the admin; never an internal detail). */
export class WebhookAddressRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookAddressRefused';
  }
}

/**
 * Checks a webhook URL's form: https (http only with allowPrivate), no credentials in it.
 * Returns the parsed URL; throws WebhookAddressRefused.
 */
export function checkWebhookUrl(text: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new WebhookAddressRefused('The URL is not valid.');
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) {
    throw new WebhookAddressRefused(allowPrivate ? 'The URL must start with https:// or http://.' : 'The URL must start with https://.');
  }
  if (url.username || url.password) throw new WebhookAddressRefused('The URL must not contain a user name or password.');
  return url;
}

/**
 * Resolves the host and checks every address it resolves to: one non-public address refuses the
 * whole name (unless allowPrivate), so a name with a public and a private record cannot be used
 * to reach the private one. Returns the address to connect to: the caller connects to exactly
 * it, so DNS cannot answer differently between this check and the connection (rebinding).
 */
export async function resolveWebhookHost(hostname: string, allowPrivate: boolean): Promise<CheckedAddress> {
  const host = hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host);
  const addresses = literal ? [{ address: host, family: literal }] : await lookup(host, { all: true, verbatim: true }).catch(() => []);
  if (addresses.length === 0) throw new WebhookAddressRefused(`The host ${host} does not resolve.`);
  if (!allowPrivate && addresses.some((entry) => isNonPublicAddress(entry.address))) {
    throw new WebhookAddressRefused(`The host ${host} resolves to a loopback, private or link-local address.`);
  }
  const first = addresses[0]!;
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}
