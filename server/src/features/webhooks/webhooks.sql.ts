import { z } from 'zod';
import { userContact, UserContact, userRoleOf } from '../../accounts/users.sql';
import type { Sql, Statement } from '../../platform/sql';
import { timestamp } from '../../platform/sql-values';
import { doctorPracticeId } from '../doctors/doctors.sql';

/**
 * The statements of the webhooks module's tables: a practice's endpoints (webhook_endpoints) and
 * the log of what was sent to each (webhook_deliveries). Reads of one table by id go through
 * Prisma's typed reads (webhooks.service.ts); these are the writes, and the reads that compose
 * other modules' fragments.
 */

/** A delivery's state as the API shows it: pending (not tried yet), retrying, delivered or failed (for good). */
export type WebhookDeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'failed';

/** The endpoint `alias` is live (neither disabled nor deleted) and subscribed to `eventType` (an SQL expression of type text). */
function takesEvent(alias: string, eventType: string): string {
  return `${alias}.disabled_at IS NULL AND ${alias}.deleted_at IS NULL AND ${eventType} = ANY(${alias}.events)`;
}

/**
 * A condition for the fan-out's enqueue statement: the practice `practiceId` names (an SQL
 * expression of type uuid) has an endpoint taking events of type `eventType` (text).
 */
export function endpointTakesEvent(practiceId: string, eventType: string): string {
  return `EXISTS (SELECT 1 FROM webhook_endpoints WHERE webhook_endpoints.practice_id = ${practiceId} AND ${takesEvent('webhook_endpoints', eventType)})`;
}

/** An endpoint as the API shows it (the secret aside: shown once, by whoever wrote it). */
export interface EndpointRecord {
  readonly id: string;
  readonly url: string;
  readonly events: string[];
  readonly createdAt: Date;
  readonly disabledAt: Date | null;
  readonly disabledReason: string | null;
  /** Deliveries carry the appointment's free-text reasons only when true. */
  readonly includeReason: boolean;
}

const ENDPOINT_COLUMNS = 'id, url, events, created_at, disabled_at, disabled_reason, include_reason';

const EndpointRow = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  created_at: timestamp,
  disabled_at: timestamp.nullable(),
  disabled_reason: z.string().nullable(),
  include_reason: z.boolean(),
});

function toEndpointRecord(raw: unknown): EndpointRecord {
  const row = EndpointRow.parse(raw);
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
    disabledReason: row.disabled_reason,
    includeReason: row.include_reason,
  };
}

/**
 * A new endpoint of a practice. Its id is chosen by the caller: the sealed secret is bound to it
 * (webhook-secrets.ts), so it must be known before the row is written.
 */
const INSERT_ENDPOINT: Statement = {
  name: 'webhooks_insert_endpoint',
  text: `
    INSERT INTO webhook_endpoints (id, practice_id, url, events, secret, created_by_id, include_reason)
    VALUES ($7::uuid, $1::uuid, $2::text, $3::text[], $4::text, $5::uuid, $6::boolean)
    RETURNING ${ENDPOINT_COLUMNS}`,
};

export async function insertEndpoint(
  sql: Sql,
  endpoint: {
    readonly id: string;
    readonly practiceId: string;
    readonly url: string;
    readonly events: readonly string[];
    /** Sealed (webhook-secrets.ts): never the plaintext. */
    readonly secret: string;
    readonly createdById: string | null;
    readonly includeReason: boolean;
  },
): Promise<EndpointRecord> {
  const [raw] = await sql.query(INSERT_ENDPOINT, [
    endpoint.practiceId,
    endpoint.url,
    endpoint.events,
    endpoint.secret,
    endpoint.createdById,
    endpoint.includeReason,
    endpoint.id,
  ]);
  return toEndpointRecord(raw);
}

/**
 * Deletes an endpoint for its admins and the sender (deleted_at): nothing more is sent to it, and
 * its pending deliveries fail as deleted. It stays, with its delivery log, for AUDIT_RETENTION:
 * what was disclosed to whom must outlive the endpoint (purgeDeletedEndpoints removes it then).
 */
const DELETE_ENDPOINT: Statement = {
  name: 'webhooks_delete_endpoint',
  text: `UPDATE webhook_endpoints SET deleted_at = $2::timestamptz WHERE id = $1::uuid AND deleted_at IS NULL`,
};

export async function deleteEndpoint(sql: Sql, endpointId: string, at: Date): Promise<void> {
  await sql.query(DELETE_ENDPOINT, [endpointId, at.toISOString()]);
}

/** Endpoints deleted before $1 (AUDIT_RETENTION ago) go for good, their deliveries with them (ON DELETE CASCADE). */
const PURGE_DELETED_ENDPOINTS: Statement = {
  name: 'webhooks_purge_deleted_endpoints',
  text: `DELETE FROM webhook_endpoints WHERE deleted_at < $1::timestamptz`,
};

