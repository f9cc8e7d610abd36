import type { Storage } from '../storage/ports.js';
import type { RevocationView } from './view.js';

export interface RevocationSync {
  /** Loads the revoked sessions that still matter and the current event cursor. */
  start(): Promise<void>;
  /** Applies events written since the last poll (by the CLI, another instance, or this process). */
  poll(): Promise<number>;
  stop(): void;
}

/**
 * Keeps the in-memory view in step with the database: at start it loads the revoked sessions
 * still in force, then polls new events every `intervalMs`. On SQLite this is how a
 * `doorman changepassword` run in another process reaches a running server within a second.
 */
export function createRevocationSync(storage: Storage, view: RevocationView, intervalMs: number, now: () => number, onError: (error: unknown) => void): RevocationSync {
  let cursor = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  const poll = async () => {
    let applied = 0;
    for (;;) {
      const batch = await storage.events.since(cursor, 500);
      for (const { id, event } of batch) {
        if (event.kind === 'session_revoked') view.revokeSession(event.subject, event.expiresAt.getTime());
        else if (event.kind === 'permissions_changed') view.forgetAllPermissions();
        else view.forgetUser(event.subject);
        cursor = id;
        applied++;
      }
      if (batch.length < 500) break;
    }
    view.prune(now());
    return applied;
  };

  return {
    async start() {
      cursor = await storage.events.latest();
      for (const r of await storage.events.activeSessionRevocations(new Date(now()))) view.revokeSession(r.sessionId, r.expiresAt.getTime());
      timer = setInterval(() => {
        running ??= poll()
          .catch((error) => {
            onError(error);
            return 0;
          })
          .finally(() => {
            running = undefined;
          });
      }, intervalMs);
      timer.unref();
    },
    poll: () => poll(),
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
