/**
 * One board computation for every subscriber that one change woke, per key (a practice): the
 * desks of a practice all follow the same events, and each would otherwise recompute the same
 * board (a count and a free-slot search per doctor) after every booking.
 *
 * Stamps order, within this process, "a subscriber learned of a change" before "a computation
 * started". A subscriber woken at stamp w may take a computation that started after w: the change
 * was committed before it was published, so that computation already sees it. Otherwise it starts
 * one. Only computations in flight are shared (a settled board is let go), and a failed one is
 * not handed to anyone woken after it started.
 */
export class SharedBoards<B> {
  private stamp = 0;
  private readonly inFlight = new Map<string, { readonly startedAt: number; readonly board: Promise<B> }>();

  /** The stamp of "now": call it when a change arrives (or a subscription starts). */
  mark(): number {
    this.stamp += 1;
    return this.stamp;
  }

  /** The board of `key` for a subscriber woken at `wokenAt`: one in flight that started after it, or a new one. */
  board(key: string, wokenAt: number, compute: () => Promise<B>): Promise<B> {
    const current = this.inFlight.get(key);
    if (current && current.startedAt > wokenAt) return current.board;
    const startedAt = this.mark();
    const board = compute();
    this.inFlight.set(key, { startedAt, board });
    const settle = () => {
      if (this.inFlight.get(key)?.board === board) this.inFlight.delete(key);
    };
    board.then(settle, settle);
    return board;
  }

  /** How many keys have a computation in flight (tests). */
  get size(): number {
    return this.inFlight.size;
  }
}