export async function purgeDeletedEndpoints(sql: Sql, deletedBefore: Date): Promise<void> {
  await sql.query(PURGE_DELETED_ENDPOINTS, [deletedBefore.toISOString()]);
}

/** Replaces an endpoint's signing secret (sealed); deliveries sign with the secret they read when sent. */
const ROTATE_SECRET: Statement = {
  name: 'webhooks_rotate_secret',
  text: `UPDATE webhook_endpoints SET secret = $2::text WHERE id = $1::uuid AND deleted_at IS NULL RETURNING ${ENDPOINT_COLUMNS}`,
};

/** The endpoint with its new secret; null when it was deleted meanwhile. */
export async function rotateSecret(sql: Sql, endpointId: string, secret: string): Promise<EndpointRecord | null> {
  const [raw] = await sql.query(ROTATE_SECRET, [endpointId, secret]);
  return raw === undefined ? null : toEndpointRecord(raw);
}

/** Endpoints (deleted ones too: they keep their row) after id $1, by id, $2 at most: the re-seal pass's pages. */
const ENDPOINT_SECRETS_PAGE: Statement = {
  name: 'webhooks_endpoint_secrets_page',
  text: `SELECT id::text AS id, secret FROM webhook_endpoints WHERE id > $1::uuid ORDER BY id LIMIT $2::int`,
};

const SecretRow = z.object({ id: z.string(), secret: z.string() });

/** A page of endpoints' stored secrets (sealed, or plaintext from before sealing), after `afterId`. */
export async function endpointSecretsPage(
  sql: Sql,
  afterId: string,
  limit: number,
): Promise<Array<{ readonly id: string; readonly secret: string }>> {
  const rows = await sql.query(ENDPOINT_SECRETS_PAGE, [afterId, limit]);
  return rows.map((raw) => SecretRow.parse(raw));
}

/**
 * Stores an endpoint's secret sealed again ($3), only if it is still what was read ($2): a
 * rotation in between wins, and its newer secret is left alone.
 */
const RESEAL_SECRET: Statement = {
  name: 'webhooks_reseal_secret',
  text: `UPDATE webhook_endpoints SET secret = $3::text WHERE id = $1::uuid AND secret = $2::text`,
};

export async function resealSecret(sql: Sql, endpointId: string, stored: string, sealed: string): Promise<void> {
  await sql.query(RESEAL_SECRET, [endpointId, stored, sealed]);
}

/** Who registered an endpoint and in which practice: the actor of its disclosures' audit rows. */
const ENDPOINT_REGISTRAR: Statement = {
  name: 'webhooks_endpoint_registrar',
  text: `SELECT e.practice_id::text AS practice_id, e.created_by_id::text AS user_id, ${userRoleOf('e.created_by_id')} AS role FROM webhook_endpoints e WHERE e.id = $1::uuid`,
};

const RegistrarRow = z.object({ practice_id: z.string(), user_id: z.string().nullable(), role: z.string().nullable() });

/** The endpoint's practice and registering admin (userId and role null when the account is gone); null: no such endpoint. */
export async function readEndpointRegistrar(
  sql: Sql,
  endpointId: string,
): Promise<{ readonly practiceId: string; readonly userId: string | null; readonly role: string | null } | null> {
  const [raw] = await sql.query(ENDPOINT_REGISTRAR, [endpointId]);
  if (raw === undefined) return null;
  const row = RegistrarRow.parse(raw);
  return { practiceId: row.practice_id, userId: row.user_id, role: row.role };
}

/** Enables an endpoint again (its admin says the receiver works again), with a clean slate of failures. */
const ENABLE_ENDPOINT: Statement = {
  name: 'webhooks_enable_endpoint',
  text: `UPDATE webhook_endpoints SET disabled_at = NULL, disabled_reason = NULL, failing_since = NULL WHERE id = $1::uuid`,
};

export async function enableEndpoint(sql: Sql, endpointId: string): Promise<void> {
  await sql.query(ENABLE_ENDPOINT, [endpointId]);
}

/** One event to send to one endpoint: the exact body every attempt sends. */
export interface NewDelivery {
  readonly endpointId: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly body: string;
}

const INSERT_DELIVERY: Statement = {
  name: 'webhooks_insert_delivery',
  text: `
    INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, body)
    VALUES ($1::uuid, $2::text, $3::text, $4::text)
    RETURNING id`,
};

const IdRow = z.object({ id: z.string() });

/** Writes a delivery (pending); resolves with its id. */
export async function insertDelivery(sql: Sql, delivery: NewDelivery): Promise<string> {
  const [raw] = await sql.query(INSERT_DELIVERY, [delivery.endpointId, delivery.eventId, delivery.eventType, delivery.body]);
  return IdRow.parse(raw).id;
}

