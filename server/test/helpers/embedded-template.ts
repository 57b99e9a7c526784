import { cp, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseConfig } from '../../src/platform/config';
import { openDatabase } from '../../src/platform/database';
import { createLogger } from '../../src/platform/logger';

/** Where global-setup.ts tells the test workers the run's template is. */
const TEMPLATE_ENV = 'CARELINE_TEST_EMBEDDED_TEMPLATE';

/**
 * An embedded database (PGlite) made once per run, with every migration applied by the server's
 * own code: each embedded test server starts from a copy of it instead of running initdb and
 * every migration again (3 s of a quiet machine's CPU per server, several times that on the
 * suite's busy one). Servers that start on their own (spawn-main.ts) still begin from nothing,
 * so that path stays tested.
 */
export async function createEmbeddedTemplate(): Promise<void> {
  const root = await mkdtemp(path.join(tmpdir(), 'careline-template-'));
  const dataDir = path.join(root, 'data');
  const config = parseConfig({ NODE_ENV: 'test', JWT_SECRET: 'template-secret-that-is-at-least-32-bytes', DATA_DIR: dataDir });
  const database = await openDatabase(config.database, createLogger({ logLevel: 'silent' }));
  await database.close();
  process.env[TEMPLATE_ENV] = dataDir;
}

export async function removeEmbeddedTemplate(): Promise<void> {
  const dataDir = process.env[TEMPLATE_ENV];
  if (dataDir) await rm(path.dirname(dataDir), { recursive: true, force: true });
}

/** Copies the run's template to `dataDir`, unless something is there already (a test's own folder, a restart). */
export async function seedFromTemplate(dataDir: string): Promise<void> {
  const template = process.env[TEMPLATE_ENV];
  if (!template) return;
  const present = await stat(dataDir).then(
    () => true,
    () => false,
  );
  if (!present) await cp(template, dataDir, { recursive: true });
}
