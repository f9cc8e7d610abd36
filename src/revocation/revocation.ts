import type { Config } from '../config/schema.js';
import type { Storage } from '../storage/ports.js';
import { publish } from './events.js';
import type { RevocationView } from './view.js';

/** How long a security event (refresh-token reuse) is kept for the audit log. */
const SECURITY_EVENT_TTL_MS = 90 * 24 * 3600_000;

export interface Revocation {
  /** Ends a session: its refresh tokens are refused and its access tokens too, at once here and (within one poll) in every process. */
  revokeSession(sessionId: string): Promise<void>;
  /**
   * A spent refresh token of the session was presented again (stolen, or a copy): the whole
   * session ends and a `refresh_reuse` security event is recorded.
   */
  sessionReused(sessionId: string): Promise<void>;
  /** Ends every session of the user. Returns how many had not ended yet. */
  revokeUserSessions(userId: number): Promise<number>;
  /** The user was deactivated, deleted or changed: every process drops its cached state. */
  userChanged(user: { id: number; email: string }): Promise<void>;
}

/**
 * Revocation that really works (simplejwt #28, #305): a revoked session is written to the
 * database (the session row + an event) and to this process's view, so access tokens die with
 * it, not only refresh tokens.
 */
export function createRevocation(
  config: Config,
  storage: Storage,
  view: RevocationView,
  now: () => number,
): Revocation {
  // An access (or sliding) token of a revoked session can live at most this long after revocation.
  const sessionTtlMs = (Math.max(config.accessTokenLifetime, config.slidingTokenLifetime) + config.leeway + 1) * 1000;

  /** The view and the event, for a session whose row is already revoked. */
  const announce = async (sessionId: string, at: number) => {
    const expiresAt = at + sessionTtlMs;
    view.revokeSession(sessionId, expiresAt);
    await publish(storage.events, 'session_revoked', sessionId, at, expiresAt);
  };

  const revokeSession = async (sessionId: string) => {
    const at = now();
    // The view first: this process refuses the session's tokens before the write is awaited.
    view.revokeSession(sessionId, at + sessionTtlMs);
    await storage.sessions.revoke(sessionId, new Date(at));
    // Announced even when the row was already revoked: a racing refresh may have issued an
    // access token in between, and the event is what other processes refuse it by.
    await publish(storage.events, 'session_revoked', sessionId, at, at + sessionTtlMs);
  };

  return {
    revokeSession,
    async sessionReused(sessionId) {
      await revokeSession(sessionId);
      const at = now();
      await publish(storage.events, 'refresh_reuse', sessionId, at, at + SECURITY_EVENT_TTL_MS);
    },
    async revokeUserSessions(userId) {
      const at = now();
      const ended = await storage.sessions.revokeAllForUser(userId, new Date(at));
      for (const id of ended) await announce(id, at);
      return ended.length;
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
