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
  const [sessions, events] = await withStorage(io, async (storage) => [
    await storage.sessions.deleteExpired(now),
    await storage.events.deleteExpired(now),
  ]);
  io.stdout.write(`Deleted ${plural(sessions, 'expired session')} and ${plural(events, 'expired auth event')}.\n`);
}

export function registerFlushExpiredTokens(program: Command, io: CliIO): void {
  program
    .command('flushexpiredtokens')
    .description('delete expired sessions (and their spent tokens) and expired auth events')
    .action(() => flushExpiredTokens(io));
}
