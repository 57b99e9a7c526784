import type { App } from '../../src/app';
import { Topic } from '../../src/core/topics';

/**
 * Resolves once `app` holds at least `count` live patientAdded subscriptions for the doctor (for
 * Redis: SUBSCRIBE acknowledged). Lets a test book only after the dashboard is really listening,
 * without sleeping. Rejects after `timeoutMs`.
 */
export function waitForDoctorSubscribers(app: Pick<App, 'pubSub'>, doctorId: string, count = 1, timeoutMs = 5000): Promise<void> {
  const { pubSub } = app;
  const enough = () => pubSub.subscriberCount(Topic.PatientAdded, doctorId) >= count;
  if (enough()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onSubscribed = () => {
      if (!enough()) return;
      cleanup();
      resolve();
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`doctor ${doctorId} had ${pubSub.subscriberCount(Topic.PatientAdded, doctorId)} subscribers after ${timeoutMs} ms, wanted ${count}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      pubSub.events.off('subscribed', onSubscribed);
    };
    pubSub.events.on('subscribed', onSubscribed);
  });
}
