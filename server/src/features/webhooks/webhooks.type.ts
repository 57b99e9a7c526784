import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';

@InputType({ description: "A practice's receiver of appointment events." })
export class WebhookEndpointInput {
  @Field(() => ID)
  practiceId!: string;

  @Field({
    description:
      'https:// (http:// only where WEBHOOK_ALLOW_PRIVATE=true); a host resolving to a loopback, private or link-local address is BAD_USER_INPUT.',
  })
  url!: string;

  @Field(() => [String], { description: 'Event types to receive, e.g. ["appointment.booked", "appointment.cancelled"].' })
  events!: string[];

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description:
      "Send the appointment's free text (reason, cancellationReason) to this endpoint. Off by default: a reason can say why someone sees a doctor, so deliveries carry them as null.",
  })
  includeReason?: boolean | null;
}

@ObjectType({ description: "A practice's webhook endpoint. Its admin sees it disabled, with the reason, after it failed for 24 hours." })
export class WebhookEndpoint {
  @Field(() => ID)
  id!: string;

  @Field()
  url!: string;

  @Field(() => [String])
  events!: string[];

  @Field()
  createdAt!: Date;

  @Field(() => String, {
    nullable: true,
    description: 'The signing secret: returned once, by createWebhookEndpoint and rotateWebhookSecret.',
  })
  secret!: string | null;

  @Field(() => Date, { nullable: true, description: 'Set when CareLine stopped sending to it (every delivery failed for 24 hours).' })
  disabledAt!: Date | null;

  @Field(() => String, { nullable: true })
  disabledReason!: string | null;

  @Field({ description: "Whether deliveries carry the appointment's free text (chosen at creation)." })
  includeReason!: boolean;
}

@ObjectType({ description: 'One event sent (or to be sent) to one endpoint.' })
export class WebhookDelivery {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { description: 'The event id receivers see (CareLine-Event-Id): the same on every retry and redelivery.' })
  eventId!: string;

  @Field()
  eventType!: string;

  @Field(() => Int)
  attempts!: number;

  @Field({ description: 'pending, retrying, delivered or failed.' })
  status!: string;

  @Field(() => Int, { nullable: true })
  lastStatusCode!: number | null;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed (a status, a timeout, a refused address).' })
  lastError!: string | null;

  @Field(() => Date, { nullable: true })
  nextAttemptAt!: Date | null;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  deliveredAt!: Date | null;
}
