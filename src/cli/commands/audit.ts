import type { Command } from 'commander';
import { isAuditKind, AUDIT_KINDS } from '../../audit/kinds.js';
import type { AuditQuery } from '../../storage/ports.js';
import { withStorage } from '../context.js';
import { CliError, type CliIO } from '../io.js';

export interface AuditOptions {
  user?: string;
  kind?: string;
  since?: string;
  limit?: string;
}

/** `doorman audit`: the newest security events, one per line, tab-separated. */
export async function printAudit(io: CliIO, options: AuditOptions): Promise<void> {
  const limit = options.limit === undefined ? 50 : Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw new CliError('--limit must be a whole number from 1 to 10000');
  if (options.kind !== undefined && !isAuditKind(options.kind))
    throw new CliError(`--kind must be one of: ${AUDIT_KINDS.join(', ')}`);
  const query: AuditQuery = { limit, offset: 0 };
  if (options.kind !== undefined) query.kind = options.kind;
  if (options.since !== undefined) {
    const since = new Date(options.since);
    if (Number.isNaN(since.getTime()))
      throw new CliError('--since must be a date or time, e.g. 2026-01-31 or 2026-01-31T12:00:00Z');
    query.since = since;
  }
  const events = await withStorage(io, async (storage) => {
    if (options.user !== undefined) {
      const user = await storage.users.findByEmail(options.user);
      // A deleted user's events still carry the address they were recorded with.
      if (user) query.userId = user.id;
      else query.email = options.user;
    }
    return storage.audit.list(query);
  });
  for (const e of events.results) {
    io.stdout.write(
      [
        e.at.toISOString(),
        e.kind,
        e.userId ?? '-',
        e.email ?? '-',
        e.ip ?? '-',
        e.userAgent ?? '-',
        e.detail ?? '',
      ].join('\t') + '\n',
    );
  }
  if (events.count > events.results.length)
    io.stdout.write(`(${events.results.length} of ${events.count}; use --limit)\n`);
}

export function registerAudit(program: Command, io: CliIO): void {
  program
    .command('audit')
    .description('print security events, newest first (time, kind, user id, e-mail, address, user agent, detail)')
    .option('--user <email>', "one user's events")
    .option('--kind <kind>', `one kind: ${AUDIT_KINDS.join(', ')}`)
    .option('--since <time>', 'events at or after this ISO 8601 date or time')
    .option('--limit <n>', 'at most this many (default 50)')
    .action((options: AuditOptions) => printAudit(io, options));
}
