import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { AuditQuery, AuditStore, StoredAuditEvent } from '../ports.js';
import type { AuditEventsTable, Database } from './db.js';

function toEvent(row: AuditEventsTable & { id: number }): StoredAuditEvent {
  return {
    id: Number(row.id),
    at: new Date(Number(row.at)),
    kind: row.kind,
    userId: row.user_id == null ? null : Number(row.user_id),
    email: row.email,
    ip: row.ip,
    userAgent: row.user_agent,
    detail: row.detail,
  };
}

function filtered<O>(query: SelectQueryBuilder<Database, 'audit_events', O>, q: AuditQuery) {
  let result = query;
  if (q.userId !== undefined) result = result.where('user_id', '=', q.userId);
  // Recorded e-mails are already normalised by the domain; lower() keeps the match case-insensitive.
  if (q.email !== undefined) result = result.where((eb) => eb(eb.fn('lower', ['email']), '=', q.email!.toLowerCase()));
  if (q.kind !== undefined) result = result.where('kind', '=', q.kind);
  if (q.since !== undefined) result = result.where('at', '>=', q.since.getTime());
  if (q.until !== undefined) result = result.where('at', '<', q.until.getTime());
  return result;
}

export function kyselyAuditStore(db: Kysely<Database>): AuditStore {
  return {
    async append(events) {
      if (events.length === 0) return;
      await db
        .insertInto('audit_events')
        .values(
          events.map((e) => ({
            at: e.at.getTime(),
            kind: e.kind,
            user_id: e.userId,
            email: e.email,
            ip: e.ip,
            user_agent: e.userAgent,
            detail: e.detail,
          })),
        )
        .execute();
    },
    async list(q) {
      const counted = await filtered(
        db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')),
        q,
      ).executeTakeFirstOrThrow();
      const rows = await filtered(db.selectFrom('audit_events').selectAll(), q)
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .limit(q.limit)
        .offset(q.offset)
        .execute();
      return { count: Number(counted.n), results: rows.map((r) => toEvent(r as AuditEventsTable & { id: number })) };
    },
    async deleteBefore(before) {
      const result = await db.deleteFrom('audit_events').where('at', '<', before.getTime()).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
