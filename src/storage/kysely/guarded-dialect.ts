import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  Kysely,
  QueryCompiler,
  QueryResult,
  TransactionSettings,
} from 'kysely';

/** How a backend's driver errors are waited out or turned into domain errors. */
export interface Guard {
  /** The error the domain sees instead (StorageUnavailableError for an outage); others unchanged. */
  translate(error: unknown): unknown;
  /**
   * A statement outside a transaction that failed this way changed nothing and may run again
   * (SQLite's SQLITE_BUSY: another process holds the write lock). Retried with backoff, without
   * blocking the event loop, for up to `retryFor()` ms; then translated.
   */
  retryable?(error: unknown): boolean;
  retryFor?(): number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Backoff for lock waits: 2 ms doubling to 100 ms, jittered so waiting writers do not march in step. */
export async function backoff(attempt: number): Promise<void> {
  await sleep(Math.min(100, 2 ** (attempt + 1)) * (0.5 + Math.random() / 2));
}

class GuardedConnection implements DatabaseConnection {
  inTransaction = false;
  constructor(
    readonly inner: DatabaseConnection,
    private readonly guard: Guard,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const deadline = Date.now() + (this.guard.retryFor?.() ?? 0);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.inner.executeQuery<R>(query);
      } catch (error) {
        if (!this.inTransaction && this.guard.retryable?.(error) && Date.now() < deadline) {
          await backoff(attempt);
          continue;
        }
        throw this.guard.translate(error);
      }
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

class GuardedDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly guard: Guard,
  ) {}

  async #run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw this.guard.translate(error);
    }
  }

  init() {
    return this.#run(() => this.inner.init());
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    return new GuardedConnection(await this.#run(() => this.inner.acquireConnection()), this.guard);
  }
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    const c = connection as GuardedConnection;
    await this.#run(() => this.inner.beginTransaction(c.inner, settings));
    c.inTransaction = true;
  }
  async commitTransaction(connection: DatabaseConnection) {
    const c = connection as GuardedConnection;
    c.inTransaction = false;
    await this.#run(() => this.inner.commitTransaction(c.inner));
  }
  async rollbackTransaction(connection: DatabaseConnection) {
    const c = connection as GuardedConnection;
    c.inTransaction = false;
    await this.#run(() => this.inner.rollbackTransaction(c.inner));
  }
  async savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    await this.#run(() => this.inner.savepoint!((connection as GuardedConnection).inner, name, compile));
  }
  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    await this.#run(() => this.inner.rollbackToSavepoint!((connection as GuardedConnection).inner, name, compile));
  }
  async releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    await this.#run(() => this.inner.releaseSavepoint!((connection as GuardedConnection).inner, name, compile));
  }
  releaseConnection(connection: DatabaseConnection) {
    return this.inner.releaseConnection((connection as GuardedConnection).inner);
  }
  destroy() {
    return this.inner.destroy();
  }
}

/**
 * A dialect whose driver waits out or translates the backend's transient errors, so every
 * Kysely store (users, events, permissions, tokens) gets the same outage behaviour without
 * wrapping each query: the domain sees StorageUnavailableError, HTTP answers 503.
 */
export function guardDialect(dialect: Dialect, guard: Guard): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new GuardedDriver(dialect.createDriver(), guard),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db: Kysely<any>) => dialect.createIntrospector(db),
  };
}
