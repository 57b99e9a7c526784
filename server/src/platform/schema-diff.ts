// Compares a database with prisma/schema.prisma through Prisma's own schema engine (its WebAssembly
// build: the native engine cannot be downloaded offline). The drift test diffs a database migrated
// by our runner; `npm run db:diff` prints the same diff as the draft of the next migration.
// Development only: @prisma/schema-engine-wasm is a devDependency and the server never loads this.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type * as engineRuntime from '@prisma/schema-engine-wasm/schema_engine_bg';
import { schemaEngineConnection } from './schema-engine-pg';

type EngineRuntime = typeof engineRuntime;

/** Default location: prisma/schema.prisma at the repository root. */
export const SCHEMA_PATH = path.resolve(__dirname, '..', '..', '..', 'prisma', 'schema.prisma');

declare global {
  // The engine's glue code reports a Rust panic's message here before the WebAssembly trap.
  var PRISMA_WASM_PANIC_REGISTRY: { set_message(message: string): void } | undefined;
}

// Node's global; @types/node 20 does not declare it, and this is all of it we use.
declare const WebAssembly: {
  instantiate(bytes: Uint8Array, imports: Record<string, object>): Promise<{ instance: { exports: Record<string, unknown> } }>;
};

let lastPanic: string | undefined;
let runtime: Promise<EngineRuntime> | undefined;

// wasm-bindgen's glue module keeps one instance; a second one would corrupt it, so load once.
async function loadEngine(): Promise<EngineRuntime> {
  const glue = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const engine: EngineRuntime = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  const bytes = await readFile(path.join(path.dirname(glue), 'schema_engine_bg.wasm'));
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': engine });
  // Another Prisma WebAssembly module may have installed one first; then its messages are not ours.
  globalThis.PRISMA_WASM_PANIC_REGISTRY ??= {
    set_message: (message) => {
      lastPanic = message;
    },
  };
  engine.__wbg_set_wasm(instance.exports);
  const start = instance.exports['__wbindgen_start'];
  if (typeof start !== 'function') throw new Error('@prisma/schema-engine-wasm: __wbindgen_start is missing');
  start();
  return engine;
}

/**
 * The SQL that Prisma's schema engine would run to take the database at `databaseUrl` to the
 * model in `schemaPath`: an empty string when they agree. Tables, columns, types, defaults, enums,
 * indexes, unique and foreign keys are compared; what Prisma cannot express (CHECK and exclusion
 * constraints, partial indexes, triggers, functions, extensions) is neither compared nor reported.
 */
export async function diffDatabaseToSchema(databaseUrl: string, schemaPath: string = SCHEMA_PATH): Promise<string> {
  const { SchemaEngine } = await (runtime ??= loadEngine());
  const files = [{ path: schemaPath, content: await readFile(schemaPath, 'utf8') }];
  const connection = schemaEngineConnection(databaseUrl);
  lastPanic = undefined;
  try {
    const engine = await SchemaEngine.new({ datamodels: undefined }, () => {}, bindMigrationAwareSqlAdapterFactory(connection));
    try {
      const result = await engine.diff({
        from: { tag: 'schemaDatasource', files, configDir: path.dirname(schemaPath) },
        to: { tag: 'schemaDatamodel', files },
        script: true,
        exitCode: true,
        filters: { externalTables: [], externalEnums: [] },
      });
      // exitCode 2: a non-empty diff (0 comes with a "-- This is an empty migration." script).
      return result.exitCode === 2 ? (result.stdout ?? '') : '';
    } finally {
      engine.free();
    }
  } catch (error) {
    if (lastPanic !== undefined) throw new Error(`The schema engine panicked: ${lastPanic}`, { cause: error });
    throw error;
  } finally {
    await connection.close();
  }
}
