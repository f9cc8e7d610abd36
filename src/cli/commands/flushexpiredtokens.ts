import type { Command } from 'commander';
import { withStorage } from '../context.js';
import type { CliIO } from '../io.js';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * simplejwt's flushexpiredtokens: deletes sessions whose refresh token has expired (live or
 * ended, none of their refresh tokens can be used any more) and the revocation events no
 * process needs any more. Safe to run while the server runs (cron it).
 */
export async function flushExpiredTokens(io: CliIO): Promise<void> {
  const now = new Date();
  const [sessions, events, oneTime, audit, retention] = await withStorage(io, async (storage, config) => [
    await storage.sessions.deleteExpired(now),
    await storage.events.deleteExpired(now),
    await storage.oneTimeTokens.deleteExpired(now),
    // The audit retention (auditRetention; 0 keeps everything).
    config.auditRetention > 0
      ? await storage.audit.deleteBefore(new Date(now.getTime() - config.auditRetention * 1000))
      : 0,
    config.auditRetention,
  ]);
  io.stdout.write(`Deleted ${plural(sessions, 'expired session')} and ${plural(events, 'expired auth event')}.\n`);
  io.stdout.write(`Deleted ${plural(oneTime, 'expired reset or verification token')}`);
  io.stdout.write(
    retention > 0
      ? ` and ${plural(audit, 'audit event')} older than ${Math.round(retention / 86400)} days.\n`
      : '; audit events are kept (auditRetention is 0).\n',
  );
}

export function registerFlushExpiredTokens(program: Command, io: CliIO): void {
  program
    .command('flushexpiredtokens')
    .description(
      'delete expired sessions (and their spent tokens), expired auth events, expired reset and verification tokens, and audit events past auditRetention',
    )
    .action(() => flushExpiredTokens(io));
}
