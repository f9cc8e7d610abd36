/**
 * Issue 17: the server and `doorman/verify` wrote the token rules twice and had drifted. A token
 * whose token_type is present but not a string was "Token has no type" in doorman/verify and
 * "Token has wrong type" on the server (simplejwt: present → wrong type); the asymmetric
 * algorithm lists disagreed on Ed25519. Both now read src/tokens/rules.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ASYMMETRIC, createVerifier, VerifyError } from '../../src/verify/index.js';
import { bearer, SECRET, withSession, type SessionApp } from '../helpers.js';
import { sign } from '../tokens/forge.js';

describe('issue 17: one set of token rules for the server and doorman/verify', () => {
  let t: SessionApp;
  beforeEach(async () => {
    t = await withSession();
  });
  afterEach(() => t.close());

  it('answers a non-string token_type with the same message in both', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = sign({ token_type: 5, jti: 'j1', user_id: t.session.user.pk, iat: now, exp: now + 60 });
    const server = await t.app.inject({ url: '/account/mypage/', headers: bearer(token) });
    expect(server.statusCode).toBe(401);
    expect(server.json().messages[0].message).toBe('Token has wrong type');
    const error = await createVerifier({ secret: SECRET })
      .verify(token)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VerifyError);
    expect((error as VerifyError).body.messages?.[0]?.message).toBe('Token has wrong type');
  });

  it('accepts the same asymmetric algorithms from a JWKS in both (Ed25519 included, HS never)', () => {
    expect(ASYMMETRIC).toContain('Ed25519');
    expect(ASYMMETRIC).toContain('EdDSA');
    expect(ASYMMETRIC.some((alg) => alg.startsWith('HS'))).toBe(false);
  });
});
