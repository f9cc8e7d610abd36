import type { TokenContext } from './context.js';

/**
 * The two rules for tokens without doorman's `sid` claim (simplejwt's, issue 16), apart from
 * tokens/transition.ts so that verify.ts can apply them without an import cycle.
 */

/** The session id (and first jti) a simplejwt token is recorded under: apart from doorman's own ids. */
export const SIMPLEJWT_PREFIX = 'simplejwt:';
/** simplejwt's jti is uuid4().hex (32 characters); sessions.id and current_jti hold 64. */
const MAX_JTI = 64 - SIMPLEJWT_PREFIX.length;

/**
 * A token without doorman's session claim, from doorman's own keys (JWK_URL tokens are another
 * matter): a simplejwt token, accepted only in transition mode. Returns simplejwt's message, or null.
 */
export function sessionlessProblem(ctx: TokenContext, jti: string): string | null {
  return !ctx.config.simplejwtTransition || jti.length > MAX_JTI ? 'Token is invalid' : null;
}

/** Where a token's jti is recorded (the verify view asks whether it is spent). */
export function recordedJti(token: { jti: string; simplejwt: boolean }): string {
  return token.simplejwt ? SIMPLEJWT_PREFIX + token.jti : token.jti;
}
