import { createRequire } from 'node:module';
import type { Redis as RedisClient } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { CounterStore } from '../../throttle/counter.js';
import { rlfCounter } from '../../throttle/rlf-counter.js';
import { warnEvery, type ThrottleLog } from '../../throttle/warn-every.js';

const require = createRequire(import.meta.url);
/** ioredis, loaded when a Redis URL is configured: an instance without Redis (the default) never pays its heap. */
const loadRedis = (): typeof RedisClient => (require('ioredis') as { Redis: typeof RedisClient }).Redis;

export interface RedisStoreOptions {
  url: string;
  /** Prefix of every key doorman writes (one Redis can serve several deployments and tests). */
  keyPrefix: string;
  log: ThrottleLog;
  /** How often an outage is logged at most (ms). */
  warnIntervalMs?: number;
}

/**
 * The Redis adapter: counters shared by every instance, each hit one Lua script (INCRBY +
 * expiry, rate-limiter-flexible's RateLimiterRedis), so concurrent instances never lose a count.
 *
 * While Redis is unreachable each counter falls back to this instance's memory
 * (rate-limiter-flexible's insuranceLimiter): throttling goes on, per instance, instead of
 * failing open (no limit) or closed (every login refused). Commands are not queued while
 * disconnected and time out after 500 ms, so an outage costs no latency; it is logged once
 * per interval, and Redis is used again as soon as it answers.
 */
export function redisCounterStore(options: RedisStoreOptions): CounterStore & { ready(): Promise<void> } {
  const warn = warnEvery(options.warnIntervalMs ?? 60_000, options.log);
  const Redis = loadRedis();
  const client = new Redis(options.url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 500,
    // Keep trying to come back, at most every 2 s.
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  let down = false;
  client.on('error', (error: Error) => {
    down = true;
    warn(
      { err: { message: error.message } },
      "throttle: Redis unreachable; counting in this instance's memory until it answers",
    );
  });
  client.on('ready', () => {
    if (down) options.log.warn({}, 'throttle: Redis answers again; counters are shared again');
    down = false;
  });
  return {
    counter(name, rate) {
      const keyPrefix = `${options.keyPrefix}:${name}`;
      const insuranceLimiter = new RateLimiterMemory({ keyPrefix, points: rate.points, duration: rate.duration });
      return rlfCounter(
        new RateLimiterRedis({
          storeClient: client,
          keyPrefix,
          points: rate.points,
          duration: rate.duration,
          rejectIfRedisNotReady: true,
          insuranceLimiter,
        }),
      );
    },
    /** Resolves once connected (until then, as while Redis is down, hits count in memory). */
    ready: () =>
      client.status === 'ready'
        ? Promise.resolve()
        : new Promise<void>((resolve) => client.once('ready', () => resolve())),
    async close() {
      client.disconnect();
    },
  };
}
