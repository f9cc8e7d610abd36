/** Where the throttle reports: a pino logger fits. */
export interface ThrottleLog {
  warn(object: Record<string, unknown>, message: string): void;
}

/**
 * A warning at most once per `intervalMs`, with how many were held back meanwhile: a flood
 * (a Redis outage, a 503 storm) gives one log line per interval, not one per request.
 */
export function warnEvery(intervalMs: number, log: ThrottleLog, now: () => number = Date.now) {
  let last = -Infinity;
  let suppressed = 0;
  return (object: Record<string, unknown>, message: string): void => {
    const t = now();
    if (t - last < intervalMs) {
      suppressed++;
      return;
    }
    log.warn({ ...object, suppressed }, message);
    last = t;
    suppressed = 0;
  };
}
