import type { AuditEvent, AuditQuery, AuditStore, StoredAuditEvent } from '../storage/ports.js';
import type { AuditKind } from './kinds.js';

export interface AuditRecord {
  kind: AuditKind;
  userId?: number | null;
  email?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  /** A short, secret-free note (an admin route, a reason); cut at 512 characters. */
  detail?: string | null;
}

/** The audit log: records never slow the request (batched, written after it), reads for staff and the CLI. */
export interface AuditLog {
  /** Queues the event; written with others in one insert on the next turn of the event loop. */
  record(event: AuditRecord): void;
  /** Writes what is queued now (tests, shutdown). */
  flush(): Promise<void>;
  list(query: AuditQuery): Promise<{ count: number; results: StoredAuditEvent[] }>;
  /** Deletes events older than the retention (seconds; 0 keeps everything); returns how many. */
  prune(retentionSeconds: number): Promise<number>;
}

const cut = (value: string | null | undefined, max: number) => (value == null ? null : value.slice(0, max));

export function createAuditLog(
  store: AuditStore,
  now: () => number,
  onError: (error: unknown) => void,
  batchLimit = 500,
): AuditLog {
  let queue: AuditEvent[] = [];
  let writing: Promise<void> | null = null;
  let scheduled = false;

  async function write(): Promise<void> {
    scheduled = false;
    while (queue.length > 0) {
      const batch = queue.splice(0, batchLimit);
      await store.append(batch).catch(onError);
    }
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      const previous = writing ?? Promise.resolve();
      writing = previous.then(write).finally(() => {
        if (queue.length === 0) writing = null;
      });
    });
  }

  return {
    record(event) {
      queue.push({
        at: new Date(now()),
        kind: event.kind,
        userId: event.userId ?? null,
        email: cut(event.email, 254),
        ip: cut(event.ip, 64),
        userAgent: cut(event.userAgent, 512),
        detail: cut(event.detail, 512),
      });
      // A flood of events must not hold memory without bound: the oldest unwritten go first.
      if (queue.length > 100_000) queue.splice(0, queue.length - 100_000);
      schedule();
    },
    async flush() {
      while (writing || queue.length > 0 || scheduled) {
        if (writing) await writing;
        else await write();
      }
    },
    list: (query) => store.list(query),
    async prune(retentionSeconds) {
      if (retentionSeconds <= 0) return 0;
      return store.deleteBefore(new Date(now() - retentionSeconds * 1000));
    },
  };
}
