import { describe, expect, it } from 'vitest';
import { AuthError } from '../../src/errors/auth-error.js';
import { createAdmission } from '../../src/throttle/admission.js';

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
});
