import { vi } from 'vitest';
import type { TestApp } from '../helpers.js';

/**
 * doorman's own clock is `t.clock.now`, but fast-jwt checks exp/nbf against Date.now():
 * tests about time move both. Call freezeDate() before testApp() so the two start equal,
 * and vi.useRealTimers() in afterEach.
 */
export function freezeDate(at = Date.now()): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at);
}

/** Moves doorman's clock and the system clock forward together. */
export function advance(t: TestApp, seconds: number): void {
  t.clock.now += seconds * 1000;
  vi.setSystemTime(t.clock.now);
}

export const nowSeconds = (t: TestApp) => Math.floor(t.clock.now / 1000);
