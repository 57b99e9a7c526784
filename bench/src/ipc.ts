import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** A request to a load process: a command name and its argument. */
export interface IpcRequest {
  readonly id: number;
  readonly command: string;
  readonly arg: unknown;
}
export interface IpcResponse {
  readonly id: number;
  readonly ok: boolean;
  readonly value?: unknown;
  readonly error?: string;
}

/** The orchestrator's handle on one load-generator child process (request/response over IPC). */
export class LoadProcess {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly name: string,
  ) {
    child.on('message', (message: IpcResponse) => {
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.ok) waiter.resolve(message.value);
      else waiter.reject(new Error(`${name}: ${message.error}`));
    });
    child.on('exit', (code) => {
      this.exited = true;
      for (const waiter of this.pending.values()) waiter.reject(new Error(`${name} exited with ${code}`));
      this.pending.clear();
    });
  }

  /** Forks bench/src/load/<script>.ts (TypeScript through @swc-node/register). */
  static start(script: string, name: string): LoadProcess {
    const child = fork(path.join(__dirname, 'load', `${script}.ts`), [], {
      execArgv: ['--max-old-space-size=2048', '-r', '@swc-node/register'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new LoadProcess(child, name);
  }

  call<T>(command: string, arg: unknown = null): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.name} has exited`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ id, command, arg } satisfies IpcRequest);
    });
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

/** The child side: answers each request with its handler's result (or its error message). */
export function serveIpc(handlers: Record<string, (arg: never) => unknown>): void {
  process.on('message', (request: IpcRequest) => {
    const handler = handlers[request.command];
    const respond = (response: Omit<IpcResponse, 'id'>) => process.send?.({ id: request.id, ...response });
    if (!handler) {
      respond({ ok: false, error: `unknown command ${request.command}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(request.arg as never))
      .then(
        (value) => respond({ ok: true, value }),
        (error: unknown) => respond({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      );
  });
  process.on('disconnect', () => process.exit(0));
}
