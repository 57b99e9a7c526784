// Writes schema.graphql at the repository root from the code (npm run schema:emit), or with
// --check fails when the committed file differs (npm run check), so third-party apps and the
// client's codegen always read the schema the server really serves.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildAppSchema } from '../graphql-schema';

export const SCHEMA_FILE = path.resolve(__dirname, '..', '..', '..', 'schema.graphql');
const HEADER = '# Generated from server/src by `npm run schema:emit`. Do not edit by hand.\n\n';

export async function printAppSchema(): Promise<string> {
  return HEADER + printSchema(lexicographicSortSchema(await buildAppSchema())) + '\n';
}

async function main(): Promise<void> {
  const printed = await printAppSchema();
  if (process.argv.includes('--check')) {
    const committed = await readFile(SCHEMA_FILE, 'utf8').catch(() => '');
    if (committed !== printed) {
      console.error('schema.graphql is stale: run `npm run schema:emit` and commit the result.');
      process.exit(1);
    }
    console.log('schema.graphql is up to date.');
    return;
  }
  await writeFile(SCHEMA_FILE, printed);
  console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
}

if (require.main === module) void main();
