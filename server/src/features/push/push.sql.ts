import { z } from 'zod';
import { accountActive, userRoleOf } from '../../accounts/users.sql';
import type { Sql, Statement } from '../../platform/sql';
import { doctorPracticeId } from '../doctors/doctors.sql';
import { Channel, choseChannel } from '../notifications/notification-settings.sql';
import { practiceStaffIds } from '../practices/practices.sql';

/**
 * The statements of the `push_subscriptions` table (this folder owns it), and the conditions other
 * statements compose: whether an appointment's staff side, or a patient, has somewhere to push to.
 */

/**
 * Whether the patient `patientId` (a SQL expression of type uuid) gets their reminder by push: PUSH
 * is among their channels (updateNotificationSettings) and a browser of theirs is subscribed.
 * The one place the patient's channel choice is decided for push.
 */
export function patientWantsPush(patientId: string): string {
  return `(${choseChannel(patientId, Channel.PUSH)} AND EXISTS (SELECT 1 FROM push_subscriptions wants WHERE wants.user_id = ${patientId}))`;
}

/** Users who hear of a change to the doctor's appointments by push: the doctor and their practice's front desk (active accounts). */
function staffSideIds(doctorId: string): string {
  return `(SELECT ${doctorId} UNION SELECT desk.id FROM ${practiceStaffIds(doctorPracticeId(doctorId))} desk)`;
}

/** A condition: someone on the staff side of the doctor `doctorId` (a SQL expression) has a push subscription. */
export function staffSideSubscribed(doctorId: string): string {
  return `EXISTS (SELECT 1 FROM push_subscriptions side WHERE side.user_id IN ${staffSideIds(doctorId)})`;
}

const UPSERT: Statement = {
  name: 'push_subscriptions_upsert',
  text: `
    INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth, created_at)
    VALUES ($1::uuid, $2::text, $3::text, $4::text, $5::timestamptz)
    ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth,
                                         created_at = excluded.created_at`,
};

/**
 * Stores the browser's subscription for this user: the same endpoint registered again (new keys,
 * or another account signed in on that browser) replaces the row, so a browser pushes to one user.
 */
export async function upsertPushSubscription(
  tx: Sql,
  userId: string,
  subscription: { readonly endpoint: string; readonly p256dh: string; readonly auth: string },
  at: Date,
): Promise<void> {
  await tx.query(UPSERT, [userId, subscription.endpoint, subscription.p256dh, subscription.auth, at.toISOString()]);
}

const DELETE_OF_USER: Statement = {
  name: 'push_subscriptions_delete_of_user',
  text: 'DELETE FROM push_subscriptions WHERE endpoint = $1::text AND user_id = $2::uuid RETURNING id',
};

/** Removes the user's subscription with this endpoint; resolves with whether there was one. */
export async function deletePushSubscriptionOfUser(tx: Sql, userId: string, endpoint: string): Promise<boolean> {
  return (await tx.query(DELETE_OF_USER, [endpoint, userId])).length > 0;
}

const DELETE_GONE: Statement = {
  name: 'push_subscriptions_delete_gone',
  text: 'DELETE FROM push_subscriptions WHERE id = $1::uuid AND endpoint = $2::text',
};

/** Removes a subscription the push service called gone (404/410), unless it was registered anew meanwhile under another endpoint. */
export async function deleteGoneSubscription(tx: Sql, id: string, endpoint: string): Promise<void> {
  await tx.query(DELETE_GONE, [id, endpoint]);
}

const BY_ID: Statement = {
  name: 'push_subscriptions_by_id',
  text: 'SELECT id, user_id, endpoint, p256dh, auth FROM push_subscriptions WHERE id = $1::uuid',
};

const SubscriptionRow = z.object({ id: z.string(), user_id: z.string(), endpoint: z.string(), p256dh: z.string(), auth: z.string() });

export interface StoredSubscription {
  readonly id: string;
  readonly userId: string;
  readonly endpoint: string;
  readonly p256dh: string;
  readonly auth: string;
}

function toStored(raw: unknown): StoredSubscription {
  const row = SubscriptionRow.parse(raw);
  return { id: row.id, userId: row.user_id, endpoint: row.endpoint, p256dh: row.p256dh, auth: row.auth };
}

/** The subscription, or undefined once it was removed. */
export async function readPushSubscription(sql: Sql, id: string): Promise<StoredSubscription | undefined> {
  const [raw] = await sql.query(BY_ID, [id]);
  return raw === undefined ? undefined : toStored(raw);
}

const STAFF_SIDE: Statement = {
  name: 'push_subscriptions_staff_side',
  text: `
    SELECT s.id, s.user_id, s.endpoint, s.p256dh, s.auth, ${userRoleOf('s.user_id')} AS role, ${doctorPracticeId('$1::uuid')} AS practice_id
    FROM push_subscriptions s
    WHERE s.user_id IN ${staffSideIds('$1::uuid')} AND ${accountActive('s.user_id')}
    ORDER BY s.user_id, s.id`,
};

const StaffSideRow = SubscriptionRow.extend({ role: z.string().nullable(), practice_id: z.string().nullable() });

/** A subscription of a doctor or front desk, with the user's role and the practice (for audit rows). */
export interface StaffSideSubscription extends StoredSubscription {
  readonly role: string;
  readonly practiceId: string | null;
}

/** The push subscriptions of the doctor and of their practice's front desk (deactivated accounts left out). */
export async function readStaffSideSubscriptions(sql: Sql, doctorId: string): Promise<StaffSideSubscription[]> {
  return (await sql.query(STAFF_SIDE, [doctorId])).map((raw) => {
    const row = StaffSideRow.parse(raw);
    return { ...toStored(row), role: row.role ?? 'STAFF', practiceId: row.practice_id };
  });
}

const OF_PATIENT: Statement = {
  name: 'push_subscriptions_of_patient',
  text: `SELECT id, user_id, endpoint, p256dh, auth FROM push_subscriptions WHERE user_id = $1::uuid AND ${patientWantsPush('$1::uuid')} ORDER BY id`,
};

/** The subscriptions a patient's reminder goes to: none unless patientWantsPush. */
export async function readPatientPushSubscriptions(sql: Sql, patientId: string): Promise<StoredSubscription[]> {
  return (await sql.query(OF_PATIENT, [patientId])).map(toStored);
}
