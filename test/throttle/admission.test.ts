import { describe, expect, it } from 'vitest';
import { AuthError } from '../../src/errors/auth-error.js';
import { createAdmission } from '../../src/throttle/admission.js';
import { ThrottledError } from '../../src/throttle/throttled.js';

describe('per-address admission to the hash queue', () => {
  it('admits perAddress checks per address; the next is refused 429 after the delay; others are unaffected', async () => {
    const admission = createAdmission(2, 60);
    const a1 = await admission.admit('10.0.0.66');
    await admission.admit('10.0.0.66');
    const started = performance.now();
    const refused = await admission.admit('10.0.0.66').catch((error: unknown) => error);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    expect(refused).toBeInstanceOf(AuthError);
    expect((refused as AuthError).status).toBe(429);
    expect((refused as AuthError).retryAfter).toBe(1);
    expect(typeof (await admission.admit('10.0.0.1'))).toBe('function');
    a1();
    a1(); // leaving twice frees one place only
    const again = await admission.admit('10.0.0.66');
    expect(typeof again).toBe('function');
    await expect(admission.admit('10.0.0.66')).rejects.toBeInstanceOf(AuthError);
  });

  it("reports an address's refusals to the audit log once a minute, not once per refusal", async () => {
    const admission = createAdmission(1, 0);
    await admission.admit('10.0.0.66');
    const refusals: unknown[] = [];
    for (let i = 0; i < 50; i++) refusals.push(await admission.admit('10.0.0.66').catch((error: unknown) => error));
    const reached = refusals.map((r) => (r as ThrottledError).reached);
    expect(reached[0]).toEqual({ kind: 'throttled', limit: 'concurrency', rate: '1 in flight' });
    expect(reached.slice(1).every((r) => r === null)).toBe(true);
    // Another address is reported on its own.
    await admission.admit('10.0.0.67');
    const other = await admission.admit('10.0.0.67').catch((error: unknown) => error);
    expect((other as ThrottledError).reached).not.toBeNull();
  });
});
