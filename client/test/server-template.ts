// Vitest global setup of the browser tests: one server runs every migration on an embedded
// database first, and each test's server starts from a copy of its folder (server-process.ts).
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { migratedDataDir } from './server-process';

export default async function serverTemplate(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = await migratedDataDir();
  project.provide('serverTemplate', dataDir);
  return () => rm(path.dirname(dataDir), { recursive: true, force: true });
}
