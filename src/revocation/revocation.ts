import type { Config } from '../config/schema.js';
import type { AuthEvent, Storage } from '../storage/ports.js';
import { publish } from './events.js';
import type { RevocationView } from './view.js';

/** How long a security event (refresh-token reuse) is kept for the audit log. */
const SECURITY_EVENT_TTL_MS = 90 * 24 * 3600_000;

export interface Revocation {
  /**
   * Ends a session: its refresh tokens are refused and its access tokens too, at once here and
   * (pushed on PostgreSQL, within one poll on SQLite) in every process.
   */
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
 * database (the session row + its event, in one transaction) and to this process's view, so
 * access tokens die with it, not only refresh tokens.
 */
export function createRevocation(
  config: Config,
  storage: Storage,
  view: RevocationView,
  now: () => number,
): Revocation {
  // An access (or sliding) token of a revoked session can live at most this long after revocation.
  const sessionTtlMs = (Math.max(config.accessTokenLifetime, config.slidingTokenLifetime) + config.leeway + 1) * 1000;

  /**
   * The row and its events are written in one transaction (SessionStore.revoke): a process
   * that dies between two separate writes would leave the session ended here and alive on
   * every other instance until its access tokens expire.
   */
  const revokeSession = async (sessionId: string, also: AuthEvent[] = []) => {
    const at = now();
    const expiresAt = new Date(at + sessionTtlMs);
    // The view first: this process refuses the session's tokens before the write is awaited.
    view.revokeSession(sessionId, expiresAt.getTime());
    // Announced even when the row was already revoked: a racing refresh may have issued an
    // access token in between, and the event is what other processes refuse it by.
    await storage.sessions.revoke(sessionId, new Date(at), [
      { kind: 'session_revoked', subject: sessionId, expiresAt },
      ...also,
    ]);
  };

  return {
    revokeSession: (sessionId) => revokeSession(sessionId),
    async sessionReused(sessionId) {
      const expiresAt = new Date(now() + SECURITY_EVENT_TTL_MS);
      await revokeSession(sessionId, [{ kind: 'refresh_reuse', subject: sessionId, expiresAt }]);
    },
    async revokeUserSessions(userId) {
      const at = now();
      const expiresAt = at + sessionTtlMs;
      const ended = await storage.sessions.revokeAllForUser(userId, new Date(at), new Date(expiresAt));
      for (const id of ended) view.revokeSession(id, expiresAt);
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
