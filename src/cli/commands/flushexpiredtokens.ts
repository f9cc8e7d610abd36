import type { Command } from 'commander';
import { withStorage } from '../context.js';
import type { CliIO } from '../io.js';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * simplejwt's flushexpiredtokens: deletes outstanding and blacklisted tokens whose expiry has
 * passed (they can no longer be used, so their blacklist entries are dead weight) and the
 * revocation events no process needs any more. Safe to run while the server runs (cron it).
 */
export async function flushExpiredTokens(io: CliIO): Promise<void> {
  const now = new Date();
  const [tokens, events] = await withStorage(io, async (storage) => [
    await storage.tokens.deleteExpired(now),
    await storage.events.deleteExpired(now),
  ]);
  io.stdout.write(`Deleted ${plural(tokens, 'expired token')} and ${plural(events, 'expired auth event')}.\n`);
}

export function registerFlushExpiredTokens(program: Command, io: CliIO): void {
  program
    .command('flushexpiredtokens')
    .description('delete expired outstanding and blacklisted tokens and expired auth events')
    .action(() => flushExpiredTokens(io));
}
