/** The window of the bound: one DENIED row per (actor, action, patient) per minute. */
export const DENIED_WINDOW_MS = 60_000;
/** How many (actor, action, patient) windows an instance remembers: a few MB at most. */
export const REMEMBERED_REFUSALS = 100_000;

/**
 * A write-side bound on refused reads (DENIED rows): an account asking again and again for a
 * patient's chart it may not see writes at most one row per (actor, action, patient) per window,
 * so a flood of refusals cannot grow the trail (and its chains) without limit. The attempts
 * beyond the first are counted here (`suppressed`), not written; the patient's log already shows
 * refusals grouped per person and action, so what it loses is only how many within the minute.
 *
 * In-process and bounded (REMEMBERED_REFUSALS, oldest forgotten first): forgetting can only add
 * a row (the same refusal written again), never drop the first of a window. Several instances
 * each write their own first row.
 */
export class DeniedRowBound {
  private readonly windows = new Map<string, number>();
  private suppressedCount = 0;

  constructor(
    private readonly windowMs = DENIED_WINDOW_MS,
    private readonly capacity = REMEMBERED_REFUSALS,
  ) {}

  /** True when this refusal's row is to be written (the first of its window); false counts it as suppressed. */
  admit(actorUserId: string, action: string, patientId: string, now: Date): boolean {
    const key = `${actorUserId} ${action} ${patientId}`;
    const startedAt = this.windows.get(key);
    if (startedAt !== undefined && now.getTime() - startedAt < this.windowMs) {
      this.suppressedCount += 1;
      return false;
    }
    // Re-inserted at the end, so the oldest windows are the first forgotten.
    this.windows.delete(key);
    this.windows.set(key, now.getTime());
    if (this.windows.size > this.capacity) {
      const oldest = this.windows.keys().next();
      if (!oldest.done) this.windows.delete(oldest.value);
    }
    return true;
  }

  /** Refusals not written since this instance started (each within a minute of a written one). */
  get suppressed(): number {
    return this.suppressedCount;
  }
}
