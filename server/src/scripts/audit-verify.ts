// npm run audit:verify: checks every audit chain of the database the server would use
// (DATABASE_URL, or the embedded database in DATA_DIR, whose folder lock it takes like a server
// does: stop the server first when it is embedded) with AUDIT_KEY, against the signed checkpoints
// in AUDIT_CHECKPOINT_FILE. Exit 0 when every chain is intact, 1 naming the first bad row (or
// checkpoint line), 2 when the check could not run.
import { describeBreak } from '../audit/audit-chain';
import { verifyAuditChains } from '../audit/audit-verify';
import { systemClock } from '../platform/clock';
import { ConfigError, parseConfig } from '../platform/config';
import { openDatabase } from '../platform/database';
import { createLogger } from '../platform/logger';

async function main(): Promise<number> {
  // A command's default level is warn (LOG_LEVEL, when set, wins).
  const config = parseConfig({ LOG_LEVEL: 'warn', ...process.env });
  const database = await openDatabase(config.database, createLogger(config.runtime));
  try {
    if (config.audit.developmentKey) {
      console.warn(
        'AUDIT_KEY is not set: checking with the public development key, which proves nothing against someone who can write the database',
      );
    }
    const result = await verifyAuditChains(database, {
      key: config.audit.key,
      checkpointFile: config.audit.checkpointFile,
      retentionSeconds: config.audit.retentionSeconds,
      now: systemClock(),
    });
    if (result.firstBreak) {
      console.error(describeBreak(result.firstBreak));
      return 1;
    }
    if (result.checkpoints === 0) {
      console.warn(`no signed checkpoints in ${config.audit.checkpointFile}: rows deleted from a chain's end cannot be noticed`);
    }
    console.log(`audit trail intact: ${result.rowsChecked} rows in ${result.partitions} chains, ${result.checkpoints} signed checkpoints`);
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(
      error instanceof ConfigError
        ? error.message
        : `audit:verify could not run: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(2);
  },
);
