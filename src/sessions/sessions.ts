import { AuthError } from '../errors/auth-error.js';
import type { Revocation } from '../revocation/revocation.js';
import type { Storage } from '../storage/ports.js';
import type { TokenContext } from '../tokens/context.js';
import { issuePair, type SessionOrigin, type TokenPair } from '../tokens/issue.js';
import type { Accounts, PasswordChange } from '../users/accounts.js';
import type { User } from '../users/types.js';

/** A live session as its owner sees it (GET /account/sessions/). */
export interface SessionView {
  id: string;
  created: string;
  last_used: string;
  user_agent: string | null;
  ip: string | null;
  current: boolean;
}

/**
 * What a person can do with their sessions, and the rules that end them: logout everywhere,
 * ending one session, and a password change (which ends every session the old
 * password opened and moves the caller's to a new id).
 */
export function createSessions(ctx: TokenContext, storage: Storage, revocation: Revocation, accounts: Accounts) {
  /**
   * A user's credentials changed (password change, CLI changepassword, and the password reset
   * to come): every session ends, including those of logins still in flight (the bumped
   * credentials epoch refuses them at issue and at refresh). Returns how many ended.
   */
  async function credentialsChanged(user: { id: number }): Promise<number> {
    return revocation.revokeUserSessions(user.id);
  }

  return {
    credentialsChanged,

    /** The caller's live sessions, newest first; `current` marks the one making the request. */
    async list(userId: number, currentSessionId: string | null): Promise<SessionView[]> {
      const sessions = await storage.sessions.live(userId, new Date(ctx.now()));
      return sessions.map((s) => ({
        id: s.id,
        created: s.createdAt.toISOString(),
        last_used: s.lastUsedAt.toISOString(),
        user_agent: s.userAgent,
        ip: s.ip,
        current: s.id === currentSessionId,
      }));
    },

    /** Ends one of the caller's live sessions; `not_found` when it is not one. */
    async end(userId: number, sessionId: string): Promise<void> {
      const session = await storage.sessions.find(sessionId);
      if (!session || session.userId !== userId || session.revokedAt || session.expiresAt.getTime() <= ctx.now())
        throw new AuthError('not_found');
      await revocation.revokeSession(sessionId);
    },

    /** Ends every session of the caller (POST /account/logout/all/). */
    endAll: (userId: number) => revocation.revokeUserSessions(userId),

    /**
     * Django's PasswordChangeForm, then: every session of the user ends (the caller's too, so
     * copies of its older tokens die with it) and the caller goes on in a new session, whose
     * tokens are returned.
     */
    async changePassword(user: User, input: PasswordChange, origin: SessionOrigin): Promise<TokenPair> {
      // accounts.changePassword ends every session of the user (the credentials changed).
      return issuePair(ctx, await accounts.changePassword(user, input), origin);
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
