import type { App } from '../../src/app';
import { doctorStream, patientStream } from '../../src/live/streams';

/**
 * Resolves once `app` holds at least `count` live subscriptions to the doctor's event stream (for
 * Redis: SUBSCRIBE acknowledged, since a subscription joins its stream's feed once that is live). Lets a test book only after the dashboard is really listening,
 * without sleeping. Rejects after `timeoutMs`.
 */
export function waitForDoctorSubscribers(app: Pick<App, 'services'>, doctorId: string, count = 1, timeoutMs = 5000): Promise<void> {
  return waitForSubscribers(app, doctorStream(doctorId), count, timeoutMs);
}

/** The same for the patient's own stream (myAppointmentUpdated, myVitalsRecorded). */
export function waitForPatientSubscribers(app: Pick<App, 'services'>, patientId: string, count = 1, timeoutMs = 5000): Promise<void> {
  return waitForSubscribers(app, patientStream(patientId), count, timeoutMs);
}

/** Resolves once `app` holds at least `count` live subscriptions of the stream; rejects after `timeoutMs`. */
export function waitForSubscribers(app: Pick<App, 'services'>, stream: string, count = 1, timeoutMs = 5000): Promise<void> {
  const { events } = app.services;
  const enough = () => events.subscriberCount(stream) >= count;
  if (enough()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onSubscribed = () => {
      if (!enough()) return;
      cleanup();
      resolve();
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${stream} had ${events.subscriberCount(stream)} subscribers after ${timeoutMs} ms, wanted ${count}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      events.subscriptionEvents.off('joined', onSubscribed);
    };
    events.subscriptionEvents.on('joined', onSubscribed);
  });
}

/** Polls `condition` every 25 ms until it holds; rejects after `timeoutMs` naming what it waited for. */
export async function waitUntil(what: string, condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
