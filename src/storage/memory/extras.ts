import type { AuditStore, OneTimeToken, OneTimeTokenStore, StoredAuditEvent } from '../ports.js';

export function memoryOneTimeTokenStore(): OneTimeTokenStore & { forgetUser(userId: number): void } {
  const rows = new Map<string, OneTimeToken>();
  const key = (purpose: string, userId: number) => `${purpose}:${userId}`;
  return {
    async put(purpose, userId, token) {
      rows.set(key(purpose, userId), { ...token });
    },
    async find(purpose, userId) {
      const row = rows.get(key(purpose, userId));
      return row ? { ...row } : null;
    },
    async consume(purpose, userId, tokenHash) {
      const row = rows.get(key(purpose, userId));
      if (!row || row.tokenHash !== tokenHash) return false;
      return rows.delete(key(purpose, userId));
    },
    async clear(purpose, userId) {
      rows.delete(key(purpose, userId));
    },
    async deleteExpired(now) {
      let n = 0;
      for (const [k, row] of rows) if (row.expiresAt.getTime() <= now.getTime() && rows.delete(k)) n++;
      return n;
    },
    forgetUser(userId) {
      for (const k of [...rows.keys()]) if (k.endsWith(`:${userId}`)) rows.delete(k);
    },
  };
}

export function memoryAuditStore(): AuditStore {
  const events: StoredAuditEvent[] = [];
  let nextId = 1;
  return {
    async append(batch) {
      for (const e of batch) events.push({ ...e, id: nextId++ });
    },
    async list(q) {
      const matching = events
        .filter(
          (e) =>
            (q.userId === undefined || e.userId === q.userId) &&
            (q.email === undefined || e.email?.toLowerCase() === q.email.toLowerCase()) &&
            (q.kind === undefined || e.kind === q.kind) &&
            (q.since === undefined || e.at.getTime() >= q.since.getTime()) &&
            (q.until === undefined || e.at.getTime() < q.until.getTime()),
        )
        .sort((a, b) => b.at.getTime() - a.at.getTime() || b.id - a.id);
      return { count: matching.length, results: matching.slice(q.offset, q.offset + q.limit).map((e) => ({ ...e })) };
    },
    async deleteBefore(before) {
      const kept = events.filter((e) => e.at.getTime() >= before.getTime());
      const removed = events.length - kept.length;
      events.splice(0, events.length, ...kept);
      return removed;
    },
  };
}
