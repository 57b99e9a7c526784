import type { Transactions } from '../../live/transactions';
import type { Clock } from '../../platform/clock';
import type { Logger } from '../../platform/logger';
import { deleteExpiredHolds } from './appointments.sql';
import { SWEEP_AFTER_EXPIRY_MS } from './holds.rules';

/** How often the sweep looks for expired holds. */
const SWEEP_INTERVAL_MS = 60_000;
/** At most this many holds per statement, so one sweep never holds many row locks at once. */
const SWEEP_BATCH = 500;

/**
 * The background cleanup of holds: deletes those expired for SWEEP_AFTER_EXPIRY_MS (until then a
 * booking with one answers HOLD_EXPIRED). Freeing a time needs no sweep: an expired hold blocks
 * nothing (appointments.sql.ts, expiredHoldsDelete); this only keeps the table small.
 */
export class HoldSweeper {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly transactions: Transactions,
    private readonly logger: Logger,
    private readonly clock: Clock,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  /** Deletes the holds expired long enough, in batches; how many. Never throws. */
  async sweep(): Promise<number> {
    const before = new Date(this.clock().getTime() - SWEEP_AFTER_EXPIRY_MS);
    let total = 0;
    try {
      for (;;) {
        const deleted = await this.transactions.run((tx) => deleteExpiredHolds(tx, before, SWEEP_BATCH));
        total += deleted;
        if (deleted < SWEEP_BATCH) return total;
      }
    } catch (error) {
      this.logger.error({ err: error }, 'could not sweep expired holds');
      return total;
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
