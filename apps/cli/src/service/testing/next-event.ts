import type { EventEmitter } from 'node:events';

/**
 * The first `name` event from now on that `accept` takes, or a rejection with `timeoutMessage()` after
 * `timeoutMs`: how the test servers and probes wait on what they record, without polling.
 */
export function nextEvent<T>(
  emitter: EventEmitter,
  name: string,
  accept: (value: T) => boolean,
  timeoutMs: number,
  timeoutMessage: () => string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(name, listener);
      reject(new Error(timeoutMessage()));
    }, timeoutMs);
    const listener = (value: T) => {
      if (!accept(value)) return;
      clearTimeout(timer);
      emitter.off(name, listener);
      resolve(value);
    };
    emitter.on(name, listener);
  });
}
