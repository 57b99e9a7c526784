import { Field, InputType } from 'type-graphql';

@InputType({ description: "A browser's Web Push subscription, as PushSubscription.toJSON() gives it." })
export class PushSubscriptionInput {
  @Field({
    description:
      "The push service's URL for this browser: https://, and a host that resolves to public addresses only (private ones where WEBHOOK_ALLOW_PRIVATE=true); otherwise BAD_USER_INPUT.",
  })
  endpoint!: string;

  @Field({ description: "The browser's P-256 public key (keys.p256dh), base64url: 65 bytes." })
  p256dh!: string;

  @Field({ description: 'The auth secret (keys.auth), base64url: 16 bytes.' })
  auth!: string;
}
