/**
 * Work that must not hold the answer back: a reset or resend request answers at once, and the
 * look-up, token and mail happen here, so the answer takes the same time whether the address
 * is registered or not. Failures go to onError; the number of jobs in flight is bounded.
 */
export interface Background {
  run(job: () => Promise<void>): void;
  idle(): Promise<void>;
}

export function createBackground(onError: (error: unknown) => void, limit = 1000): Background {
  const jobs = new Set<Promise<void>>();
  return {
    run(job) {
      if (jobs.size >= limit) {
        onError(new Error('background: too many pending jobs, request dropped'));
        return;
      }
      // setImmediate, not a microtask: the job starts after the answer has been written, so
      // none of its work (look-up, token, mail) lands inside the answer's time.
      const running: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
        .then(job)
        .catch(onError)
        .finally(() => jobs.delete(running));
      jobs.add(running);
    },
    async idle() {
      while (jobs.size > 0) await Promise.allSettled([...jobs]);
    },
  };
}
