import type { MailMessage, MailTransport } from './types.js';

export interface Outbox {
  /** Queues the message and returns at once: the caller's answer never waits for (or reveals) a send. */
  send(message: MailMessage): void;
  /** Resolves when every queued message was sent or given up on (tests, shutdown). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface OutboxOptions {
  from: string;
  /** Further attempts after a failure. */
  retries: number;
  /** The first retry's delay in ms; each next one doubles. */
  backoffMs?: number;
  /** Messages waiting beyond this are dropped (logged): a flood must not hold memory without bound. */
  limit?: number;
  /** Failures, already stripped of the message (never the link or token in it). */
  onError: (error: Error) => void;
}

/** Only what cannot carry the message: SMTP servers can echo content in their replies. */
function describe(error: unknown): string {
  const e = error as { code?: unknown; responseCode?: unknown };
  const parts = [
    typeof e.code === 'string' ? e.code : null,
    typeof e.responseCode === 'number' ? `SMTP ${e.responseCode}` : null,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : error instanceof Error ? error.name : 'error';
}

/** The in-process mail queue: one message at a time, retried with exponential backoff, failures logged without content. */
export function createOutbox(transport: () => MailTransport, options: OutboxOptions): Outbox {
  const backoff = options.backoffMs ?? 1000;
  const limit = options.limit ?? 10_000;
  let active: MailTransport | null = null;
  let pending = 0;
  let waiters: Array<() => void> = [];
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  function settle(): void {
    pending--;
    if (pending === 0) {
      for (const wake of waiters) wake();
      waiters = [];
    }
  }

  function attempt(message: MailMessage, tries: number): void {
    active ??= transport();
    active.deliver(options.from, message).then(settle, (error: unknown) => {
      const left = options.retries - tries;
      options.onError(
        new Error(
          `mail: send failed (attempt ${tries + 1} of ${options.retries + 1}${left > 0 ? ', will retry' : ', dropped'}): ${describe(error)}`,
        ),
      );
      if (left <= 0 || closed) return settle();
      const timer = setTimeout(
        () => {
          timers.delete(timer);
          attempt(message, tries + 1);
        },
        backoff * 2 ** tries,
      );
      timer.unref();
      timers.add(timer);
    });
  }

  return {
    send(message) {
      if (closed) return;
      if (pending >= limit) {
        options.onError(new Error('mail: outbox full, message dropped'));
        return;
      }
      pending++;
      attempt(message, 0);
    },
    idle: () => (pending === 0 ? Promise.resolve() : new Promise((wake) => waiters.push(wake))),
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      pending -= timers.size;
      timers.clear();
      if (pending <= 0) {
        pending = 0;
        for (const wake of waiters) wake();
        waiters = [];
      }
      active?.close();
    },
  };
}
