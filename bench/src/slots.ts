/**
 * Which slot each booking takes. Booking k goes to doctor k % D and patient k % P at time
 * base + floor(k / D) * 30 min. With P a multiple of D, no two bookings of one doctor or of one
 * patient overlap, so every booking commits (SLOT_UNAVAILABLE would be a bug, counted as an error).
 */
export const SLOT_MS = 30 * 60_000;

export interface SlotPlan {
  readonly baseMs: number;
  readonly doctors: number;
  readonly patients: number;
}

export function slotOf(plan: SlotPlan, k: number): { doctor: number; patient: number; startsAtMs: number } {
  return { doctor: k % plan.doctors, patient: k % plan.patients, startsAtMs: plan.baseMs + Math.floor(k / plan.doctors) * SLOT_MS };
}

/** Tomorrow 00:00 UTC: always in the future, far inside the 730-day booking horizon. */
export function slotBase(): number {
  const day = new Date();
  day.setUTCDate(day.getUTCDate() + 1);
  day.setUTCHours(0, 0, 0, 0);
  return day.getTime();
}

/** The `reason` a bench booking carries, so a dashboard can tell which booking an event is. */
export const reasonOf = (tag: string, index: number) => `bench:${tag}:${index}`;

export function bookingIndexOf(reason: string | null): { tag: string; index: number } | undefined {
  if (!reason?.startsWith('bench:')) return undefined;
  const at = reason.lastIndexOf(':');
  return { tag: reason.slice(6, at), index: Number(reason.slice(at + 1)) };
}