/**
 * A delivery of one event to each of these endpoints that has none of it yet: a fan-out run twice
 * (its job is at least once) writes no second one.
 */
const INSERT_MISSING_DELIVERIES: Statement = {
  name: 'webhooks_insert_missing_deliveries',
  text: `
    INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, body)
    SELECT e.id, $2::text, $3::text, $4::text
    FROM unnest($1::uuid[]) AS e(id)
    WHERE NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.endpoint_id = e.id AND d.event_id = $2::text)
    RETURNING id, endpoint_id`,
};

const WrittenRow = z.object({ id: z.string(), endpoint_id: z.string() });

/** Writes the missing deliveries of one event; resolves with those written (delivery and endpoint ids). */
export async function insertMissingDeliveries(
  sql: Sql,
  event: { readonly eventId: string; readonly eventType: string; readonly body: string },
  endpointIds: readonly string[],
): Promise<Array<{ readonly id: string; readonly endpointId: string }>> {
  const rows = await sql.query(INSERT_MISSING_DELIVERIES, [endpointIds, event.eventId, event.eventType, event.body]);
  return rows.map((raw) => {
    const row = WrittenRow.parse(raw);
    return { id: row.id, endpointId: row.endpoint_id };
  });
}

/** The URL of each delivery's endpoint (deleted endpoints too: they are kept for AUDIT_RETENTION). */
const DELIVERY_ENDPOINT_URLS: Statement = {
  name: 'webhooks_delivery_endpoint_urls',
  text: `
    SELECT d.id::text AS id, e.url
    FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
    WHERE d.id = ANY($1::uuid[])`,
};

const UrlRow = z.object({ id: z.string(), url: z.string() });

/** Delivery id -> its endpoint's URL, for the deliveries that still exist. */
export async function endpointUrlsOfDeliveries(sql: Sql, deliveryIds: readonly string[]): Promise<Map<string, string>> {
  if (deliveryIds.length === 0) return new Map();
  const rows = await sql.query(DELIVERY_ENDPOINT_URLS, [deliveryIds]);
  return new Map(
    rows.map((raw) => {
      const row = UrlRow.parse(raw);
      return [row.id, row.url];
    }),
  );
}

/**
 * What the fan-out of one appointment event needs, in one statement: the doctor's practice (NULL:
 * no such doctor), its live endpoints subscribed to the event's type, and the names of the
 * patient and the doctor for the body.
 */
const FANOUT_TARGETS: Statement = {
  name: 'webhooks_fanout_targets',
  text: `
    WITH practice AS (SELECT ${doctorPracticeId('$1::uuid')} AS id)
    SELECT practice.id AS practice_id,
           ARRAY(SELECT e.id::text FROM webhook_endpoints e WHERE e.practice_id = practice.id AND ${takesEvent('e', '$2::text')} ORDER BY e.id) AS endpoint_ids,
           ARRAY(SELECT e.id::text FROM webhook_endpoints e WHERE e.practice_id = practice.id AND ${takesEvent('e', '$2::text')} AND e.include_reason ORDER BY e.id) AS reason_endpoint_ids,
           ARRAY(SELECT json_build_object('id', e.id, 'userId', e.created_by_id, 'role', ${userRoleOf('e.created_by_id')})
                 FROM webhook_endpoints e WHERE e.practice_id = practice.id AND ${takesEvent('e', '$2::text')} ORDER BY e.id) AS registrars,
           ${userContact('$3::uuid')} AS patient, ${userContact('$1::uuid')} AS doctor
    FROM practice`,
};

const TargetsRow = z.object({
  practice_id: z.string().nullable(),
  endpoint_ids: z.array(z.string()),
  reason_endpoint_ids: z.array(z.string()),
  registrars: z.array(z.object({ id: z.string(), userId: z.string().nullable(), role: z.string().nullable() })),
  patient: UserContact,
  doctor: UserContact,
});

export interface FanoutTargets {
  /** null: the doctor does not exist (or belongs to no practice). */
  readonly practiceId: string | null;
  readonly endpointIds: string[];
  /** Those of endpointIds created with includeReason: true. */
  readonly reasonEndpointIds: string[];
  /** Who registered each endpoint (by endpoint id): the actor of its disclosures' audit rows; null: the account is gone. */
  readonly registrars: ReadonlyMap<string, { readonly userId: string | null; readonly role: string | null }>;
  /** null: no such user. */
  readonly patientName: string | null;
  readonly doctorName: string | null;
}

