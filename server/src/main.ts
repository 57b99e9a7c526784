// Composition root: read the configuration, start one CareLine instance, and stop it gracefully
// on SIGINT/SIGTERM (in-flight requests finish, sockets close with 1001, exit 0 within
// SHUTDOWN_TIMEOUT or exit 1).
// Must load before any type-graphql class is declared.
import 'reflect-metadata';
import { createApp } from './app';
import { ConfigError, parseConfig } from './platform/config';
import { createLogger } from './platform/logger';

async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.runtime);
  if (config.accounts.jwtSecretGenerated) {
    logger.warn('JWT_SECRET is not set: using a random secret for this process; tokens stop working when it restarts.');
  }
  if (config.audit.developmentKey) {
    logger.warn(
      'AUDIT_KEY is not set: audit chains use the public development key, so they prove nothing against someone who can write the database.',
    );
  }
  if (config.encryption.developmentKey) {
    logger.warn(
      'DATA_ENCRYPTION_KEY is not set: stored secrets are sealed with the public development key, so anyone with the database can open them.',
    );
  }
  if (!config.mail.smtpUrl) {
    logger.warn({ mailDir: config.mail.dir }, 'SMTP_URL is not set: mail is written as .eml files, not sent');
  }
  const app = await createApp(config, { logger });
  if (app.demo) {
    // Not the password: logs leave the machine (aggregators, tickets); the sign-in page lists it.
    logger.info(
      { doctors: app.demo.doctors, patients: app.demo.patients, staff: app.demo.staff },
      `demo logins: doctor ${app.demo.doctors[0]} / patient ${app.demo.patients[0]} / front desk ${app.demo.staff[1]} / practice admin ${app.demo.staff[0]} (the password is on the sign-in page)`,
    );
  }
  // Last: scripts and tests take this line as "ready", so everything above is in the log by then.
  logger.info(
    { url: app.url, database: app.database.kind, pubSub: app.pubSub.kind },
    `CareLine is running: open ${app.url} (GraphQL at ${app.url}/graphql)`,
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('shutdown took too long; exiting anyway');
      process.exit(1);
    }, config.runtime.shutdownTimeoutMs);
    timer.unref();
    app.dispose().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
