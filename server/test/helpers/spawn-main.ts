import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { leftover } from './leftovers';

const SERVER_DIR = path.resolve(__dirname, '..', '..');

/** A CareLine process started the way `npm start` starts it (any outcome, including a refusal to start), with its output collected. */
export interface MainProcess {
  readonly process: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the URL once the server logs that it is running; rejects on exit or after timeoutMs. */
  ready(timeoutMs?: number): Promise<string>;
  /** SIGKILL if still running, then waits for the exit (after the test, if the test did not). */
  dispose(): Promise<void>;
}

/** Starts server/src/main.ts in a child process with exactly this environment (plus PATH). */
export function spawnMain(env: Record<string, string>): MainProcess {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
    cwd: SERVER_DIR,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners: Array<() => void> = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
      for (const listener of listeners) listener();
    }),
  );
  const dispose = leftover(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  return {
    process: child,
    dispose,
    output: () => output,
    exited,
    ready(timeoutMs = 90_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`server not ready within ${timeoutMs} ms:\n${output}`)), timeoutMs);
        const check = () => {
          const match = /"url":"([^"]+)"/.exec(output);
          if (match?.[1]) {
            clearTimeout(timer);
            resolve(match[1]);
          } else if (child.exitCode !== null) {
            clearTimeout(timer);
            reject(new Error(`server exited with ${child.exitCode}:\n${output}`));
          }
        };
        listeners.push(check);
        check();
      });
    },
  };
}
