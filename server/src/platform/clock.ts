/**
 * The one notion of "now" of a server instance, passed down from the composition root (app.ts)
 * to everything that asks the time for a decision: tokens, sessions, authorization, jobs,
 * bookings, invitations, audit rows. Tests pass a clock they move, so "a token 16 minutes later"
 * or "a reminder due in 24 h" runs without waiting. Timers (setTimeout) and latency measurements
 * (performance.now) are not decisions and keep the real time.
 */
export type Clock = () => Date;

/** The machine's clock. */
export const systemClock: Clock = () => new Date();
