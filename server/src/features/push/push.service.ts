import { requireViewer, type Viewer } from '../../accounts/authorization';
import type { Transactions } from '../../live/transactions';
import type { Clock } from '../../platform/clock';
import { badUserInput } from '../../platform/errors';
import { WebhookAddressRefused } from '../../outbound/address-guard';
import { checkPushEndpoint } from '../../outbound/push-sender';
import { deletePushSubscriptionOfUser, upsertPushSubscription } from './push.sql';
import type { PushSubscriptionInput } from './push.type';

/** Longest endpoint accepted (push services' URLs are a few hundred characters). */
const MAX_ENDPOINT_LENGTH = 2048;

/** Whether `text` is unpadded base64url of exactly `bytes` bytes (and, for a public key, an uncompressed P-256 point). */
function isBase64Url(text: string, bytes: number): boolean {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return false;
  const decoded = Buffer.from(text, 'base64url');
  return decoded.length === bytes && (bytes !== 65 || decoded[0] === 4);
}

/** A signed-in user's browsers' push subscriptions: register one, withdraw one. */
export class PushSubscriptionService {
  constructor(
    private readonly transactions: Transactions,
    private readonly options: { readonly enabled: boolean; readonly allowPrivate: boolean },
    private readonly clock: Clock,
  ) {}

  /**
   * Stores the subscription for the signed-in user (any role). BAD_USER_INPUT when push is off
   * (no VAPID keys), for keys of the wrong form, or an endpoint the webhooks' address rule refuses.
   */
  async registerPushSubscription(viewer: Viewer | undefined, input: PushSubscriptionInput): Promise<boolean> {
    const user = requireViewer(viewer);
    if (!this.options.enabled) throw badUserInput('Push notifications are not configured on this server.');
    if (input.endpoint.length > MAX_ENDPOINT_LENGTH) throw badUserInput('The endpoint is too long.', 'endpoint');
    if (!isBase64Url(input.p256dh, 65)) throw badUserInput('p256dh must be a P-256 public key (65 bytes, base64url).', 'p256dh');
    if (!isBase64Url(input.auth, 16)) throw badUserInput('auth must be 16 bytes, base64url.', 'auth');
    try {
      await checkPushEndpoint(input.endpoint, this.options.allowPrivate);
    } catch (error) {
      if (error instanceof WebhookAddressRefused) throw badUserInput(error.message, 'endpoint');
      throw error;
    }
    const subscription = { endpoint: input.endpoint, p256dh: input.p256dh, auth: input.auth };
    await this.transactions.run((tx) => upsertPushSubscription(tx, user.userId, subscription, this.clock()));
    return true;
  }

  /** Removes the signed-in user's subscription with this endpoint (sign-out); false when they had none. */
  async unregisterPushSubscription(viewer: Viewer | undefined, endpoint: string): Promise<boolean> {
    const user = requireViewer(viewer);
    return this.transactions.run((tx) => deletePushSubscriptionOfUser(tx, user.userId, endpoint));
  }
}

declare module '../../graphql/request-context' {
  interface RequestServices {
    readonly push: PushSubscriptionService;
  }
}
