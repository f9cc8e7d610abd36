import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Counter, Hit } from './counter.js';

/** A Counter over any rate-limiter-flexible limiter (memory or Redis: the same calls). */
export function rlfCounter(limiter: RateLimiterAbstract): Counter {
  return {
    async hit(key): Promise<Hit> {
      try {
        const res = await limiter.consume(key, 1);
        return { allowed: true, msBeforeNext: res.msBeforeNext, reached: false };
      } catch (error) {
        // rate-limiter-flexible rejects with the key's state when the limit is passed.
        if (error instanceof RateLimiterRes)
          return {
            allowed: false,
            msBeforeNext: error.msBeforeNext,
            reached: error.consumedPoints === limiter.points + 1,
          };
        throw error;
      }
    },
    async refund(key) {
      await limiter.reward(key, 1);
    },
    async count(key) {
      const res = await limiter.get(key);
      return res ? Math.max(res.consumedPoints, 0) : 0;
    },
    async mark(key) {
      await limiter.set(key, 1, limiter.duration);
    },
    async reset(key) {
      await limiter.delete(key);
    },
  };
}
