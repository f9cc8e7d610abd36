import type { OutstandingToken } from '../storage/ports.js';
import type { TokenContext } from './context.js';
import { tokenError } from './verify.js';

/**
 * The stored record of a refresh or sliding token that may still be used: simplejwt's
 * OutstandingToken/BlacklistedToken check. Unknown → "Token is invalid"; revoked → "Token is
 * blacklisted". Used by refresh, sliding refresh, blacklist and the verify views.
 */
export async function liveRecord(ctx: TokenContext, jti: string): Promise<OutstandingToken> {
  const stored = await ctx.storage.tokens.find(jti);
  if (!stored) throw tokenError('Token is invalid');
  if (stored.revokedAt) throw tokenError('Token is blacklisted');
  return stored;
}
