import type { Session } from '../storage/ports.js';
import type { TokenContext } from './context.js';
import { tokenError, type VerifiedToken } from './verify.js';

/**
 * The live session a refresh (or sliding) token belongs to: simplejwt's OutstandingToken /
 * BlacklistedToken check, per session. An unknown session is "Token is invalid", an ended one
 * "Token is blacklisted". Used by refresh, sliding refresh and blacklist.
 */
export async function liveSession(
  ctx: TokenContext,
  verified: VerifiedToken,
  type: Session['tokenType'],
): Promise<Session> {
  const session = verified.sessionId ? await ctx.storage.sessions.find(verified.sessionId) : null;
  if (!session || session.tokenType !== type) throw tokenError('Token is invalid');
  if (session.revokedAt) throw tokenError('Token is blacklisted');
  return session;
}
