// Writes docs/configuration.md from the configuration schema (npm run config:docs), or with
// --check fails when the committed file differs (npm run check), so the reference an operator
// reads is the configuration the server parses.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { REFERENCE_COMMAND, renderConfigReference } from '../platform/config/reference';

export const REFERENCE_FILE = path.resolve(__dirname, '..', '..', '..', 'docs', 'configuration.md');

async function main(): Promise<number> {
  const rendered = renderConfigReference();
  const shown = path.relative(path.resolve(REFERENCE_FILE, '..', '..'), REFERENCE_FILE);
  if (process.argv.includes('--check')) {
    const committed = await readFile(REFERENCE_FILE, 'utf8').catch(() => undefined);
    if (committed === rendered) {
      console.log(`${shown} is up to date.`);
      return 0;
    }
    console.error(
      committed === undefined
        ? `${shown} is missing: run \`${REFERENCE_COMMAND}\` and commit the result.`
        : `${shown} is stale (it differs from server/src/platform/config/schema.ts): run \`${REFERENCE_COMMAND}\` and commit the result.`,
    );
    return 1;
  }
  await writeFile(REFERENCE_FILE, rendered);
  console.log(`wrote ${shown}`);
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(2);
    },
  );
}
