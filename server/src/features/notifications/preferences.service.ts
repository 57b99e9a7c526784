import { requireRole, requireViewer, type Viewer } from '../../accounts/authorization';
import { Role } from '../../generated/prisma/enums';
import type { Transactions } from '../../live/transactions';
import type { Clock } from '../../platform/clock';
import type { PrismaReader } from '../../platform/database';
import type { Sql } from '../../platform/sql';
import { applySettingsChange, type SettingsChange } from './notification-settings.rules';
import { DEFAULT_SETTINGS, lockSettings, readSettings, writeSettings, type NotificationSettingsRow } from './notification-settings.sql';
import { parsePhone } from './phone-numbers';
import { upsertPreferences } from './notifications.sql';
import type { NotificationPreferences, NotificationPreferencesInput } from './preferences.type';

const DEFAULTS: NotificationPreferences = { confirmations: true, reminders: true };

/**
 * A user's own messaging choices: the patient's mail choices (confirmations, reminders), and every
 * user's channels, phone and SMS consent (for themself only).
 */
export class NotificationPreferencesService {
  constructor(
    private readonly prisma: PrismaReader,
    private readonly sql: Sql,
    private readonly transactions: Transactions,
    private readonly clock: Clock,
  ) {}

  async notificationPreferences(viewer: Viewer | undefined): Promise<NotificationPreferences> {
    const patient = requireRole(viewer, Role.PATIENT, 'have notification preferences');
    const row = await this.prisma.notificationPreferences.findUnique({ where: { patientId: patient.userId } });
    return row ? { confirmations: row.confirmations, reminders: row.reminders } : DEFAULTS;
  }

  async updateNotificationPreferences(viewer: Viewer | undefined, input: NotificationPreferencesInput): Promise<NotificationPreferences> {
    const patient = requireRole(viewer, Role.PATIENT, 'have notification preferences');
    const changes = {
      ...(input.confirmations == null ? {} : { confirmations: input.confirmations }),
      ...(input.reminders == null ? {} : { reminders: input.reminders }),
    };
    return this.transactions.run((tx) => upsertPreferences(tx, patient.userId, changes, this.clock()));
  }

  /** The settings of a user (the caller's own account: User is only ever `me`). */
  settingsOf(userId: string): Promise<NotificationSettingsRow> {
    return readSettings(this.sql, userId);
  }

  /**
   * Replaces the signed-in user's channels and changes their phone and SMS consent (any role).
   * BAD_USER_INPUT naming the field: an invalid phone (`phone`), SMS without a phone (`phone`) or
   * without consent (`smsConsent`).
   */
  async updateNotificationSettings(viewer: Viewer | undefined, change: SettingsChange): Promise<NotificationSettingsRow> {
    const signedIn = requireViewer(viewer);
    // Checked before the transaction too, so a bad number costs no round trip.
    if (change.phone?.trim()) parsePhone(change.phone);
    return this.transactions.run(async (tx) => {
      const now = this.clock();
      const current = (await lockSettings(tx, signedIn.userId)) ?? DEFAULT_SETTINGS;
      return writeSettings(tx, signedIn.userId, applySettingsChange(current, change, now), now);
    });
  }
}

declare module '../../graphql/request-context' {
  interface RequestServices {
    readonly notificationPreferences: NotificationPreferencesService;
  }
}
