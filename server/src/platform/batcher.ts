/**
 * Gathers items for `delayMs` after the first of a batch, then hands them all to `flush` at once:
 * one statement for many callers' items rather than one each. On loopback a statement's round
 * trip costs the server more CPU than what it carries (bench/README.md), so a write nobody waits
 * on for its answer (an event marked published, a job finished) is cheaper together. `add`
 * resolves, or rejects, with its batch's flush; items added during a flush go in the next batch.
 */
export class Batcher<T> {
  private items: T[] = [];
  private pending: Promise<void> | undefined;

  constructor(
    private readonly delayMs: number,
    private readonly flush: (items: T[]) => Promise<void>,
  ) {}

  add(items: readonly T[]): Promise<void> {
    this.items.push(...items);
    this.pending ??= new Promise<void>((resolve) => setTimeout(resolve, this.delayMs)).then(() => {
      this.pending = undefined;
      return this.flush(this.items.splice(0));
    });
    return this.pending;
  }
}
