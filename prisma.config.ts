// Prisma CLI configuration. The CLI is only used offline here (`prisma generate`, `validate`,
// `format`); migrations are applied by our own runner (server/src/platform/migrations.ts).
import path from 'node:path';

// The CLI otherwise tries to download its schema engine even for `generate`, which fails with no
// internet. A stub that answers `--version` is enough for the commands we use.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(__dirname, 'prisma', 'schema-engine-stub.sh');

import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: path.join(__dirname, 'prisma', 'schema.prisma'),
  migrations: { path: path.join(__dirname, 'prisma', 'migrations') },
});
