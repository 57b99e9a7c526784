import { EventQueue } from './event-queue';

describe('EventQueue', () => {
  it('hands values to a waiting consumer and buffers them otherwise, in order', async () => {
    const queue = new EventQueue<number>();
    const waiting = queue.next();
    queue.push(1);
    queue.push(2);
    queue.push(3);
    expect(await waiting).toEqual({ value: 1, done: false });
    expect(queue.size).toBe(2);
    expect(await queue.next()).toEqual({ value: 2, done: false });
    expect(await queue.next()).toEqual({ value: 3, done: false });
  });

  it('runs its cleanup once when the consumer leaves, and finishes pending pulls', async () => {
    const onEnd = jest.fn();
    const queue = new EventQueue<number>(onEnd);
    const pending = queue.next();
    await queue.return();
    await queue.return();
    expect(onEnd).toHaveBeenCalledTimes(1);
    expect(await pending).toEqual({ value: undefined, done: true });
    queue.push(1);
    expect(await queue.next()).toEqual({ value: undefined, done: true });
  });

  it('fails pending and later pulls with the error it failed with, and runs its cleanup once', async () => {
    const onEnd = jest.fn();
    const queue = new EventQueue<number>(onEnd);
    const pending = queue.next();
    queue.fail(new Error('reader failed'));
    queue.fail(new Error('again'));
    await expect(pending).rejects.toThrow('reader failed');
    await expect(queue.next()).rejects.toThrow('reader failed');
    expect(onEnd).toHaveBeenCalledTimes(1);
  });

  it('ends when a for-await loop breaks', async () => {
    const onEnd = jest.fn();
    const queue = new EventQueue<number>(onEnd);
    queue.push(1);
    for await (const value of queue) {
      expect(value).toBe(1);
      break;
    }
    expect(onEnd).toHaveBeenCalledTimes(1);
  });
});
