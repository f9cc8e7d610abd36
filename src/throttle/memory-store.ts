import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { CounterStore } from './counter.js';
import { rlfCounter } from './rlf-counter.js';

/** Counters in this process's memory: right for one instance (and Redis's fallback). */
export function memoryCounterStore(): CounterStore {
  return {
    counter: (name, rate) =>
      rlfCounter(new RateLimiterMemory({ keyPrefix: name, points: rate.points, duration: rate.duration })),
    close: async () => {},
  };
}
