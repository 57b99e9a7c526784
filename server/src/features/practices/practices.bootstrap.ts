import { accountExists } from '../../accounts/users.sql';
import type { BootstrapConfig } from '../../platform/config';
import type { PrismaReader } from '../../platform/database';
import { ErrorCode } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import type { PracticeService } from './practices.service';
import { GraphQLError } from 'graphql';

/**
 * BOOTSTRAP_*: the first practice and its STAFF admin, once. Nothing happens when an account with
 * that email exists (a restart, or the admin was created another way); two instances starting
 * together create it once (the losing one meets the unique email). Never logs the password.
 */
export async function bootstrapPractice(
  practices: PracticeService,
  prisma: PrismaReader,
  bootstrap: BootstrapConfig,
  logger: Logger,
): Promise<void> {
  if (await accountExists(prisma, bootstrap.adminEmail)) return;
  try {
    const { practice } = await practices.createPracticeWithAdmin({
      name: bootstrap.practiceName,
      timeZone: bootstrap.practiceTimeZone,
      adminEmail: bootstrap.adminEmail,
      adminPassword: bootstrap.adminPassword,
    });
    logger.info({ practiceId: practice.id, admin: bootstrap.adminEmail }, `created the first practice "${practice.name}" and its admin`);
  } catch (error) {
    if (error instanceof GraphQLError && error.extensions['code'] === ErrorCode.Conflict) return;
    throw error;
  }
}
