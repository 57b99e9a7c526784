import type { App } from '../../src/app';
import { Topic, type TopicName } from '../../src/core/topics';

/**
 * Resolves once `app` holds at least `count` live patientAdded subscriptions for the doctor (for
 * Redis: SUBSCRIBE acknowledged). Lets a test book only after the dashboard is really listening,
 * without sleeping. Rejects after `timeoutMs`.
 */
export function waitForDoctorSubscribers(app: Pick<App, 'pubSub'>, doctorId: string, count = 1, timeoutMs = 5000): Promise<void> {
  return waitForSubscribers(app, Topic.PatientAdded, doctorId, count, timeoutMs);
}

/** Resolves once `app` holds at least `count` live subscriptions of (topic, id); rejects after `timeoutMs`. */
export function waitForSubscribers(app: Pick<App, 'pubSub'>, topic: TopicName, id: string, count = 1, timeoutMs = 5000): Promise<void> {
  const { pubSub } = app;
  const enough = () => pubSub.subscriberCount(topic, id) >= count;
  if (enough()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onSubscribed = () => {
      if (!enough()) return;
      cleanup();
      resolve();
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${topic}:${id} had ${pubSub.subscriberCount(topic, id)} subscribers after ${timeoutMs} ms, wanted ${count}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      pubSub.events.off('subscribed', onSubscribed);
    };
    pubSub.events.on('subscribed', onSubscribed);
  });
}
