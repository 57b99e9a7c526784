import { randomUUID } from 'node:crypto';
import { requireViewer, type Viewer } from '../../accounts/authorization';
import { AuditAction, webhookActor } from '../../audit/audit-entry';
import type { AuditTrail } from '../../audit/audit-trail';
import { SecurityAction, SecurityOutcome } from '../../audit/security-events';
import type { Tx } from '../../live/transactions';
import { z } from 'zod';
import type { Transactions } from '../../live/transactions';
import type { PrismaReader } from '../../platform/database';
import { badUserInput, notFound } from '../../platform/errors';
import { isUuid } from '../../platform/validation';
import { checkWebhookUrl, resolveWebhookHost, WebhookAddressRefused } from '../../outbound/address-guard';
import type { DataCipher } from '../../platform/data-cipher';
import { sealWebhookSecret } from './webhook-secrets';
import { newWebhookSecret } from './webhook-signature';
import { createDelivery } from './webhooks.enqueue';
import { isWebhookEventType, WEBHOOK_EVENT_TYPES } from './webhooks.jobs';
import { toWebhookDelivery, toWebhookEndpoint } from './webhooks.mapper';
import type { Clock } from '../../platform/clock';
import { deleteEndpoint, enableEndpoint, insertEndpoint, purgeDeletedEndpoints, readEndpointRegistrar, rotateSecret } from './webhooks.sql';
import type { WebhookDelivery, WebhookEndpoint, WebhookEndpointInput } from './webhooks.type';

/** Throws FORBIDDEN / UNAUTHENTICATED unless the viewer is an admin of the practice (the practices feature decides). */
export type AssertPracticeAdmin = (viewer: Viewer | undefined, practiceId: string) => Promise<unknown>;

const MAX_ENDPOINTS_PER_PRACTICE = 20;
const MAX_URL_LENGTH = 2000;
const MAX_DELIVERIES_PAGE = 200;

/**
 * A practice's webhook endpoints and their delivery log, for the practice's admins only. URLs are
 * checked against the SSRF guard at creation (and again at each send, webhook-delivery.handler.ts).
 */
export class WebhookService {
  constructor(
    private readonly prisma: PrismaReader,
    private readonly transactions: Transactions,
    private readonly assertAdmin: AssertPracticeAdmin,
    private readonly options: {
      readonly allowPrivate: boolean;
      readonly onEnqueued: () => void;
      /** AUDIT_RETENTION: how long a deleted endpoint and its delivery log are kept. */
      readonly retentionSeconds: number;
      readonly clock: Clock;
      /** Seals the signing secrets before they are stored (DATA_ENCRYPTION_KEY). */
      readonly cipher: DataCipher;
      /** Endpoint changes are security events; a redelivery is a disclosure, like a delivery. */
      readonly audit: AuditTrail;
    },
  ) {}

  /** A new endpoint; its secret is in this answer and never again. */
  async createWebhookEndpoint(viewer: Viewer | undefined, input: WebhookEndpointInput): Promise<WebhookEndpoint> {
    if (!isUuid(input.practiceId)) throw notFound('Practice');
    await this.assertAdmin(viewer, input.practiceId);
    const url = await this.checkUrl(input.url);
    const events = checkEvents(input.events);
    const count = await this.prisma.webhookEndpoint.count({ where: { practiceId: input.practiceId, deletedAt: null } });
    if (count >= MAX_ENDPOINTS_PER_PRACTICE)
      throw badUserInput(`A practice can have at most ${MAX_ENDPOINTS_PER_PRACTICE} webhook endpoints.`);
    const secret = newWebhookSecret();
    const id = randomUUID();
    const row = await this.transactions.run(async (tx) => {
      const inserted = await insertEndpoint(tx, {
        id,
        practiceId: input.practiceId,
        url,
        events,
        secret: sealWebhookSecret(this.options.cipher, id, secret),
        createdById: viewer?.userId ?? null,
        includeReason: input.includeReason === true,
      });
      await this.writeEndpointEvent(tx, viewer, SecurityAction.WebhookEndpointCreated, input.practiceId, id);
      return inserted;
    });
    return toWebhookEndpoint(row, secret);
  }

  /**
   * Deletes the endpoint: its pending deliveries are not sent, and it disappears from the API, but
   * it and its delivery log are kept for AUDIT_RETENTION (they record disclosures). Endpoints
   * deleted longer ago than that go for good now, with their logs.
   */
  async deleteWebhookEndpoint(viewer: Viewer | undefined, id: string): Promise<boolean> {
    const endpoint = await this.endpointForAdmin(viewer, id);
    const now = this.options.clock();
    await this.transactions.run(async (tx) => {
      await deleteEndpoint(tx, endpoint.id, now);
      await this.writeEndpointEvent(tx, viewer, SecurityAction.WebhookEndpointDeleted, endpoint.practiceId, endpoint.id);
      await purgeDeletedEndpoints(tx, new Date(now.getTime() - this.options.retentionSeconds * 1000));
    });
    return true;
  }

  /** A new secret, returned once; deliveries from now on are signed with it. */
  async rotateWebhookSecret(viewer: Viewer | undefined, id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.endpointForAdmin(viewer, id);
    const secret = newWebhookSecret();
    const sealed = sealWebhookSecret(this.options.cipher, endpoint.id, secret);
    const row = await this.transactions.run(async (tx) => {
      const rotated = await rotateSecret(tx, endpoint.id, sealed);
      if (rotated) await this.writeEndpointEvent(tx, viewer, SecurityAction.WebhookSecretRotated, endpoint.practiceId, endpoint.id);
      return rotated;
    });
    if (!row) throw notFound('Webhook endpoint');
    return toWebhookEndpoint(row, secret);
  }

