import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** A held lock on an embedded database folder; release() is idempotent. */
export interface DataDirLock {
  readonly path: string;
  release(): void;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else; still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes an exclusive lock on `dataDir` (a `<dataDir>.lock` file holding our pid). PGlite keeps no
 * lock of its own, and two processes writing one folder corrupt it, so a second process fails here
 * with a message naming the holder. A lock left by a process that died is taken over.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const lockPath = `${dataDir}.lock`;
  mkdirSync(path.dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      let released = false;
      return {
        path: lockPath,
        release() {
          if (released) return;
          released = true;
          rmSync(lockPath, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && processIsAlive(holder)) {
        throw new Error(
          `The embedded database in ${dataDir} is in use by another CareLine process (pid ${holder}). ` +
            'Stop that process, or set DATA_DIR to another folder, or DATABASE_URL to use PostgreSQL.',
          { cause: error },
        );
      }
      if (holder === process.pid) {
        throw new Error(`The embedded database in ${dataDir} is already open in this process.`, { cause: error });
      }
      rmSync(lockPath, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`Could not lock ${lockPath}`);
}
