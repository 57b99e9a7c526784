// Vitest global setup of the browser tests: they load the built client from client/dist, so a
// build older than the sources would test yesterday's code. Builds first when it is stale.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { build } from 'vite';

const CLIENT_DIR = path.resolve(import.meta.dirname, '..');
const INPUTS = ['src', 'index.html', 'playground.html', 'vite.config.ts'].map((entry) => path.join(CLIENT_DIR, entry));

function newestChange(entry: string): number {
  const stats = statSync(entry);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(entry).map((child) => newestChange(path.join(entry, child))));
}

export default async function buildIfStale(): Promise<void> {
  const built = (() => {
    try {
      return statSync(path.join(CLIENT_DIR, 'dist', 'index.html')).mtimeMs;
    } catch {
      return 0;
    }
  })();
  if (built >= Math.max(...INPUTS.map(newestChange))) return;
  console.info('client/dist is older than the sources: building it for the browser tests');
  await build({ configFile: path.join(CLIENT_DIR, 'vite.config.ts'), logLevel: 'warn' });
}