  async webhookEndpoints(viewer: Viewer | undefined, practiceId: string): Promise<WebhookEndpoint[]> {
    if (!isUuid(practiceId)) throw notFound('Practice');
    await this.assertAdmin(viewer, practiceId);
    const rows = await this.prisma.webhookEndpoint.findMany({ where: { practiceId, deletedAt: null }, orderBy: { createdAt: 'asc' } });
    return rows.map((row) => toWebhookEndpoint(row));
  }

  /** The endpoint's deliveries, newest first. */
  async webhookDeliveries(viewer: Viewer | undefined, endpointId: string, first: number): Promise<WebhookDelivery[]> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_DELIVERIES_PAGE)
      throw badUserInput(`first must be from 1 to ${MAX_DELIVERIES_PAGE}.`, 'first');
    const endpoint = await this.endpointForAdmin(viewer, endpointId);
    const rows = await this.prisma.webhookDelivery.findMany({
      where: { endpointId: endpoint.id },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: first,
    });
    return rows.map(toWebhookDelivery);
  }

  /**
   * Sends a delivery's event again, as a new delivery with the same event id and body (receivers
   * deduplicate on it). Asking for it says the receiver works again, so a disabled endpoint is
   * enabled again.
   */
  async redeliverWebhook(viewer: Viewer | undefined, deliveryId: string): Promise<WebhookDelivery> {
    if (!isUuid(deliveryId)) throw notFound('Webhook delivery');
    const original = await this.prisma.webhookDelivery.findUnique({ where: { id: deliveryId } });
    if (!original) throw notFound('Webhook delivery');
    await this.endpointForAdmin(viewer, original.endpointId);
    const id = await this.transactions.run(async (tx) => {
      await enableEndpoint(tx, original.endpointId);
      const delivery = await createDelivery(tx, {
        endpointId: original.endpointId,
        eventId: original.eventId,
        eventType: original.eventType,
        body: original.body,
      });
      // A redelivery discloses the patient to the endpoint again: audited like the fan-out's
      // deliveries, in the transaction that writes it (before any send).
      await this.auditDisclosure(tx, original.endpointId, delivery, original.body);
      return delivery;
    });
    this.options.onEnqueued();
    return toWebhookDelivery(await this.prisma.webhookDelivery.findUniqueOrThrow({ where: { id } }));
  }

  /** A security event about an endpoint, in the change's transaction. */
  private async writeEndpointEvent(tx: Tx, viewer: Viewer | undefined, action: SecurityAction, practiceId: string, endpointId: string) {
    const actor = requireViewer(viewer);
    await this.options.audit.writeSecurityEvent(tx, {
      action,
      outcome: SecurityOutcome.Success,
      actorUserId: actor.userId,
      actorRole: actor.role,
      practiceId,
      objectType: 'webhookEndpoint',
      objectId: endpointId,
      request: actor.request,
    });
  }

  /** The disclosure row of a delivery whose body names a patient, with the endpoint's registrar as actor (webhookActor). */
  private async auditDisclosure(tx: Tx, endpointId: string, deliveryId: string, body: string): Promise<void> {
    const patientId = patientOfBody(body);
    if (patientId === null) return;
    const registrar = await readEndpointRegistrar(tx, endpointId);
    if (!registrar) return;
    // An endpoint whose registering account is gone was registered by a practice admin: STAFF (as the fan-out).
    const actor = webhookActor({ userId: registrar.userId, role: registrar.role ?? 'STAFF' }, registrar.practiceId);
    await this.options.audit.writeAs(tx, actor, [
      { action: AuditAction.DiscloseToWebhook, patientId, objectType: 'webhookDelivery', objectId: deliveryId },
    ]);
  }

  private async endpointForAdmin(viewer: Viewer | undefined, id: string) {
    if (!isUuid(id)) throw notFound('Webhook endpoint');
    const endpoint = await this.prisma.webhookEndpoint.findUnique({
      where: { id },
      select: { id: true, practiceId: true, deletedAt: true },
    });
    if (!endpoint || endpoint.deletedAt) throw notFound('Webhook endpoint');
    await this.assertAdmin(viewer, endpoint.practiceId);
    return endpoint;
  }

  private async checkUrl(text: string): Promise<string> {
    const trimmed = text.trim();
    if (trimmed.length > MAX_URL_LENGTH) throw badUserInput(`The URL is longer than ${MAX_URL_LENGTH} characters.`, 'url');
    try {
      const url = checkWebhookUrl(trimmed, this.options.allowPrivate);
      await resolveWebhookHost(url.hostname, this.options.allowPrivate);
      return url.toString();
    } catch (error) {
      if (error instanceof WebhookAddressRefused) throw badUserInput(error.message, 'url');
      throw error;
    }
  }
}

const BodyPatient = z.object({ data: z.object({ patient: z.object({ id: z.string() }) }) });

/** The patient a stored delivery body names (the fan-out wrote it), or null when it names none. */
function patientOfBody(body: string): string | null {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return null;
  }
  const parsed = BodyPatient.safeParse(json);
  return parsed.success && isUuid(parsed.data.data.patient.id) ? parsed.data.data.patient.id : null;
}

function checkEvents(events: readonly string[]): string[] {
  const unique = [...new Set(events.map((event) => event.trim()))];
  if (unique.length === 0) throw badUserInput('Subscribe to at least one event type.', 'events');
  const unknown = unique.filter((event) => !isWebhookEventType(event));
  if (unknown.length > 0)
    throw badUserInput(`Unknown event types: ${unknown.join(', ')}. Known: ${WEBHOOK_EVENT_TYPES.join(', ')}.`, 'events');
  return unique;
}

declare module '../../graphql/request-context' {
  interface RequestServices {
    readonly webhooks: WebhookService;
  }
}
