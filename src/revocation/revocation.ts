import type { Config } from '../config/schema.js';
import type { Storage } from '../storage/ports.js';
import { publish } from './events.js';
import type { RevocationView } from './view.js';

export interface Revocation {
  /** Ends a session: its refresh tokens are blacklisted and its access tokens refused at once, here and (within one poll) in every process. */
  revokeSession(sessionId: string): Promise<void>;
  /** Ends every session of the user but `except` (the one changing the password keeps working). Returns how many. */
  revokeUserSessions(userId: number, except?: string | null): Promise<number>;
  /** The user was deactivated, deleted or changed: every process drops its cached state. */
  userChanged(user: { id: number; email: string }): Promise<void>;
}

/**
 * Revocation that really works (simplejwt #28, #305): a revoked session is written to the
 * database (tokens + an event) and to this process's view, so access tokens die with it,
 * not only refresh tokens.
 */
export function createRevocation(config: Config, storage: Storage, view: RevocationView, now: () => number): Revocation {
  // An access (or sliding) token of a revoked session can live at most this long after revocation.
  const sessionTtlMs = (Math.max(config.accessTokenLifetime, config.slidingTokenLifetime) + config.leeway + 1) * 1000;

  const revokeSession = async (sessionId: string) => {
    const at = now();
    const expiresAt = at + sessionTtlMs;
    view.revokeSession(sessionId, expiresAt);
    await storage.tokens.revokeSession(sessionId, new Date(at));
    await publish(storage.events, 'session_revoked', sessionId, at, expiresAt);
  };

  return {
    revokeSession,
    async revokeUserSessions(userId, except) {
      const families = await storage.tokens.liveSessions(userId, new Date(now()));
      const doomed = families.filter((f) => f !== except);
      for (const family of doomed) await revokeSession(family);
      return doomed.length;
    },
    async userChanged(user) {
      // The cache is keyed by the user id claim: the id, or the e-mail under USER_ID_FIELD=email.
      for (const subject of [String(user.id), user.email]) {
        view.forgetUser(subject);
        await publish(storage.events, 'user_changed', subject, now());
      }
    },
  };
}
