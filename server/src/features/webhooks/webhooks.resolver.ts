import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../graphql/request-context';
import { WebhookDelivery, WebhookEndpoint, WebhookEndpointInput } from './webhooks.type';

@Resolver(() => WebhookEndpoint)
export class WebhookResolver {
  @Mutation(() => WebhookEndpoint, { description: 'An admin of the practice adds an endpoint; the answer carries its secret, once.' })
  createWebhookEndpoint(
    @Arg('input', () => WebhookEndpointInput) input: WebhookEndpointInput,
    @Ctx() ctx: RequestContext,
  ): Promise<WebhookEndpoint> {
    return ctx.services.webhooks.createWebhookEndpoint(ctx.viewer, input);
  }

  @Mutation(() => Boolean, {
    description:
      'An admin of the practice removes an endpoint: nothing more is sent to it, and it and its delivery log are kept (not shown) for AUDIT_RETENTION.',
  })
  deleteWebhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    return ctx.services.webhooks.deleteWebhookEndpoint(ctx.viewer, id);
  }

  @Mutation(() => WebhookEndpoint, { description: 'A new signing secret, returned once; the old one stops at once.' })
  rotateWebhookSecret(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<WebhookEndpoint> {
    return ctx.services.webhooks.rotateWebhookSecret(ctx.viewer, id);
  }

  @Mutation(() => WebhookDelivery, {
    description: 'Sends a delivered or failed event again (same event id); enables a disabled endpoint again.',
  })
  redeliverWebhook(@Arg('deliveryId', () => ID) deliveryId: string, @Ctx() ctx: RequestContext): Promise<WebhookDelivery> {
    return ctx.services.webhooks.redeliverWebhook(ctx.viewer, deliveryId);
  }

  @Query(() => [WebhookEndpoint], { description: "The practice's endpoints (admins of it), without their secrets." })
  webhookEndpoints(@Arg('practiceId', () => ID) practiceId: string, @Ctx() ctx: RequestContext): Promise<WebhookEndpoint[]> {
    return ctx.services.webhooks.webhookEndpoints(ctx.viewer, practiceId);
  }

  @Query(() => [WebhookDelivery], { description: "An endpoint's deliveries, newest first (admins of its practice)." })
  webhookDeliveries(
    @Arg('endpointId', () => ID) endpointId: string,
    @Arg('first', () => Int, { defaultValue: 50, description: 'How many, 1 to 200.' }) first: number,
    @Ctx() ctx: RequestContext,
  ): Promise<WebhookDelivery[]> {
    return ctx.services.webhooks.webhookDeliveries(ctx.viewer, endpointId, first);
  }
}
