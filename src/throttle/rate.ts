import { parseDuration } from '../config/parse.js';

/** A limit: at most `points` hits per `duration` seconds (a fixed window from the first hit). */
export interface Rate {
  points: number;
  duration: number;
}

/**
 * A rate as DRF writes it, with doorman's durations: "5/15m", "30/10m", "10/h", "100/1d".
 * The count is 1 to 1,000,000; the window at least one second.
 */
export function parseRate(value: unknown): Rate {
  const text = typeof value === 'string' ? value.trim() : '';
  const match = /^(\d+)\s*\/\s*(.+)$/.exec(text);
  if (!match) throw new Error('expected a rate like "5/15m" (hits / window)');
  const points = Number(match[1]);
  const window = /^[a-z]+$/i.test(match[2]!) ? `1${match[2]}` : match[2]!;
  const duration = parseDuration(window);
  if (!Number.isInteger(points) || points < 1 || points > 1_000_000)
    throw new Error('expected a rate count from 1 to 1000000');
  if (duration < 1) throw new Error('expected a rate window of at least one second');
  return { points, duration };
}

export function formatRate(rate: Rate): string {
  return `${rate.points}/${rate.duration}s`;
}
