import { requireRole, type Viewer } from '../../accounts/authorization';
import { Role } from '../../generated/prisma/enums';
import type { Transactions } from '../../live/transactions';
import type { Clock } from '../../platform/clock';
import type { PrismaReader } from '../../platform/database';
import { upsertPreferences } from './notifications.sql';
import type { NotificationPreferences, NotificationPreferencesInput } from './preferences.type';

const DEFAULTS: NotificationPreferences = { confirmations: true, reminders: true };

/** A patient's own mail choices: read and change them (PATIENT only, for themself). */
export class NotificationPreferencesService {
  constructor(
    private readonly prisma: PrismaReader,
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
}

declare module '../../graphql/request-context' {
  interface RequestServices {
    readonly notificationPreferences: NotificationPreferencesService;
  }
}
