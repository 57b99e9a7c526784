/**
 * The wait every test receiver (webhooks, push, SMTP, Twilio) offers: it calls `notify()` after
 * each arrival, and `until(ready)` resolves once `ready()` holds, or rejects after `timeoutMs`
 * with `describe()` (what had arrived by then).
 */
export class Arrivals {
  private readonly waiters = new Set<() => void>();

  notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  until(ready: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (ready()) return resolve();
      const check = () => {
        if (!ready()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`${describe()} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }
}
