// Vitest global setup of the browser tests: they load the built client from client/dist, so a
// build older than the sources would test yesterday's code. Builds first when it is stale.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const CLIENT_DIR = path.resolve(import.meta.dirname, '..');
const INPUTS = ['src', 'index.html', 'playground.html', 'vite.config.ts'].map((entry) => path.join(CLIENT_DIR, entry));

function newestChange(entry: string): number {
  const stats = statSync(entry);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(entry).map((child) => newestChange(path.join(entry, child))));
}

export default function buildIfStale(): void {
  const built = (() => {
    try {
      return statSync(path.join(CLIENT_DIR, 'dist', 'index.html')).mtimeMs;
    } catch {
      return 0;
    }
  })();
  if (built >= Math.max(...INPUTS.map(newestChange))) return;
  console.info('client/dist is older than the sources: building it for the browser tests');
  // In its own process with NODE_ENV=production: inside Vitest (NODE_ENV=test) Vite would bundle
  // React's development build, and `npm start` would then serve it.
  const vite = path.join(path.dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  execFileSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: CLIENT_DIR,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: 'inherit',
  });
}
