import { memoryCounterStore } from './memory-store.js';
import { throttled } from './throttled.js';

/** How often at most an address's concurrency refusals reach the audit log (seconds). */
const REPORT_EVERY = 60;

/**
 * Per-address admission to the password hash queue. Every password check waits its turn in
 * one queue (passwords/limiter.ts); without this, one client with ~1,100 concurrent logins
 * fills it and everyone else gets 503. Here each address may have at most `perAddress`
 * checks in flight (queued or hashing); its next one is answered 429 at once, before it
 * reaches the queue, so one address's share of the queue is bounded and others are served.
 */
export function createAdmission(perAddress: number, refusalDelayMs = 500) {
  const inFlight = new Map<string, number>();
  // A flooding client is refused thousands of times a second: one audit event a minute per
  // address says so without letting it fill the audit table. This instance's memory is the
  // right place: the cap itself is per instance.
  const reports = memoryCounterStore().counter('admission-reported', { points: 1, duration: REPORT_EVERY });
  return {
    /**
     * As enter(), but a refusal is answered only after `refusalDelayMs`: a client past its
     * share is flooding, and answering it at once lets its connections spin the event loop
     * (each 429 is followed by the next request within microseconds), which slows every
     * other client's requests. Delayed, its connections mostly sit idle on a timer.
     */
    async admit(address: string): Promise<() => void> {
      try {
        return this.enter(address);
      } catch (error) {
        const report = (await reports.hit(address)).allowed;
        await new Promise((resolve) => setTimeout(resolve, refusalDelayMs));
        if (!report) throw error;
        throw throttled(1000, { kind: 'throttled', limit: 'concurrency', rate: `${perAddress} in flight` });
      }
    },
    /** Admits one check for `address` or throws 429; call the returned function when it ends. */
    enter(address: string): () => void {
      const n = inFlight.get(address) ?? 0;
      if (n >= perAddress) throw throttled(1000);
      inFlight.set(address, n + 1);
      let left = false;
      return () => {
        if (left) return;
        left = true;
        const m = (inFlight.get(address) ?? 1) - 1;
        if (m <= 0) inFlight.delete(address);
        else inFlight.set(address, m);
      };
    },
    /** Addresses with a check in flight (tests). */
    get size(): number {
      return inFlight.size;
    },
  };
}

export type Admission = ReturnType<typeof createAdmission>;