/** FANOUT_TARGETS for a doctor (a UUID), an event type and a patient (a UUID, or null when the event's is not one). */
export async function readFanoutTargets(sql: Sql, doctorId: string, eventType: string, patientId: string | null): Promise<FanoutTargets> {
  const [raw] = await sql.query(FANOUT_TARGETS, [doctorId, eventType, patientId]);
  const row = TargetsRow.parse(raw);
  return {
    practiceId: row.practice_id,
    endpointIds: row.endpoint_ids,
    reasonEndpointIds: row.reason_endpoint_ids,
    registrars: new Map(row.registrars.map((registrar) => [registrar.id, { userId: registrar.userId, role: registrar.role }])),
    patientName: row.patient?.name ?? null,
    doctorName: row.doctor?.name ?? null,
  };
}

/**
 * A delivery got a 2xx: delivered, and its endpoint's run of failures is over (one statement:
 * the endpoint is the delivery's).
 */
const MARK_DELIVERED: Statement = {
  name: 'webhooks_mark_delivered',
  text: `
    WITH delivery AS (
      UPDATE webhook_deliveries
      SET status = 'delivered', attempts = $2::int, last_status_code = $3::int, last_error = NULL, next_attempt_at = NULL, delivered_at = $4::timestamptz
      WHERE id = $1::uuid
      RETURNING endpoint_id)
    UPDATE webhook_endpoints SET failing_since = NULL WHERE id = (SELECT endpoint_id FROM delivery)`,
};

export async function markDelivered(
  sql: Sql,
  deliveryId: string,
  outcome: { readonly attempt: number; readonly statusCode: number; readonly at: Date },
): Promise<void> {
  await sql.query(MARK_DELIVERED, [deliveryId, outcome.attempt, outcome.statusCode, outcome.at.toISOString()]);
}

/** A delivery is not sent because its endpoint is disabled or deleted: failed, with that reason ($2). */
const FAIL_FOR_DISABLED_ENDPOINT: Statement = {
  name: 'webhooks_fail_for_disabled_endpoint',
  text: `UPDATE webhook_deliveries SET status = 'failed', last_error = $2::text, next_attempt_at = NULL WHERE id = $1::uuid`,
};

export async function failForDisabledEndpoint(
  sql: Sql,
  deliveryId: string,
  reason: 'the endpoint is disabled' | 'the endpoint was deleted',
): Promise<void> {
  await sql.query(FAIL_FOR_DISABLED_ENDPOINT, [deliveryId, reason]);
}

/** An attempt failed: the delivery's state after it (retrying with its next time, or failed). */
const MARK_ATTEMPT_FAILED: Statement = {
  name: 'webhooks_mark_attempt_failed',
  text: `
    UPDATE webhook_deliveries
    SET status = $2::text, attempts = $3::int, last_status_code = $4::int, last_error = $5::text, next_attempt_at = $6::timestamptz
    WHERE id = $1::uuid
    RETURNING endpoint_id`,
};

const EndpointIdRow = z.object({ endpoint_id: z.string() });

/** Records a failed attempt; resolves with the delivery's endpoint, or null when the delivery is gone (its endpoint was deleted). */
export async function markAttemptFailed(
  sql: Sql,
  deliveryId: string,
  failure: {
    readonly status: Extract<WebhookDeliveryStatus, 'retrying' | 'failed'>;
    readonly attempt: number;
    readonly statusCode: number | null;
    readonly error: string;
    readonly nextAttemptAt: Date | null;
  },
): Promise<string | null> {
  const [raw] = await sql.query(MARK_ATTEMPT_FAILED, [
    deliveryId,
    failure.status,
    failure.attempt,
    failure.statusCode,
    failure.error,
    failure.nextAttemptAt?.toISOString() ?? null,
  ]);
  return raw === undefined ? null : EndpointIdRow.parse(raw).endpoint_id;
}

/**
 * An endpoint's delivery failed at $2: its run of failures begins now unless one is under way,
 * and an endpoint still live whose run began at or before $3 (a whole window ago) is disabled at
 * $2 with the reason $4. Every SET expression sees the row as it was, so both read one state.
 */
const MARK_ENDPOINT_FAILING: Statement = {
  name: 'webhooks_mark_endpoint_failing',
  text: `
    UPDATE webhook_endpoints
    SET failing_since = coalesce(failing_since, $2::timestamptz),
        disabled_at = CASE WHEN disabled_at IS NULL AND coalesce(failing_since, $2::timestamptz) <= $3::timestamptz THEN $2::timestamptz ELSE disabled_at END,
        disabled_reason = CASE WHEN disabled_at IS NULL AND coalesce(failing_since, $2::timestamptz) <= $3::timestamptz THEN $4::text ELSE disabled_reason END
    WHERE id = $1::uuid`,
};

export async function markEndpointFailing(
  sql: Sql,
  endpointId: string,
  failure: { readonly at: Date; readonly disableIfFailingSince: Date; readonly reason: string },
): Promise<void> {
  await sql.query(MARK_ENDPOINT_FAILING, [
    endpointId,
    failure.at.toISOString(),
    failure.disableIfFailingSince.toISOString(),
    failure.reason,
  ]);
}
