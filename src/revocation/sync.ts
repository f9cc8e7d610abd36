import type { Storage } from '../storage/ports.js';
import type { RevocationView } from './view.js';

export interface RevocationSync {
  /** Loads the revoked sessions that still matter and the current event cursor. */
  start(): Promise<void>;
  /** Applies events written since the last poll (by the CLI, another instance, or this process). */
  poll(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Keeps the in-memory view in step with the database: at start it loads the revoked sessions
 * still in force, then reads new events after a cursor. On PostgreSQL each append is pushed
 * (LISTEN/NOTIFY: storage.events.listen) and read at once, which is how a logout on one
 * instance reaches the others in milliseconds; the timer every `intervalMs` is then only the
 * safety net. On SQLite the timer is how a `doorman changepassword` run in another process
 * reaches a running server within a second.
 */
export function createRevocationSync(
  storage: Storage,
  view: RevocationView,
  intervalMs: number,
  now: () => number,
  onError: (error: unknown) => void,
): RevocationSync {
  let cursor = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let again = false;
  let listener: { close(): Promise<void> } | undefined;

  const readNew = async () => {
    let applied = 0;
    for (;;) {
      const batch = await storage.events.since(cursor, 500);
      for (const { id, event } of batch) {
        if (event.kind === 'session_revoked') view.revokeSession(event.subject, event.expiresAt.getTime());
        else if (event.kind === 'permissions_changed') view.forgetAllPermissions();
        else if (event.kind === 'user_changed') view.forgetUser(event.subject);
        // refresh_reuse is an audit record; the session_revoked beside it does the revoking.
        cursor = id;
        applied++;
      }
      if (batch.length < 500) break;
    }
    view.prune(now());
    return applied;
  };

  /**
   * One read at a time; a wake that arrives during a read asks for one more after it, since
   * the running read may have started before the woken-for event was visible.
   */
  const wake = () => {
    if (running) {
      again = true;
      return;
    }
    running = readNew()
      .catch((error) => {
        onError(error);
        return 0;
      })
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          wake();
        }
      });
  };

  return {
    async start() {
      cursor = await storage.events.latest();
      for (const r of await storage.events.activeSessionRevocations(new Date(now())))
        view.revokeSession(r.sessionId, r.expiresAt.getTime());
      listener = storage.events.listen?.(wake, onError);
      timer = setInterval(wake, intervalMs);
      timer.unref();
    },
    poll: () => readNew(),
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await listener?.close();
      listener = undefined;
      await running;
    },
  };
}
