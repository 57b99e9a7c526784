import type { Clock } from '../../src/platform/clock';

/** A clock a test moves: "16 minutes later" without waiting (pass it as the app's or a service's clock). */
export interface MovableClock extends Clock {
  /** Moves now forward by `ms`. */
  advance(ms: number): void;
}

/** A clock that starts at `start` (default: the real now) and moves only when told to. */
export function movableClock(start: Date = new Date()): MovableClock {
  let nowMs = start.getTime();
  return Object.assign(() => new Date(nowMs), {
    advance: (ms: number) => {
      nowMs += ms;
    },
  });
}
