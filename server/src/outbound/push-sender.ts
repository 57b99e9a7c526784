import https from 'node:https';
import webpush from 'web-push';
import { checkWebhookUrl, resolveWebhookHost, WebhookAddressRefused } from './address-guard';
import { pinnedLookup } from './webhook-sender';

/** A push service must answer within this; anything slower counts as a failure (retried). */
export const PUSH_TIMEOUT_MS = 10_000;

/** A browser's subscription as the Push API gives it (PushSubscription.toJSON()). */
export interface PushTarget {
  readonly endpoint: string;
  /** The browser's P-256 public key, base64url. */
  readonly p256dh: string;
  /** The 16-byte auth secret, base64url. */
  readonly auth: string;
}

/** RFC 8030 `Urgency`. */
export type PushUrgency = 'very-low' | 'low' | 'normal' | 'high';

export interface PushRequest {
  readonly target: PushTarget;
  /** The plaintext, encrypted with aes128gcm (RFC 8291) for the target. */
  readonly payload: string;
  /** RFC 8030 `TTL` in seconds: how long the push service keeps it for an offline browser. */
  readonly ttlSeconds: number;
  readonly urgency: PushUrgency;
  /** RFC 8030 `Topic` (at most 32 base64url characters): a newer message with it replaces an undelivered one. */
  readonly topic: string;
}

export interface VapidKeys {
  readonly publicKey: string;
  readonly privateKey: string;
  readonly subject: string;
}

/** Why a push service did not accept a message: its status and Retry-After (seconds) when it answered. */
export class PushSendError extends Error {
  constructor(
    message: string,
    readonly statusCode: number | undefined,
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(message);
    this.name = 'PushSendError';
  }

  /** 404 or 410: the subscription has expired or was withdrawn; it will never work again. */
  get gone(): boolean {
    return this.statusCode === 404 || this.statusCode === 410;
  }

  /** 429, 5xx or no answer at all: worth another try later. */
  get transient(): boolean {
    return this.statusCode === undefined || this.statusCode === 429 || this.statusCode >= 500;
  }
}

/** A new VAPID key pair, as VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY take them (unpadded base64url). */
export function generateVapidKeys(): { publicKey: string; privateKey: string } {
  return webpush.generateVAPIDKeys();
}

/**
 * Checks a push endpoint by the webhooks' address rule: https only, no credentials, and (unless
 * allowPrivate) a host that resolves only to public addresses. Throws WebhookAddressRefused.
 */
export async function checkPushEndpoint(endpoint: string, allowPrivate: boolean): Promise<URL> {
  const url = checkWebhookUrl(endpoint, allowPrivate);
  if (url.protocol !== 'https:') throw new WebhookAddressRefused('A push endpoint must start with https://.');
  await resolveWebhookHost(url.hostname, allowPrivate);
  return url;
}

/**
 * Sends one Web Push message with `web-push` (aes128gcm, a VAPID JWT signed with the keys), after
 * the address check, over a connection pinned to the address that passed it (no DNS rebinding).
 * Resolves with the push service's 2xx status; throws PushSendError (or WebhookAddressRefused).
 * `agentOptions`: extra TLS options (tests: their receiver's `ca`).
 */
export async function sendPush(
  request: PushRequest,
  options: {
    readonly vapid: VapidKeys;
    readonly allowPrivate: boolean;
    readonly timeoutMs?: number;
    readonly agentOptions?: { readonly ca?: string | Buffer };
  },
): Promise<number> {
  const url = checkWebhookUrl(request.target.endpoint, options.allowPrivate);
  if (url.protocol !== 'https:') throw new WebhookAddressRefused('A push endpoint must start with https://.');
  const checked = await resolveWebhookHost(url.hostname, options.allowPrivate);
  const agent = new https.Agent({ lookup: pinnedLookup(checked), keepAlive: false, ...options.agentOptions });
  try {
    const result = await webpush.sendNotification(
      { endpoint: request.target.endpoint, keys: { p256dh: request.target.p256dh, auth: request.target.auth } },
      request.payload,
      {
        vapidDetails: options.vapid,
        TTL: request.ttlSeconds,
        urgency: request.urgency,
        topic: request.topic,
        contentEncoding: 'aes128gcm',
        timeout: options.timeoutMs ?? PUSH_TIMEOUT_MS,
        agent,
      },
    );
    return result.statusCode;
  } catch (error) {
    if (error instanceof webpush.WebPushError) {
      throw new PushSendError(`answered ${error.statusCode}`, error.statusCode, retryAfterSeconds(error.headers['retry-after']));
    }
    const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? ` (${error.code})` : '';
    throw new PushSendError(`could not connect${code}`, undefined, undefined);
  } finally {
    agent.destroy();
  }
}

/** Retry-After as seconds (RFC 9110: delay-seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterSeconds(header: string | undefined, now: Date = new Date()): number | undefined {
  if (header === undefined) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}
