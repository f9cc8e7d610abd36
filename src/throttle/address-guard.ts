import type { Admission } from './admission.js';
import type { CounterStore } from './counter.js';
import type { Rate } from './rate.js';
import { reachedBy, throttled } from './throttled.js';

/**
 * A plain per-address limit on every request of one kind (join; later password reset and
 * verification resend): each request counts, success or not, as DRF's AnonRateThrottle.
 * When `admission` is given, the request also takes one of the address's places in the
 * password hash queue while `run` runs. The refusal that reaches the limit carries it for the
 * audit log (`throttled`, once per window per address).
 */
export function createAddressGuard(store: CounterStore, name: string, rate: Rate, admission: Admission | null) {
  const counter = store.counter(name, rate);
  return {
    async attempt<T>(address: string, run: () => Promise<T>): Promise<T> {
      const leave = await admission?.admit(address);
      try {
        const hit = await counter.hit(address);
        if (!hit.allowed) throw throttled(hit.msBeforeNext, reachedBy(hit, 'throttled', name, rate));
        return await run();
      } finally {
        leave?.();
      }
    },
  };
}

export type AddressGuard = ReturnType<typeof createAddressGuard>;
