import { requireRole, type Viewer } from '../../accounts/authorization';
import type { PrismaClient } from '../../generated/prisma/client';
import { Role } from '../../generated/prisma/enums';
import type { NotificationPreferences, NotificationPreferencesInput } from './preferences.type';

const DEFAULTS: NotificationPreferences = { confirmations: true, reminders: true };

/** A patient's own mail choices: read and change them (PATIENT only, for themself). */
export class NotificationPreferencesService {
  constructor(private readonly prisma: PrismaClient) {}

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
    const row = await this.prisma.notificationPreferences.upsert({
      where: { patientId: patient.userId },
      create: { patientId: patient.userId, ...DEFAULTS, ...changes },
      update: { ...changes, updatedAt: new Date() },
    });
    return { confirmations: row.confirmations, reminders: row.reminders };
  }
}

declare module '../../graphql/request-context' {
  interface RequestServices {
    readonly notificationPreferences: NotificationPreferencesService;
  }
}
