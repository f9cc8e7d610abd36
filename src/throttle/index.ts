import type { Config } from '../config/schema.js';
import { addressKey } from './address.js';
import { createAdmission } from './admission.js';
import { createAddressGuard } from './address-guard.js';
import type { CounterStore } from './counter.js';
import { createLoginGuard } from './login-guard.js';
import { memoryCounterStore } from './memory-store.js';

export { addressKey } from './address.js';
export { parseRate, type Rate } from './rate.js';
export { throttled } from './throttled.js';
export type { Counter, CounterStore, Hit } from './counter.js';

const passThrough = {
  attempt: <T>(_who: unknown, run: () => Promise<T>): Promise<T> => run(),
};

/**
 * doorman's throttles, wired from the settings: memory counters for one instance, Redis ones
 * (shared by every instance) when `redisUrl` is set. `throttle: false` turns every one off,
 * the per-address admission to the hash queue included.
 *
 * Endpoints that check a password use `login`; join uses `join`. A new endpoint that mails
 * or checks a secret (password reset, its confirm, verification resend) takes a guard of its
 * own with `perAddress(name, rate)` (or `login` when it checks a password-like secret).
 */
export function createThrottle(config: Config, store?: CounterStore & { ready?: () => Promise<void> }) {
  if (!config.throttle) {
    return {
      enabled: false,
      login: passThrough,
      join: passThrough,
      perAddress: () => passThrough,
      key: addressKey,
      ready: async () => {},
      close: async () => {},
    };
  }
  // The store is the caller's choice (core.ts: Redis when redisUrl is set, storage/redis/);
  // memory otherwise.
  const counters: CounterStore & { ready?: () => Promise<void> } = store ?? memoryCounterStore();
  const admission = config.throttleAddressConcurrency > 0 ? createAdmission(config.throttleAddressConcurrency) : null;
  return {
    enabled: true,
    login: createLoginGuard(
      counters,
      {
        pair: config.throttleLoginPair,
        address: config.throttleLoginAddress,
        account: config.throttleLoginAccount,
        knownAddressFor: config.throttleKnownAddress,
      },
      admission,
    ),
    join: createAddressGuard(counters, 'join', config.throttleJoin, admission),
    /**
     * A per-address guard of its own. `hashing: false` for an endpoint that never hashes a
     * password (social login): it does not take a place in the hash queue's admission.
     */
    perAddress: (name: string, rate: Config['throttleJoin'], options: { hashing?: boolean } = {}) =>
      createAddressGuard(counters, name, rate, options.hashing === false ? null : admission),
    /** The counting key of a client address (IPv6 by /64). */
    key: addressKey,
    /** Resolves once the store is connected (Redis); hits before that count in memory. */
    ready: async () => counters.ready?.(),
    close: () => counters.close(),
  };
}

export type Throttle = ReturnType<typeof createThrottle>;
