import type { Database } from 'better-sqlite3';
import { backoff } from '../kysely/guarded-dialect.js';
import { isBusy, translateSqliteError } from './busy.js';

interface Pending {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  /** Epoch ms after which a batch still waiting for the write lock gives up on this unit. */
  deadline: number;
}

/**
 * Group commit for SQLite: writes requested during one turn of the event loop run together
 * in ONE transaction at the next setImmediate, and each caller's promise settles after that
 * commit. A commit costs far more than the statements in it (measured here: ~90-130 µs for
 * one autocommit insert, ~11 µs per insert in batches of 100), so under load every request
 * still waits for its own write to be durable, but they share the commit.
 *
 * Each unit of work runs inside a savepoint, so one failing unit (a unique violation, say)
 * rejects only its own promise and the rest of the batch commits.
 *
 * The transaction starts with BEGIN IMMEDIATE, so the write lock is taken before any unit
 * runs. When another process holds it, nothing has run: the batch waits (timers, never a
 * synchronous sleep) with backoff and tries again, each unit until its deadline
 * (databaseBusyTimeout), after which that unit rejects with StorageUnavailableError (503).
 */
export class GroupCommit {
  #queue: Pending[] = [];
  #scheduled = false;
  #waiting = false;
  #attempt = 0;

  constructor(
    private readonly db: Database,
    private readonly busyTimeout: () => number = () => 5000,
  ) {}

  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({
        work,
        resolve: resolve as (value: unknown) => void,
        reject,
        deadline: Date.now() + this.busyTimeout(),
      });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#waiting) return;
    this.#scheduled = true;
    setImmediate(() => this.#flush());
  }

  #flush(): void {
    this.#scheduled = false;
    const batch = this.#queue;
    this.#queue = [];
    if (batch.length === 0) return;
    const results: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      this.db
        .transaction(() => {
          for (const item of batch) {
            try {
              // A nested db.transaction() is a savepoint in better-sqlite3.
              results.push({ ok: true, value: this.db.transaction(item.work)() });
            } catch (error) {
              // A lock lost mid-batch cannot be waited out inside the transaction: abort it all.
              if (isBusy(error)) throw error;
              results.push({ ok: false, error });
            }
          }
        })
        .immediate();
    } catch (error) {
      if (isBusy(error)) return this.#wait(batch, error);
      // The commit itself failed (disk full, I/O error): nothing in the batch happened.
      for (const item of batch) item.reject(error);
      return;
    }
    this.#attempt = 0;
    batch.forEach((item, i) => {
      const result = results[i]!;
      if (result.ok) item.resolve(result.value);
      else item.reject(result.error);
    });
  }

  /** Nothing of the batch ran: give up on units past their deadline, retry the rest later. */
  #wait(batch: Pending[], error: unknown): void {
    const now = Date.now();
    const keep = batch.filter((item) => {
      if (item.deadline > now) return true;
      item.reject(translateSqliteError(error));
      return false;
    });
    this.#queue = keep.concat(this.#queue);
    if (this.#queue.length === 0) {
      this.#attempt = 0;
      return;
    }
    this.#waiting = true;
    void backoff(this.#attempt++).then(() => {
      this.#waiting = false;
      this.#schedule();
    });
  }
}
